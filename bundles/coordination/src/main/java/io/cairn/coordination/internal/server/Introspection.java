package io.cairn.coordination.internal.server;

import io.cairn.consensus.GroupStatus;
import io.cairn.coordination.internal.core.Reads;
import io.cairn.coordination.internal.core.Result;
import io.cairn.coordination.internal.core.Session;
import io.cairn.coordination.internal.core.WatchTable;
import io.cairn.coordination.internal.jute.Code;
import io.cairn.coordination.internal.jute.OpCode;
import io.cairn.coordination.internal.jute.Responses.ChildrenResponse;
import io.cairn.coordination.internal.jute.Responses.DataResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

/**
 * Read-only views of one {@link CoordinationServer} for operators: znodes of the applied tree,
 * counters, connections, sessions and watches. Every method takes the server's lock for a
 * consistent copy and returns plain values; thread-safe. Watches and connections are this node's
 * only (they are not replicated); sessions and znodes are the replicated state as applied here.
 */
public final class Introspection implements LocalTree {
  private final CoordinationServer server;

  public Introspection(CoordinationServer server) {
    this.server = server;
  }

  /**
   * One client connection on this node.
   *
   * @param id the connection's handle
   * @param remote the client's {@code ip:port}
   * @param sessionId its session, 0 before the handshake finished
   * @param timeoutMs its negotiated session timeout
   * @param queued requests waiting to start
   * @param inflight requests started and not answered
   * @param received frames received
   * @param sent frames sent
   */
  public record ConnectionInfo(
      long id,
      String remote,
      long sessionId,
      int timeoutMs,
      int queued,
      int inflight,
      long received,
      long sent) {}

  /**
   * One live session.
   *
   * @param id the session id
   * @param timeoutMs its negotiated timeout
   * @param holder the node holding its connection, in words
   * @param ephemerals ephemeral znodes it owns
   */
  public record SessionInfo(long id, int timeoutMs, String holder, int ephemerals) {}

  /**
   * One watch on this node.
   *
   * @param path the watched path
   * @param sessionId the watching connection's session
   * @param kinds "data", "child", "persistent", "recursive", comma-separated
   */
  public record WatchInfo(String path, long sessionId, String kinds) {}

  @Override
  public Znode read(String path) {
    synchronized (server.lock) {
      Result data = Reads.read(server.core.tree(), OpCode.GET_DATA, path, List.of());
      if (data.err() == Code.NO_NODE) {
        return null;
      }
      if (data.err() == Code.BAD_ARGUMENTS) {
        throw new IllegalArgumentException("'" + path + "' is not a valid znode path");
      }
      if (data.err() == Code.NO_AUTH) {
        throw new IllegalArgumentException(
            "the ACL of " + path + " does not let world:anyone read it");
      }
      Result children = Reads.read(server.core.tree(), OpCode.GET_CHILDREN, path, List.of());
      DataResponse body = (DataResponse) data.body();
      return new Znode(
          path, body.data(), body.stat(), ((ChildrenResponse) children.body()).children());
    }
  }

  /** {@code path} and all its descendants, children before parents (a safe delete order). */
  public List<String> subtreeChildrenFirst(String path) {
    synchronized (server.lock) {
      List<String> order = new ArrayList<>();
      if (server.core.tree().stat(path) == null) {
        return order;
      }
      Deque<String> pending = new ArrayDeque<>(List.of(path));
      while (!pending.isEmpty()) {
        String current = pending.pop();
        order.add(current);
        Result children = Reads.read(server.core.tree(), OpCode.GET_CHILDREN, current, List.of());
        if (children.isOk()) {
          for (String name : ((ChildrenResponse) children.body()).children()) {
            pending.push(current.equals("/") ? "/" + name : current + "/" + name);
          }
        }
      }
      // Pre-order lists every parent before its children; reversed, children come first.
      Collections.reverse(order);
      return order;
    }
  }

  /** The server's counters now. */
  public Stats stats() {
    synchronized (server.lock) {
      int outstanding = 0;
      for (Connection connection : server.connections.values()) {
        outstanding += connection.inbox.size() + connection.inflight.size();
      }
      GroupStatus status = server.log.status();
      return new Stats(
          mode(status),
          status.nodeId(),
          server.connections.size(),
          outstanding,
          server.core.sessions().size(),
          server.core.tree().size(),
          server.watches.size(),
          server.watches.pathCount(),
          server.watches.watcherCount(),
          server.core.tree().ephemeralCount(),
          server.core.lastZxid(),
          (server.clock.monotonicNanos() - server.startedNanos) / 1_000_000,
          server.metrics.snapshot());
    }
  }

  /** ZooKeeper's {@code approximateDataSize}: walks the whole tree under the lock, O(znodes). */
  public long approximateDataSize() {
    synchronized (server.lock) {
      return server.core.tree().approximateDataSize();
    }
  }

  /** This node's id in the group. */
  public int nodeId() {
    return server.log.status().nodeId();
  }

  /** ZooKeeper's server state: standalone for a group of one, else leader or follower. */
  private static String mode(GroupStatus status) {
    if (status.membership().voters().size() == 1) {
      return "standalone";
    }
    return status.leadership().local() ? "leader" : "follower";
  }

  /** This node's client connections, by id. */
  public List<ConnectionInfo> connections() {
    synchronized (server.lock) {
      List<ConnectionInfo> all = new ArrayList<>();
      for (Connection c : server.connections.values()) {
        all.add(
            new ConnectionInfo(
                c.id,
                c.channel.remoteAddress(),
                c.sessionId,
                c.timeoutMs,
                c.inbox.size(),
                c.inflight.size(),
                c.received,
                c.channel.sent()));
      }
      all.sort((a, b) -> Long.compare(a.id(), b.id()));
      return all;
    }
  }

  /** Every live session, by id, with the node holding its connection as far as this node knows. */
  public List<SessionInfo> sessions() {
    synchronized (server.lock) {
      int self = server.log.status().nodeId();
      List<SessionInfo> all = new ArrayList<>();
      for (Session session : server.core.sessions().values()) {
        all.add(
            new SessionInfo(
                session.id(),
                session.timeoutMs(),
                holder(session.id(), self),
                server.core.tree().ephemeralsOf(session.id()).size()));
      }
      return all;
    }
  }

  private String holder(long sessionId, int self) {
    Connection here = server.bySession.get(sessionId);
    if (here != null) {
      return "node " + self + " (this node, " + here.channel.remoteAddress() + ")";
    }
    Integer elsewhere = server.heldBy.get(sessionId);
    if (elsewhere != null && elsewhere != self) {
      return "node " + elsewhere;
    }
    return "none (disconnected, expires unless the client reconnects)";
  }

  /** This node's watches, by path then session. */
  public List<WatchInfo> watches() {
    synchronized (server.lock) {
      List<WatchInfo> all = new ArrayList<>();
      for (WatchTable.Entry entry : server.watches.entries()) {
        Connection connection = server.connections.get(entry.watcher());
        long sessionId = connection == null ? 0 : connection.sessionId;
        all.add(new WatchInfo(entry.path(), sessionId, kinds(entry.kinds())));
      }
      return all;
    }
  }

  private static String kinds(int bits) {
    List<String> names = new ArrayList<>();
    if ((bits & WatchTable.DATA) != 0) {
      names.add("data");
    }
    if ((bits & WatchTable.CHILD) != 0) {
      names.add("child");
    }
    if ((bits & WatchTable.PERSISTENT) != 0) {
      names.add("persistent");
    }
    if ((bits & WatchTable.RECURSIVE) != 0) {
      names.add("recursive");
    }
    return String.join(",", names);
  }
}
