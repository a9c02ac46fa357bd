package io.cairn.coordination.internal.server;

import io.cairn.coordination.internal.jute.Acl;
import io.cairn.coordination.internal.jute.Code;
import io.cairn.coordination.internal.jute.JuteDecodeException;
import io.cairn.coordination.internal.jute.JuteInput;
import io.cairn.coordination.internal.jute.OpCode;
import io.cairn.coordination.internal.jute.Requests.Create;
import io.cairn.coordination.internal.jute.Requests.Delete;
import io.cairn.coordination.internal.jute.Requests.Multi;
import io.cairn.coordination.internal.jute.Requests.Op;
import io.cairn.coordination.internal.jute.Requests.SetData;
import io.cairn.coordination.internal.jute.Stat;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link Operator} of one node: reads through {@link Introspection}, writes as requests of the
 * {@link OperatorSession}, ZooKeeper error codes turned into sentences. A recursive delete lists
 * the subtree from the local tree and deletes it children first in multis of {@link #BATCH} (as
 * ZooKeeper's {@code ZKUtil.deleteRecursive} does), so each batch is atomic, not the whole.
 *
 * <p>Threading: any thread; each call blocks until its replies came.
 */
public final class ShellOperator implements Operator {
  /** Deletes per multi in a recursive delete (ZooKeeper's deleteall default). */
  static final int BATCH = 1000;

  private final Introspection view;
  private final OperatorSession session;

  public ShellOperator(Introspection view, OperatorSession session) {
    this.view = view;
    this.session = session;
  }

  @Override
  public Znode read(String path) {
    return view.read(path);
  }

  @Override
  public String create(String path, byte[] data, boolean ephemeral, boolean sequential) {
    int flags = (ephemeral ? 1 : 0) | (sequential ? 2 : 0);
    OperatorSession.Reply reply =
        session.call(OpCode.CREATE, new Create(path, data, Acl.OPEN, flags, 0));
    if (reply.err() != Code.OK) {
      throw new OperatorException(sentence(reply.err(), path, -1, true));
    }
    return decode(() -> reply.body().readString());
  }

  @Override
  public Stat set(String path, byte[] data, int version) {
    OperatorSession.Reply reply = session.call(OpCode.SET_DATA, new SetData(path, data, version));
    if (reply.err() != Code.OK) {
      throw new OperatorException(sentence(reply.err(), path, version, false));
    }
    return decode(() -> Stat.read(reply.body()));
  }

  @Override
  public int delete(String path, int version, boolean recursive) {
    if (!recursive) {
      OperatorSession.Reply reply = session.call(OpCode.DELETE, new Delete(path, version));
      if (reply.err() != Code.OK) {
        throw new OperatorException(sentence(reply.err(), path, version, false));
      }
      return 1;
    }
    if ("/".equals(path) || "/zookeeper".equals(path)) {
      throw new OperatorException("refusing to delete " + path + " recursively");
    }
    List<String> order = view.subtreeChildrenFirst(path);
    if (order.isEmpty()) {
      throw new OperatorException(sentence(Code.NO_NODE, path, version, false));
    }
    for (int from = 0; from < order.size(); from += BATCH) {
      List<String> batch = order.subList(from, Math.min(order.size(), from + BATCH));
      List<Op> ops = new ArrayList<>();
      for (String each : batch) {
        ops.add(new Op(OpCode.DELETE, new Delete(each, each.equals(path) ? version : -1)));
      }
      OperatorSession.Reply reply = session.call(OpCode.MULTI, new Multi(ops));
      if (reply.err() != Code.OK) {
        throw new OperatorException(sentence(reply.err(), path, version, false));
      }
      Failure failed = decode(() -> failedOp(reply.body()));
      if (failed != null) {
        String at = batch.get(failed.index());
        int err = failed.err();
        String done = from == 0 ? "" : " (" + from + " znodes were deleted before)";
        throw new OperatorException(
            sentence(err, at, at.equals(path) ? version : -1, false) + done);
      }
    }
    return order.size();
  }

  /** The failing op of a multi: its index in the batch and its error code. */
  private record Failure(int index, int err) {}

  /** The first op of a multi response that failed for its own reason, or null. */
  private static Failure failedOp(JuteInput in) throws JuteDecodeException {
    for (int i = 0; ; i++) {
      int type = in.readInt();
      boolean done = in.readBool();
      int err = in.readInt();
      if (done) {
        return null;
      }
      if (type == OpCode.ERROR) {
        int code = in.readInt();
        if (code != Code.OK && code != Code.RUNTIME_INCONSISTENCY) {
          return new Failure(i, code);
        }
      } else if (err != Code.OK) {
        return new Failure(i, err);
      }
    }
  }

  /** ZooKeeper's error {@code err} on {@code path} as one sentence. */
  String sentence(int err, String path, int version, boolean creating) {
    return switch (err) {
      case Code.NO_NODE ->
          creating ? "no node " + parentOf(path) + " (the parent of " + path + ")"
              : "no node " + path;
      case Code.NODE_EXISTS -> "node " + path + " already exists";
      case Code.BAD_VERSION -> "bad version: expected " + version + ", is " + currentVersion(path);
      case Code.NOT_EMPTY -> "node " + path + " has children; use -r";
      case Code.NO_CHILDREN_FOR_EPHEMERALS ->
          "node " + parentOf(path) + " is ephemeral and cannot have children";
      case Code.BAD_ARGUMENTS -> "'" + path + "' is not a valid znode path";
      case Code.NO_AUTH -> "the ACL of " + path + " does not let world:anyone do this";
      case Code.SESSION_EXPIRED -> "the operator session expired; run the command again";
      default -> "the coordination service refused the request on " + path + " with error " + err;
    };
  }

  private String currentVersion(String path) {
    Znode now = view.read(path);
    return now == null ? "gone" : String.valueOf(now.stat().version());
  }

  private static String parentOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  @Override
  public List<Introspection.SessionInfo> sessions() {
    return view.sessions();
  }

  @Override
  public List<Introspection.WatchInfo> watches() {
    return view.watches();
  }

  @Override
  public long operatorSessionId() {
    return session.sessionId();
  }

  private interface Decoder<T> {
    T decode() throws JuteDecodeException;
  }

  private static <T> T decode(Decoder<T> decoder) {
    try {
      return decoder.decode();
    } catch (JuteDecodeException e) {
      throw new OperatorException("the coordination service sent an unreadable reply: " + e);
    }
  }
}
