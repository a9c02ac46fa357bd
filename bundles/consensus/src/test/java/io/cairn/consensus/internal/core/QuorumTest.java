package io.cairn.consensus.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.env.RandomSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Quorum arithmetic against naive oracles, over many seeded random cases (STYLE.md §7). */
class QuorumTest {
  @Test
  void majorityIndexIsTheHighestIndexHeldByAMajority() {
    RandomSource random = RandomSource.seeded(1);
    for (int trial = 0; trial < 20_000; trial++) {
      int n = 1 + random.nextInt(7);
      long[] matches = new long[n];
      for (int i = 0; i < n; i++) {
        matches[i] = random.nextInt(12);
      }
      assertEquals(naiveMajorityIndex(matches), Quorum.majorityIndex(matches));
    }
  }

  /** The largest x such that at least n/2+1 matches are >= x. */
  private static long naiveMajorityIndex(long[] matches) {
    long best = 0;
    for (long x = 0; x <= 12; x++) {
      int count = 0;
      for (long m : matches) {
        if (m >= x) {
          count++;
        }
      }
      if (count >= matches.length / 2 + 1) {
        best = x;
      }
    }
    return best;
  }

  @Test
  void tallyAgreesWithCounting() {
    RandomSource random = RandomSource.seeded(2);
    for (int trial = 0; trial < 20_000; trial++) {
      int n = 1 + random.nextInt(7);
      Set<Integer> voters = new TreeSet<>();
      Map<Integer, Boolean> votes = new HashMap<>();
      int granted = 0;
      int rejected = 0;
      for (int id = 1; id <= n; id++) {
        voters.add(id);
        int pick = random.nextInt(3);
        if (pick < 2) {
          votes.put(id, pick == 0);
          granted += pick == 0 ? 1 : 0;
          rejected += pick == 1 ? 1 : 0;
        }
      }
      votes.put(99, true);
      Quorum.VoteResult expected =
          granted >= n / 2 + 1
              ? Quorum.VoteResult.WON
              : rejected >= n / 2 + 1 || n - rejected < n / 2 + 1
                  ? Quorum.VoteResult.LOST
                  : Quorum.VoteResult.PENDING;
      assertEquals(expected, Quorum.tally(voters, votes), "voters=" + voters + " votes=" + votes);
    }
  }
}
