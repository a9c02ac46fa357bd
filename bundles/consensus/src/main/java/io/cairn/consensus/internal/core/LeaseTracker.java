package io.cairn.consensus.internal.core;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A leader's lease (thesis §6.4.1), counted in ticks of the core's clock. Every heartbeat round
 * carries a fresh read context; once a quorum answered the round sent at tick s, no other node can
 * be elected before s + electionTimeoutTicks (each of them ignores votes for that long after
 * hearing from the leader, check-quorum's vote lease), so reads up to s + electionTimeoutTicks -
 * margin need no round of their own. The margin covers tick granularity and clock drift.
 *
 * <p>Pure bookkeeping for {@link RaftCore}, which decides when a lease may be used at all (leader,
 * no transfer this term, current-term entry committed) and resets it on role, term and membership
 * changes.
 */
final class LeaseTracker {
  private final int selfId;
  private final int electionTimeoutTicks;
  private final int marginTicks;
  /** Heartbeat rounds not yet superseded, oldest first: {context, tick sent}. */
  private final ArrayDeque<long[]> rounds = new ArrayDeque<>();
  /** The newest context each member answered in this term. */
  private final Map<Integer, Long> acked = new HashMap<>();
  /** The send tick of the newest round a quorum answered, or -1. */
  private long from = -1;

  LeaseTracker(int selfId, int electionTimeoutTicks, int marginTicks) {
    this.selfId = selfId;
    this.electionTimeoutTicks = electionTimeoutTicks;
    this.marginTicks = marginTicks;
  }

  /** Forgets every round and answer: the lease starts over. */
  void reset() {
    rounds.clear();
    acked.clear();
    from = -1;
  }

  /** A heartbeat round with {@code context} left at {@code now}; rounds too old to matter go. */
  void roundSent(long context, long now) {
    rounds.addLast(new long[] {context, now});
    while (rounds.size() > 1 && rounds.peekFirst()[1] + electionTimeoutTicks <= now) {
      rounds.removeFirst();
    }
  }

  /** {@code member} answered round {@code context} (or a later one). */
  void acked(int member, long context, Predicate<Set<Integer>> hasQuorum) {
    acked.merge(member, context, Math::max);
    Iterator<long[]> newestFirst = rounds.descendingIterator();
    while (newestFirst.hasNext()) {
      long[] round = newestFirst.next();
      Set<Integer> answered = new TreeSet<>();
      answered.add(selfId);
      for (Map.Entry<Integer, Long> answer : acked.entrySet()) {
        if (answer.getValue() >= round[0]) {
          answered.add(answer.getKey());
        }
      }
      if (hasQuorum.test(answered)) {
        from = Math.max(from, round[1]);
        while (rounds.peekFirst() != round) {
          rounds.removeFirst();
        }
        return;
      }
    }
  }

  /** Whether a quorum answered a round recent enough that the lease still holds at {@code now}. */
  boolean holds(long now) {
    return from >= 0 && now < from + electionTimeoutTicks - marginTicks;
  }
}
