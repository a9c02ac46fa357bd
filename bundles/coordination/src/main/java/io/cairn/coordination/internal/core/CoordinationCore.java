package io.cairn.coordination.internal.core;

import io.cairn.coordination.internal.jute.Code;
import io.cairn.coordination.internal.jute.JuteDecodeException;
import io.cairn.coordination.internal.jute.JuteInput;
import io.cairn.coordination.internal.jute.JuteOutput;
import io.cairn.coordination.internal.jute.JuteRecord;
import io.cairn.coordination.internal.jute.OpCode;
import io.cairn.coordination.internal.jute.Requests.CheckVersion;
import io.cairn.coordination.internal.jute.Requests.Create;
import io.cairn.coordination.internal.jute.Requests.Delete;
import io.cairn.coordination.internal.jute.Requests.Multi;
import io.cairn.coordination.internal.jute.Requests.Op;
import io.cairn.coordination.internal.jute.Requests.Request;
import io.cairn.coordination.internal.jute.Requests.SetAcl;
import io.cairn.coordination.internal.jute.Requests.SetData;
import io.cairn.coordination.internal.jute.Responses.MultiResponse;
import io.cairn.coordination.internal.jute.Responses.OpResult;
import io.cairn.env.Check;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The replicated state of the coordination namespace: the {@link DataTree} and the sessions, and
 * the deterministic {@link #apply} of {@link Command}s. Single-threaded: the owner calls it on the
 * apply thread (and reads under the same lock). The zxid of an entry is its log index, so zxids
 * grow strictly and every node assigns the same ones.
 */
public final class CoordinationCore {
  /**
   * Session ids carry 0x01 in the top byte, like a ZooKeeper server id 1; the rest is the index.
   */
  static final long SESSION_ID_BASE = 1L << 56;

  private final DataTree tree = new DataTree();
  private final TreeMap<Long, Session> sessions = new TreeMap<>();
  private long lastZxid;

  /**
   * What applying one command did.
   *
   * @param touchedSessions the sessions a {@link Command.Touch} reported alive (else empty)
   * @param touchedBy the node that touched them (0 when not said)
   */
  public record Outcome(
      long zxid, Result result, List<Change> changes, long closedSession,
      List<Long> touchedSessions, int touchedBy) {
    public Outcome(long zxid, Result result, List<Change> changes, long closedSession) {
      this(zxid, result, changes, closedSession, List.of(), 0);
    }
  }

  public CoordinationCore() {
    tree.liveSessions(sessions::containsKey);
  }

  /** The tree, for reads under the owner's lock. */
  public DataTree tree() {
    return tree;
  }

  /** The zxid of the last applied command. */
  public long lastZxid() {
    return lastZxid;
  }

  /** The session with {@code id}, or null. */
  public Session session(long id) {
    return sessions.get(id);
  }

  /** All sessions, by id. */
  public Map<Long, Session> sessions() {
    return Collections.unmodifiableMap(sessions);
  }

  /** Decodes and applies one committed command at log {@code index}. */
  public Outcome apply(long index, byte[] commandBytes) {
    Check.argument(index > lastZxid, "index %s not after last applied %s", index, lastZxid);
    Command command;
    try {
      command = Command.decode(commandBytes);
    } catch (JuteDecodeException e) {
      throw new IllegalArgumentException("undecodable coordination command at index " + index, e);
    }
    lastZxid = index;
    List<Change> changes = new ArrayList<>();
    if (command instanceof Command.CreateSession c) {
      long id = SESSION_ID_BASE | index;
      sessions.put(id, new Session(id, c.timeoutMs(), c.password()));
      JuteRecord body = out -> out.writeLong(id);
      return new Outcome(index, Result.ok(body), changes, 0);
    }
    if (command instanceof Command.CloseSession c) {
      return closeSession(index, c, changes);
    }
    if (command instanceof Command.Touch t) {
      return new Outcome(index, Result.ok(null), changes, 0, t.sessionIds(), t.nodeId());
    }
    if (command instanceof Command.Reap r) {
      if (tree.stillReapable(r.path(), r.timeMs())) {
        tree.remove(r.path(), index, changes);
      }
      return new Outcome(index, Result.ok(null), changes, 0);
    }
    Command.Write write = (Command.Write) command;
    WriteContext ctx =
        new WriteContext(index, write.timeMs(), write.sessionId(), write.callerIds());
    Result result = applyWrite(write.type(), write.request(), ctx, changes);
    return new Outcome(index, result, changes, 0);
  }

  private Outcome closeSession(long index, Command.CloseSession close, List<Change> changes) {
    if (sessions.remove(close.sessionId()) == null) {
      return new Outcome(index, Result.error(Code.SESSION_EXPIRED), changes, 0);
    }
    List<String> owned = tree.ephemeralsOf(close.sessionId());
    // Ephemerals have no children, so any order works; the sorted order keeps replicas identical.
    for (String path : owned) {
      tree.remove(path, index, changes);
    }
    return new Outcome(index, Result.ok(null), changes, close.sessionId());
  }

  private Result applyWrite(int type, Request request, WriteContext ctx, List<Change> changes) {
    if (ctx.sessionId() != 0 && !sessions.containsKey(ctx.sessionId())) {
      return Result.error(Code.SESSION_EXPIRED);
    }
    if (type == OpCode.MULTI) {
      return multi((Multi) request, ctx, changes);
    }
    return single(type, request, ctx, changes);
  }

  private Result single(int type, Request request, WriteContext ctx, List<Change> changes) {
    return switch (type) {
      case OpCode.CREATE, OpCode.CREATE2, OpCode.CREATE_CONTAINER, OpCode.CREATE_TTL ->
          tree.create(type, (Create) request, ctx, changes);
      case OpCode.DELETE -> tree.delete((Delete) request, ctx, changes);
      case OpCode.SET_DATA -> tree.setData((SetData) request, ctx, changes);
      case OpCode.SET_ACL -> tree.setAcl((SetAcl) request, ctx);
      case OpCode.CHECK -> tree.check((CheckVersion) request, ctx);
      default -> Result.error(Code.UNIMPLEMENTED);
    };
  }

  /**
   * All-or-nothing: ops run in order with an undo journal; on the first failure everything is
   * rolled back, earlier ops report 0, the failing one its code, later ones RuntimeInconsistency
   * (-2). ReplyHeader.err stays 0 either way; all ops share the zxid.
   */
  private Result multi(Multi multi, WriteContext ctx, List<Change> changes) {
    List<Change> pending = new ArrayList<>();
    List<Result> results = new ArrayList<>();
    tree.beginUndo();
    int failedAt = -1;
    for (Op op : multi.ops()) {
      Result result = single(op.type(), op.request(), ctx, pending);
      results.add(result);
      if (!result.isOk()) {
        failedAt = results.size() - 1;
        break;
      }
    }
    List<OpResult> opResults = new ArrayList<>();
    if (failedAt >= 0) {
      tree.rollback();
      for (int i = 0; i < multi.ops().size(); i++) {
        int err = Code.RUNTIME_INCONSISTENCY;
        if (i < failedAt) {
          err = Code.OK;
        } else if (i == failedAt) {
          err = results.get(i).err();
        }
        opResults.add(new OpResult(OpCode.ERROR, err, null));
      }
      return Result.ok(new MultiResponse(opResults));
    }
    tree.commit();
    changes.addAll(pending);
    for (int i = 0; i < results.size(); i++) {
      int type = multiResultType(multi.ops().get(i).type());
      opResults.add(new OpResult(type, Code.OK, results.get(i).body()));
    }
    return Result.ok(new MultiResponse(opResults));
  }

  /** The 3.9 client decodes only types up to 15 in a multi; container/TTL creates answer as 15. */
  private static int multiResultType(int type) {
    return type == OpCode.CREATE_CONTAINER || type == OpCode.CREATE_TTL ? OpCode.CREATE2 : type;
  }

  /** Encodes an outcome's result for the proposer: {@code int err} then the body. */
  public static byte[] encodeResult(Result result) {
    JuteOutput out = new JuteOutput();
    out.writeInt(result.err());
    if (result.isOk() && result.body() != null) {
      result.body().write(out);
    }
    return out.toByteArray();
  }

  /** The error code at the start of an encoded result. */
  public static int resultError(byte[] encoded) {
    try {
      return new JuteInput(encoded).readInt();
    } catch (JuteDecodeException e) {
      throw new IllegalArgumentException("result too short: " + encoded.length + " bytes", e);
    }
  }

  /** The session id in an encoded CreateSession result. */
  public static long sessionIdOf(byte[] encoded) {
    try {
      JuteInput in = new JuteInput(encoded);
      Check.argument(in.readInt() == Code.OK, "create session failed");
      return in.readLong();
    } catch (JuteDecodeException e) {
      throw new IllegalArgumentException("bad create-session result", e);
    }
  }

  /** Writes sessions and tree (see {@link Snapshots}). */
  public byte[] snapshot() {
    return Snapshots.write(lastZxid, sessions, tree);
  }

  /** Replaces everything with a snapshot taken by {@link #snapshot()}. */
  public void restore(long lastIndex, byte[] bytes) throws JuteDecodeException {
    lastZxid = Snapshots.read(bytes, sessions, tree);
    Check.argument(lastZxid <= lastIndex, "snapshot zxid %s after index %s", lastZxid, lastIndex);
    lastZxid = lastIndex;
  }
}
