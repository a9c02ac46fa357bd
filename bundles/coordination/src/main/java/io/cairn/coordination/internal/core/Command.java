package io.cairn.coordination.internal.core;

import io.cairn.coordination.internal.jute.Id;
import io.cairn.coordination.internal.jute.JuteDecodeException;
import io.cairn.coordination.internal.jute.JuteInput;
import io.cairn.coordination.internal.jute.JuteOutput;
import io.cairn.coordination.internal.jute.Requests;
import io.cairn.coordination.internal.jute.Requests.Request;
import io.cairn.env.Check;
import java.util.ArrayList;
import java.util.List;

/**
 * A replicated-log command of the coordination namespace: everything the state machine needs to
 * apply it deterministically (the proposer stamps wall time, the password and the caller's
 * authenticated ids; the zxid comes from the log index). Encoded with jute primitives: a kind
 * byte-as-int, then the fields; a write embeds the client's request in its wire encoding.
 */
public sealed interface Command {
  int KIND_CREATE_SESSION = 1;
  int KIND_CLOSE_SESSION = 2;
  int KIND_WRITE = 3;
  int KIND_REAP = 4;
  int KIND_TOUCH = 5;

  /** Sessions one {@link Touch} may carry, so the entry stays small. */
  int TOUCH_SESSIONS_MAX = 1024;

  /** Wall time stamped by the proposer, ms. */
  long timeMs();

  /** Opens a session; the state machine assigns its id from the log index. */
  record CreateSession(int timeoutMs, byte[] password, long timeMs) implements Command {}

  /** Closes or expires a session: its ephemerals go. */
  record CloseSession(long sessionId, long timeMs) implements Command {}

  /** A client write: create*, delete, setData, setACL or multi. */
  record Write(long sessionId, long timeMs, List<Id> callerIds, int type, Request request)
      implements Command {
    public Write {
      callerIds = List.copyOf(callerIds);
    }
  }

  /** Deletes an empty container or an expired TTL node if it is still reapable at apply time. */
  record Reap(String path, long timeMs) implements Command {}

  /**
   * The node holding these sessions' connections saw them alive (ZooKeeper's learners forward
   * their session pings to the leader the same way). Changes no replicated state: every node that
   * tracks an expiry deadline for a session it does not hold pushes that deadline back, and notes
   * {@code nodeId} as the node holding them (for {@code zk:sessions}; 0 = not said).
   */
  record Touch(List<Long> sessionIds, long timeMs, int nodeId) implements Command {
    /** A touch that does not name its node (as written before node ids were carried). */
    public Touch(List<Long> sessionIds, long timeMs) {
      this(sessionIds, timeMs, 0);
    }

    public Touch {
      sessionIds = List.copyOf(sessionIds);
      Check.argument(
          sessionIds.size() <= TOUCH_SESSIONS_MAX,
          "a touch carries at most %s sessions, not %s",
          TOUCH_SESSIONS_MAX,
          sessionIds.size());
    }
  }

  /** Encodes {@code command}. */
  static byte[] encode(Command command) {
    JuteOutput out = new JuteOutput();
    if (command instanceof CreateSession c) {
      out.writeInt(KIND_CREATE_SESSION).writeLong(c.timeMs()).writeInt(c.timeoutMs());
      out.writeBuffer(c.password());
    } else if (command instanceof CloseSession c) {
      out.writeInt(KIND_CLOSE_SESSION).writeLong(c.timeMs()).writeLong(c.sessionId());
    } else if (command instanceof Write w) {
      out.writeInt(KIND_WRITE).writeLong(w.timeMs()).writeLong(w.sessionId());
      out.writeInt(w.callerIds().size());
      for (Id id : w.callerIds()) {
        id.write(out);
      }
      out.writeInt(w.type());
      Requests.write(w.type(), w.request(), out);
    } else if (command instanceof Reap r) {
      out.writeInt(KIND_REAP).writeLong(r.timeMs()).writeString(r.path());
    } else if (command instanceof Touch t) {
      out.writeInt(KIND_TOUCH).writeLong(t.timeMs()).writeInt(t.sessionIds().size());
      for (long sessionId : t.sessionIds()) {
        out.writeLong(sessionId);
      }
      // Trailing and optional: a decoder that predates it stops before it (rolling updates).
      if (t.nodeId() != 0) {
        out.writeInt(t.nodeId());
      }
    }
    return out.toByteArray();
  }

  /** Decodes a command written by {@link #encode}. */
  static Command decode(byte[] bytes) throws JuteDecodeException {
    JuteInput in = new JuteInput(bytes);
    int kind = in.readInt();
    long timeMs = in.readLong();
    switch (kind) {
      case KIND_CREATE_SESSION:
        return new CreateSession(in.readInt(), in.readBuffer(), timeMs);
      case KIND_CLOSE_SESSION:
        return new CloseSession(in.readLong(), timeMs);
      case KIND_WRITE:
        long sessionId = in.readLong();
        int count = in.readVectorCount(8);
        List<Id> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          ids.add(Id.read(in));
        }
        int type = in.readInt();
        return new Write(sessionId, timeMs, ids, type, Requests.read(type, in));
      case KIND_REAP:
        return new Reap(in.readString(), timeMs);
      case KIND_TOUCH:
        int sessions = in.readVectorCount(8);
        if (sessions > TOUCH_SESSIONS_MAX) {
          throw new JuteDecodeException("touch with " + sessions + " sessions");
        }
        List<Long> sessionIds = new ArrayList<>(sessions);
        for (int i = 0; i < sessions; i++) {
          sessionIds.add(in.readLong());
        }
        return new Touch(sessionIds, timeMs, in.remaining() >= 4 ? in.readInt() : 0);
      default:
        throw new JuteDecodeException("unknown coordination command kind " + kind);
    }
  }
}
