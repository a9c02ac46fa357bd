package io.cairn.consensus.internal.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The lease arithmetic on its own: node 1 leads {1, 2, 3}, election timeout 10, margin 2. */
class LeaseTrackerTest {
  private static final Predicate<Set<Integer>> MAJORITY_OF_THREE = members -> members.size() >= 2;

  private final LeaseTracker lease = new LeaseTracker(1, 10, 2);

  @Test
  void noLeaseBeforeAQuorumAnsweredARound() {
    assertFalse(lease.holds(0));
    lease.roundSent(7, 0);
    assertFalse(lease.holds(0), "sent, not answered");
  }

  @Test
  void aQuorumAnswerHoldsFromTheRoundsSendTickForTimeoutLessMargin() {
    lease.roundSent(7, 3);
    lease.acked(2, 7, MAJORITY_OF_THREE);
    assertTrue(lease.holds(3));
    assertTrue(lease.holds(10), "3 + 10 - 2 = 11 is the first tick without a lease");
    assertFalse(lease.holds(11));
  }

  @Test
  void anAnswerToALaterRoundAlsoConfirmsEarlierOnesAndTheNewestQuorumRoundCounts() {
    lease.roundSent(7, 0);
    lease.roundSent(8, 4);
    lease.acked(3, 8, MAJORITY_OF_THREE);
    assertTrue(lease.holds(11), "the lease runs from tick 4, the newest round answered");
    assertFalse(lease.holds(12));
  }

  @Test
  void anAnswerToAnOldRoundDoesNotExtendTheLeaseToANewerOne() {
    lease.roundSent(7, 0);
    lease.roundSent(8, 5);
    lease.acked(2, 7, MAJORITY_OF_THREE);
    assertTrue(lease.holds(7));
    assertFalse(lease.holds(8), "round 8 at tick 5 is unanswered: the lease is round 7's");
  }

  @Test
  void withoutAQuorumThereIsNoLeaseAndResetForgetsEverything() {
    LeaseTracker ofFive = new LeaseTracker(1, 10, 2);
    Predicate<Set<Integer>> majorityOfFive = members -> members.size() >= 3;
    ofFive.roundSent(7, 0);
    ofFive.acked(2, 7, majorityOfFive);
    assertFalse(ofFive.holds(0), "two of five answered");
    ofFive.acked(4, 7, majorityOfFive);
    assertTrue(ofFive.holds(0));
    ofFive.reset();
    assertFalse(ofFive.holds(0));
    ofFive.roundSent(9, 1);
    ofFive.acked(2, 9, majorityOfFive);
    assertFalse(ofFive.holds(1), "answers from before the reset no longer count");
  }
}
