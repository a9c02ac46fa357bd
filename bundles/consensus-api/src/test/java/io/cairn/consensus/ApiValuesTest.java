package io.cairn.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The API's values reject impossible states up front. */
class ApiValuesTest {
  @Test
  void aMembershipNeedsVotersAndDisjointLearners() {
    assertThrows(IllegalArgumentException.class, () -> Membership.ofVoters(Set.of()));
    assertThrows(IllegalArgumentException.class, () -> new Membership(Set.of(1, 2), Set.of(2)));
    Set<Integer> voters = new HashSet<>(Set.of(1, 2, 3));
    Membership membership = Membership.ofVoters(voters);
    voters.add(4);
    assertEquals(Set.of(1, 2, 3), membership.voters(), "defensive copy");
  }

  @Test
  void leadershipIsConsistent() {
    assertThrows(IllegalArgumentException.class, () -> new Leadership(3, 0, true));
    assertFalse(new Leadership(3, 0, false).known());
    assertTrue(new Leadership(3, 2, false).known());
  }

  @Test
  void anAppliedEntryHasAPosition() {
    assertThrows(IllegalArgumentException.class, () -> new Applied(0, 1, new byte[0]));
    assertEquals(7, new Applied(7, 2, new byte[0]).index());
  }

  @Test
  void notLeaderNamesTheLeader() {
    assertEquals(3, new NotLeaderException(1, 3).leaderHint());
  }
}
