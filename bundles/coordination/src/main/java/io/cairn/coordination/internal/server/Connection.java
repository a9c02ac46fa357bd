package io.cairn.coordination.internal.server;

import io.cairn.coordination.internal.jute.Id;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Server-side state of one client connection; guarded by the server's lock.
 *
 * <p>Ordering: {@link #inflight} holds the requests started but not yet answered, oldest first.
 * Consecutive writes are pipelined (proposed without waiting, the log keeps their order); any other
 * request waits until nothing is in flight, so a read sees this connection's earlier writes.
 * Replies leave strictly in request order: a completed request waits for the ones before it.
 */
final class Connection {
  final long id;
  final CountingChannel channel;
  final ArrayDeque<Object> inbox = new ArrayDeque<>();
  /** Arrival time (monotonic ns) of each message in {@link #inbox}, same order. */
  final ArrayDeque<Long> arrivals = new ArrayDeque<>();
  final List<Id> callerIds = new ArrayList<>();
  final ArrayDeque<Pending> inflight = new ArrayDeque<>();
  boolean connected;
  boolean closed;
  boolean closingSession;
  long sessionId;
  int timeoutMs;
  /** Frames received on this connection (connect, requests, pings). */
  long received;

  /** A started request whose reply is not sent yet. */
  static final class Pending {
    final boolean write;
    boolean done;
    byte[] reply;
    boolean closeAfter;
    /** Arrival time of the request (monotonic ns); 0 once its latency was recorded. */
    long arrivedNanos;

    Pending(boolean write) {
      this.write = write;
    }
  }

  /** True when a request of this kind may start now. */
  boolean mayStart(boolean write) {
    if (inflight.isEmpty()) {
      return true;
    }
    if (!write) {
      return false;
    }
    for (Pending pending : inflight) {
      if (!pending.write) {
        return false;
      }
    }
    return true;
  }

  Connection(long id, CountingChannel channel) {
    this.id = id;
    this.channel = channel;
    callerIds.add(new Id("ip", channel.remoteIp()));
  }
}
