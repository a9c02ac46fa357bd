package io.cairn.consensus.internal.core;

import io.cairn.env.Check;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/** Pure quorum arithmetic over one voter set (Raft §5.3, §5.2). */
final class Quorum {
  private Quorum() {}

  /** Outcome of a vote count. */
  enum VoteResult {
    WON,
    LOST,
    PENDING
  }

  /**
   * The highest index replicated on a majority: sort the match indexes descending and take the
   * one at position {@code n / 2}.
   */
  static long majorityIndex(long[] matchIndexes) {
    Check.argument(matchIndexes.length > 0, "no match indexes");
    long[] sorted = matchIndexes.clone();
    Arrays.sort(sorted);
    return sorted[(sorted.length - 1) / 2];
  }

  /** Tallies granted and rejected votes among {@code voters}. */
  static VoteResult tally(Set<Integer> voters, Map<Integer, Boolean> votes) {
    int granted = 0;
    int rejected = 0;
    for (int voter : voters) {
      Boolean vote = votes.get(voter);
      if (vote == null) {
        continue;
      }
      if (vote) {
        granted++;
      } else {
        rejected++;
      }
    }
    int quorum = voters.size() / 2 + 1;
    if (granted >= quorum) {
      return VoteResult.WON;
    }
    if (rejected > voters.size() - quorum) {
      return VoteResult.LOST;
    }
    return VoteResult.PENDING;
  }
}
