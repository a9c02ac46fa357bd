package io.cairn.consensus.internal.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Pending ReadIndex requests on the leader (thesis §6.4). Each request gets a context number and
 * the commit index at the time it is confirmed; it is ready once a quorum of voters has answered a
 * heartbeat carrying that context (or a later one), which proves nobody else led meanwhile.
 * Requests made before the leader committed an entry of its own term wait, unnumbered, until it
 * has (§6.4 step 1). Called only on the group's event loop.
 */
final class ReadIndexQueue {
  private static final class Pending {
    final long requestId;
    final long context;
    final long index;
    final Set<Integer> acks = new HashSet<>();

    Pending(long requestId, long context, long index) {
      this.requestId = requestId;
      this.context = context;
      this.index = index;
    }
  }

  private final ArrayDeque<Long> waitingForCommit = new ArrayDeque<>();
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private long nextContext = 1;

  /** Queues a request that must wait until the leader commits an entry of its term. */
  void waitForTermCommit(long requestId) {
    waitingForCommit.addLast(requestId);
  }

  /** Starts a confirmation round for {@code requestId} at {@code commitIndex}; returns its context. */
  long start(long requestId, long commitIndex, int self) {
    Pending read = new Pending(requestId, nextContext++, commitIndex);
    read.acks.add(self);
    pending.addLast(read);
    return read.context;
  }

  /** Requests that were waiting for the first commit of the term. */
  List<Long> drainWaiting() {
    List<Long> out = new ArrayList<>(waitingForCommit);
    waitingForCommit.clear();
    return out;
  }

  /** A context for a heartbeat round of its own (leases); later than every read's so far. */
  long newContext() {
    return nextContext++;
  }

  /** The newest context in flight, or 0. */
  long lastContext() {
    return pending.isEmpty() ? 0 : pending.peekLast().context;
  }

  /**
   * Records that {@code voter} answered a heartbeat with {@code context}; returns the reads that
   * became ready, in request order.
   */
  List<ReadState> acknowledge(int voter, long context, Predicate<Set<Integer>> quorum) {
    for (Pending read : pending) {
      if (read.context > context) {
        break;
      }
      read.acks.add(voter);
    }
    Pending lastReady = null;
    for (Pending read : pending) {
      if (quorum.test(read.acks)) {
        lastReady = read;
      }
    }
    List<ReadState> ready = new ArrayList<>();
    while (lastReady != null && !pending.isEmpty()) {
      Pending read = pending.removeFirst();
      ready.add(new ReadState(read.requestId, read.index));
      if (read == lastReady) {
        break;
      }
    }
    return ready;
  }

  /** Drops everything (leadership lost); returns the request ids that must fail. */
  List<Long> clear() {
    List<Long> failed = new ArrayList<>(waitingForCommit);
    for (Pending read : pending) {
      failed.add(read.requestId);
    }
    waitingForCommit.clear();
    pending.clear();
    return failed;
  }
}
