package io.cairn.consensus;

import java.util.Set;

/**
 * The members of the group. Voters count for elections and commitment; learners receive the log
 * but do not vote until promoted (thesis §4.2.1: new servers catch up before they vote).
 *
 * @param voters node ids that vote, never empty
 * @param learners node ids that only replicate, disjoint from {@code voters}
 */
public record Membership(Set<Integer> voters, Set<Integer> learners) {
  public Membership {
    voters = Set.copyOf(voters);
    learners = Set.copyOf(learners);
    if (voters.isEmpty()) {
      throw new IllegalArgumentException("a membership needs at least one voter");
    }
    for (Integer learner : learners) {
      if (voters.contains(learner)) {
        throw new IllegalArgumentException("node " + learner + " is both voter and learner");
      }
    }
  }

  /** Voters only. */
  public static Membership ofVoters(Set<Integer> voters) {
    return new Membership(voters, Set.of());
  }
}
