package io.cairn.coordination.internal.core;

import io.cairn.coordination.internal.jute.Acl;
import io.cairn.coordination.internal.jute.Code;
import io.cairn.coordination.internal.jute.Id;
import io.cairn.coordination.internal.jute.OpCode;
import io.cairn.coordination.internal.jute.Requests.CheckVersion;
import io.cairn.coordination.internal.jute.Requests.Create;
import io.cairn.coordination.internal.jute.Requests.Delete;
import io.cairn.coordination.internal.jute.Requests.SetAcl;
import io.cairn.coordination.internal.jute.Requests.SetData;
import io.cairn.coordination.internal.jute.Responses.Create2Response;
import io.cairn.coordination.internal.jute.Responses.PathResponse;
import io.cairn.coordination.internal.jute.Responses.StatResponse;
import io.cairn.coordination.internal.jute.Stat;
import io.cairn.env.Check;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongPredicate;

/**
 * The znode tree with ZooKeeper's write semantics (create, delete, setData, setACL, check) and the
 * indexes for ephemerals, containers and TTL nodes. Deterministic: the outcome depends only on the
 * tree and the {@link WriteContext}. Not thread-safe: called only on the apply thread, or under the
 * owner's lock for reads.
 *
 * <p>Error precedence follows {@code PrepRequestProcessor}: bad path, invalid ACL, missing parent,
 * permission, existing node, ephemeral parent. Writes are all-or-nothing per call; inside a multi
 * the {@link #beginUndo() undo journal} rolls back earlier ops when a later one fails.
 */
public final class DataTree {
  private static final int MAX_FLAG = 6;

  private final Map<String, Node> nodes = new HashMap<>();
  private final Map<Long, TreeSet<String>> ephemerals = new TreeMap<>();
  private final TreeSet<String> containers = new TreeSet<>();
  private final TreeSet<String> ttlNodes = new TreeSet<>();
  private Deque<Runnable> undo;
  private LongPredicate liveSessionCheck = id -> true;

  /** A tree with "/", "/zookeeper", "/zookeeper/quota" and "/zookeeper/config". */
  public DataTree() {
    Node root = new Node();
    root.acl = Acl.OPEN;
    nodes.put("/", root);
    List<Id> none = List.of();
    WriteContext system = new WriteContext(0, 0, 0, none);
    for (String path : List.of("/zookeeper", "/zookeeper/quota", "/zookeeper/config")) {
      insert(path, new byte[0], Acl.OPEN, 0, system);
    }
  }

  /** The node at {@code path}, or null. */
  Node node(String path) {
    return nodes.get(path);
  }

  /** Number of znodes including the root. */
  public int size() {
    return nodes.size();
  }

  /** Number of ephemeral znodes of all sessions. */
  public int ephemeralCount() {
    int count = 0;
    for (TreeSet<String> owned : ephemerals.values()) {
      count += owned.size();
    }
    return count;
  }

  /**
   * ZooKeeper's {@code approximateDataSize}: the sum over znodes of path length plus data length.
   * Walks the whole tree: O(znodes).
   */
  public long approximateDataSize() {
    long bytes = 0;
    for (Map.Entry<String, Node> entry : nodes.entrySet()) {
      byte[] data = entry.getValue().data;
      bytes += entry.getKey().length() + (data == null ? 0 : data.length);
    }
    return bytes;
  }

  /** Starts recording inverses of every mutation, for a multi. */
  void beginUndo() {
    undo = new ArrayDeque<>();
  }

  /** Rolls back every mutation since {@link #beginUndo()} and stops recording. */
  void rollback() {
    while (!undo.isEmpty()) {
      undo.pop().run();
    }
    undo = null;
  }

  /** Keeps the mutations since {@link #beginUndo()} and stops recording. */
  void commit() {
    undo = null;
  }

  private void record(Runnable inverse) {
    if (undo != null) {
      undo.push(inverse);
    }
  }

  /** create, create2, createContainer, createTTL. */
  Result create(int type, Create request, WriteContext ctx, List<Change> changes) {
    int flags = request.flags();
    int modeError = checkMode(type, flags, request.ttl());
    if (modeError != Code.OK) {
      return Result.error(modeError);
    }
    boolean sequential = flags == 2 || flags == 3 || flags == 6;
    if (!Paths.valid(request.path(), sequential)) {
      return Result.error(Code.BAD_ARGUMENTS);
    }
    List<Acl> acl = Acls.fixup(request.acl(), ctx.callerIds());
    if (acl == null) {
      return Result.error(Code.INVALID_ACL);
    }
    String parentPath = Paths.parent(sequential ? request.path() + "x" : request.path());
    Node parent = nodes.get(parentPath);
    if (parent == null) {
      return Result.error(Code.NO_NODE);
    }
    if (!Acls.allowed(parent.acl, Acl.CREATE, ctx.callerIds())) {
      return Result.error(Code.NO_AUTH);
    }
    String path =
        sequential
            ? request.path() + String.format(Locale.ROOT, "%010d", parent.childCreates)
            : request.path();
    if (nodes.containsKey(path)) {
      return Result.error(Code.NODE_EXISTS);
    }
    if (parent.ephemeralSession() != 0) {
      return Result.error(Code.NO_CHILDREN_FOR_EPHEMERALS);
    }
    long owner = owner(flags, request.ttl(), ctx.sessionId());
    if (owner == -1) {
      return Result.error(Code.SESSION_EXPIRED);
    }
    Node node = insert(path, request.data(), acl, owner, ctx);
    changes.add(new Change(Change.NODE_CREATED, path));
    changes.add(new Change(Change.NODE_CHILDREN_CHANGED, parentPath));
    return Result.ok(
        type == OpCode.CREATE ? new PathResponse(path) : new Create2Response(path, node.stat()));
  }

  private static int checkMode(int type, int flags, long ttl) {
    if (flags < 0 || flags > MAX_FLAG) {
      return Code.BAD_ARGUMENTS;
    }
    boolean container = flags == 4;
    boolean ttlMode = flags == 5 || flags == 6;
    if (container != (type == OpCode.CREATE_CONTAINER)) {
      return Code.BAD_ARGUMENTS;
    }
    if (ttlMode != (type == OpCode.CREATE_TTL)) {
      return Code.BAD_ARGUMENTS;
    }
    if (ttlMode && (ttl <= 0 || ttl > Node.TTL_MAX_MS)) {
      return Code.BAD_ARGUMENTS;
    }
    return Code.OK;
  }

  /** The raw owner for {@code flags}, or -1 when an ephemeral has no live session. */
  private long owner(int flags, long ttl, long sessionId) {
    return switch (flags) {
      case 1, 3 -> sessionId == 0 || !liveSessionCheck.test(sessionId) ? -1 : sessionId;
      case 4 -> Node.CONTAINER;
      case 5, 6 -> Node.TTL_MARK | ttl;
      default -> 0;
    };
  }

  /** Tells the tree which sessions are alive, for ephemeral creates. */
  void liveSessions(LongPredicate check) {
    this.liveSessionCheck = check;
  }

  private Node insert(String path, byte[] data, List<Acl> acl, long owner, WriteContext ctx) {
    String parentPath = Paths.parent(path);
    Node parent = nodes.get(parentPath);
    Check.invariant(parent != null, "parent of %s missing", path);
    Node node = new Node();
    node.data = data;
    node.acl = acl;
    node.czxid = node.mzxid = node.pzxid = ctx.zxid();
    node.ctime = node.mtime = ctx.timeMs();
    node.owner = owner;
    long parentPzxid = parent.pzxid;
    nodes.put(path, node);
    parent.children.add(Paths.name(path));
    parent.childCreates++;
    parent.pzxid = ctx.zxid();
    index(path, node);
    record(
        () -> {
          unindex(path, node);
          nodes.remove(path);
          parent.children.remove(Paths.name(path));
          parent.childCreates--;
          parent.pzxid = parentPzxid;
        });
    return node;
  }

  private void index(String path, Node node) {
    if (node.isContainer()) {
      containers.add(path);
    } else if (node.isTtl()) {
      ttlNodes.add(path);
    } else if (node.owner != 0) {
      ephemerals.computeIfAbsent(node.owner, id -> new TreeSet<>()).add(path);
    }
  }

  private void unindex(String path, Node node) {
    containers.remove(path);
    ttlNodes.remove(path);
    if (node.ephemeralSession() != 0) {
      TreeSet<String> owned = ephemerals.get(node.owner);
      if (owned != null) {
        owned.remove(path);
        if (owned.isEmpty()) {
          ephemerals.remove(node.owner);
        }
      }
    }
  }

  /** delete. */
  Result delete(Delete request, WriteContext ctx, List<Change> changes) {
    String path = request.path();
    if (!Paths.valid(path, false) || path.equals("/")) {
      return Result.error(Code.BAD_ARGUMENTS);
    }
    Node parent = nodes.get(Paths.parent(path));
    if (parent == null) {
      return Result.error(Code.NO_NODE);
    }
    if (!Acls.allowed(parent.acl, Acl.DELETE, ctx.callerIds())) {
      return Result.error(Code.NO_AUTH);
    }
    Node node = nodes.get(path);
    if (node == null) {
      return Result.error(Code.NO_NODE);
    }
    if (request.version() != -1 && request.version() != node.version) {
      return Result.error(Code.BAD_VERSION);
    }
    if (!node.children.isEmpty()) {
      return Result.error(Code.NOT_EMPTY);
    }
    remove(path, ctx.zxid(), changes);
    return Result.ok(null);
  }

  /** Removes a childless node unconditionally (deletes, session close, reaping). */
  void remove(String path, long zxid, List<Change> changes) {
    Node node = nodes.get(path);
    Check.invariant(node != null && node.children.isEmpty(), "cannot remove %s", path);
    String parentPath = Paths.parent(path);
    Node parent = nodes.get(parentPath);
    long parentPzxid = parent.pzxid;
    nodes.remove(path);
    unindex(path, node);
    parent.children.remove(Paths.name(path));
    parent.pzxid = zxid;
    record(
        () -> {
          nodes.put(path, node);
          index(path, node);
          parent.children.add(Paths.name(path));
          parent.pzxid = parentPzxid;
        });
    changes.add(new Change(Change.NODE_DELETED, path));
    changes.add(new Change(Change.NODE_CHILDREN_CHANGED, parentPath));
  }

  /** setData. */
  Result setData(SetData request, WriteContext ctx, List<Change> changes) {
    if (!Paths.valid(request.path(), false)) {
      return Result.error(Code.BAD_ARGUMENTS);
    }
    Node node = nodes.get(request.path());
    if (node == null) {
      return Result.error(Code.NO_NODE);
    }
    if (!Acls.allowed(node.acl, Acl.WRITE, ctx.callerIds())) {
      return Result.error(Code.NO_AUTH);
    }
    if (request.version() != -1 && request.version() != node.version) {
      return Result.error(Code.BAD_VERSION);
    }
    byte[] oldData = node.data;
    long oldMzxid = node.mzxid;
    long oldMtime = node.mtime;
    node.data = request.data();
    node.version++;
    node.mzxid = ctx.zxid();
    node.mtime = ctx.timeMs();
    record(
        () -> {
          node.data = oldData;
          node.version--;
          node.mzxid = oldMzxid;
          node.mtime = oldMtime;
        });
    changes.add(new Change(Change.NODE_DATA_CHANGED, request.path()));
    return Result.ok(new StatResponse(node.stat()));
  }

  /** setACL. */
  Result setAcl(SetAcl request, WriteContext ctx) {
    if (!Paths.valid(request.path(), false)) {
      return Result.error(Code.BAD_ARGUMENTS);
    }
    List<Acl> acl = Acls.fixup(request.acl(), ctx.callerIds());
    if (acl == null) {
      return Result.error(Code.INVALID_ACL);
    }
    Node node = nodes.get(request.path());
    if (node == null) {
      return Result.error(Code.NO_NODE);
    }
    if (!Acls.allowed(node.acl, Acl.ADMIN, ctx.callerIds())) {
      return Result.error(Code.NO_AUTH);
    }
    if (request.version() != -1 && request.version() != node.aversion) {
      return Result.error(Code.BAD_VERSION);
    }
    List<Acl> oldAcl = node.acl;
    node.acl = acl;
    node.aversion++;
    record(
        () -> {
          node.acl = oldAcl;
          node.aversion--;
        });
    return Result.ok(new StatResponse(node.stat()));
  }

  /** check (multi only). */
  Result check(CheckVersion request, WriteContext ctx) {
    if (!Paths.valid(request.path(), false)) {
      return Result.error(Code.BAD_ARGUMENTS);
    }
    Node node = nodes.get(request.path());
    if (node == null) {
      return Result.error(Code.NO_NODE);
    }
    if (!Acls.allowed(node.acl, Acl.READ, ctx.callerIds())) {
      return Result.error(Code.NO_AUTH);
    }
    if (request.version() != -1 && request.version() != node.version) {
      return Result.error(Code.BAD_VERSION);
    }
    return Result.ok(null);
  }

  /** The ephemerals of {@code sessionId}, sorted. */
  public List<String> ephemeralsOf(long sessionId) {
    TreeSet<String> owned = ephemerals.get(sessionId);
    return owned == null ? List.of() : new ArrayList<>(owned);
  }

  /**
   * Containers that once had children and have none now, and TTL nodes without children whose mtime
   * + ttl is before {@code nowMs}: candidates for reaping, sorted.
   */
  public List<String> reapable(long nowMs) {
    List<String> paths = new ArrayList<>();
    for (String path : containers) {
      Node node = nodes.get(path);
      if (node.childCreates > 0 && node.children.isEmpty()) {
        paths.add(path);
      }
    }
    for (String path : ttlNodes) {
      Node node = nodes.get(path);
      if (node.children.isEmpty() && node.mtime + node.ttlMs() < nowMs) {
        paths.add(path);
      }
    }
    return paths;
  }

  /** True when {@code path} is still reapable at {@code nowMs} (re-checked at apply time). */
  boolean stillReapable(String path, long nowMs) {
    Node node = nodes.get(path);
    if (node == null || !node.children.isEmpty()) {
      return false;
    }
    return node.isContainer()
        ? node.childCreates > 0
        : node.isTtl() && node.mtime + node.ttlMs() < nowMs;
  }

  /** Number of descendants ({@code GetAllChildrenNumber}); for "/" ZooKeeper's size - 2. */
  public int descendants(String path) {
    if (path.equals("/")) {
      return nodes.size() - 2;
    }
    int count = 0;
    Deque<String> pending = new ArrayDeque<>(List.of(path));
    while (!pending.isEmpty()) {
      String current = pending.pop();
      for (String name : nodes.get(current).children) {
        count++;
        pending.push(Paths.child(current, name));
      }
    }
    return count;
  }

  /** The stat of {@code path}, or null. */
  public Stat stat(String path) {
    Node node = nodes.get(path);
    return node == null ? null : node.stat();
  }

  /** Every path, sorted, so that parents come before children (for snapshots). */
  List<String> sortedPaths() {
    return new ArrayList<>(new TreeSet<>(nodes.keySet()));
  }

  /** Replaces the tree with {@code restored} (path to node, parents before children). */
  void replaceWith(Map<String, Node> restored) {
    nodes.clear();
    ephemerals.clear();
    containers.clear();
    ttlNodes.clear();
    for (Map.Entry<String, Node> entry : restored.entrySet()) {
      String path = entry.getKey();
      nodes.put(path, entry.getValue());
      if (!path.equals("/")) {
        Node parent = nodes.get(Paths.parent(path));
        Check.argument(parent != null, "snapshot has %s before its parent", path);
        parent.children.add(Paths.name(path));
        index(path, entry.getValue());
      }
    }
  }
}
