package io.cairn.consensus.internal.core;

import java.util.ArrayDeque;

/**
 * What the leader knows about one follower's log (Raft Figure 2 {@code nextIndex}/{@code
 * matchIndex}), plus the flow control of etcd-raft's design: a follower is either probed (one
 * append at a time until its log position is found) or replicated to (appends pipelined up to a
 * bound, {@code nextIndex} advanced optimistically).
 *
 * <pre>
 *   PROBE --(append accepted)--> REPLICATE --(append rejected)--> PROBE
 *     |  ^                                                           |
 *     |  +--(no answer in time)-- SNAPSHOT <--(entries compacted)----+
 *     +--(entries compacted)-->      --(snapshot acknowledged)--> REPLICATE
 * </pre>
 *
 * Called only on the group's event loop.
 */
final class Progress {
  enum State {
    PROBE,
    REPLICATE,
    SNAPSHOT
  }

  private long match;
  private long next;
  private State state = State.PROBE;
  private boolean probeSent;
  private boolean recentActive;
  private final ArrayDeque<Long> inflight = new ArrayDeque<>();
  private final int maxInflight;
  private int stalledTicks;
  /** The highest commit index sent to this follower in this term (heartbeats send less). */
  private long commitSent;

  Progress(long next, int maxInflight) {
    this.next = next;
    this.maxInflight = maxInflight;
  }

  long match() {
    return match;
  }

  long next() {
    return next;
  }

  State state() {
    return state;
  }

  long commitSent() {
    return commitSent;
  }

  void commitSent(long commitIndex) {
    commitSent = Math.max(commitSent, commitIndex);
  }

  boolean recentActive() {
    return recentActive;
  }

  void setRecentActive(boolean active) {
    recentActive = active;
  }

  /** True when no append may be sent now: a probe is outstanding or the pipeline is full. */
  boolean paused() {
    return switch (state) {
      case PROBE -> probeSent;
      case REPLICATE -> inflight.size() >= maxInflight;
      case SNAPSHOT -> true;
    };
  }

  /** A snapshot up to {@code index} was sent: wait for its acknowledgement. */
  void snapshotSent(long index) {
    state = State.SNAPSHOT;
    inflight.clear();
    next = index + 1;
    stalledTicks = 0;
  }

  /** Records that an append ending at {@code lastIndex} was sent. */
  void sent(long lastIndex, boolean hadEntries) {
    if (state == State.PROBE) {
      probeSent = true;
    } else if (hadEntries) {
      next = lastIndex + 1;
      inflight.addLast(lastIndex);
    }
  }

  /** Any answer from the follower lets the next probe go. */
  void resumeProbe() {
    probeSent = false;
  }

  /**
   * Called every leader tick. Appends in flight that are never answered (lost on an unreliable
   * transport) would stall a pipelined follower forever; after {@code retransmitTicks} without
   * progress the follower is probed again from its match index. True when that happened.
   */
  boolean tickStalled(int retransmitTicks) {
    boolean waiting = state == State.SNAPSHOT || (state == State.REPLICATE && !inflight.isEmpty());
    if (!waiting) {
      stalledTicks = 0;
      return false;
    }
    if (++stalledTicks < retransmitTicks) {
      return false;
    }
    stalledTicks = 0;
    state = State.PROBE;
    inflight.clear();
    next = match + 1;
    probeSent = false;
    return true;
  }

  /** An accepted append: raises match (never lowers it). True when match grew. */
  boolean acknowledge(long matchIndex) {
    boolean grew = matchIndex > match;
    if (grew) {
      stalledTicks = 0;
      match = matchIndex;
      probeSent = false;
      if (state != State.REPLICATE) {
        state = State.REPLICATE;
        inflight.clear();
        next = matchIndex + 1;
      }
    }
    next = Math.max(next, matchIndex + 1);
    while (!inflight.isEmpty() && inflight.peekFirst() <= matchIndex) {
      inflight.removeFirst();
    }
    return grew;
  }

  /**
   * A rejected append at {@code rejectedIndex} with the follower's hint. Stale rejections (for an
   * index that is no longer the one probed) are ignored. True when {@code next} moved back.
   */
  boolean reject(long rejectedIndex, long hint) {
    if (state == State.SNAPSHOT) {
      return false;
    }
    if (state == State.REPLICATE) {
      if (rejectedIndex <= match) {
        return false;
      }
      state = State.PROBE;
      inflight.clear();
      next = Math.max(match + 1, Math.min(rejectedIndex, hint + 1));
      probeSent = false;
      return true;
    }
    if (rejectedIndex != next - 1) {
      return false;
    }
    next = Math.max(match + 1, Math.min(rejectedIndex, hint + 1));
    probeSent = false;
    return true;
  }
}
