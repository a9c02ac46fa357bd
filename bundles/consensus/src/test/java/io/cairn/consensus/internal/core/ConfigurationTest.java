package io.cairn.consensus.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.env.RandomSource;
import io.cairn.env.storage.LogEntry;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Joint-consensus arithmetic (Raft §6) against naive oracles, and the entry encoding. */
class ConfigurationTest {
  private static Set<Integer> randomSet(RandomSource random, int universe) {
    Set<Integer> set = new TreeSet<>();
    for (int id = 1; id <= universe; id++) {
      if (random.chance(0.5)) {
        set.add(id);
      }
    }
    if (set.isEmpty()) {
      set.add(1 + random.nextInt(universe));
    }
    return set;
  }

  @Test
  void jointCommitIndexIsTheMinimumOfBothMajorities() {
    RandomSource random = RandomSource.seeded(3);
    for (int trial = 0; trial < 10_000; trial++) {
      Set<Integer> incoming = randomSet(random, 7);
      Set<Integer> outgoing = randomSet(random, 7);
      Configuration joint = new Configuration(incoming, outgoing, Set.of());
      Map<Integer, Long> match = new HashMap<>();
      for (int id = 1; id <= 7; id++) {
        match.put(id, (long) random.nextInt(10));
      }
      long expected = 0;
      for (long x = 0; x < 10; x++) {
        if (majorityHas(incoming, match, x) && majorityHas(outgoing, match, x)) {
          expected = x;
        }
      }
      assertEquals(expected, joint.committedIndex(match::get), "config " + joint + " " + match);
    }
  }

  private static boolean majorityHas(Set<Integer> set, Map<Integer, Long> match, long x) {
    long count = set.stream().filter(id -> match.get(id) >= x).count();
    return count >= set.size() / 2 + 1;
  }

  @Test
  void aJointElectionNeedsBothMajorities() {
    Configuration joint = new Configuration(Set.of(4, 5, 6), Set.of(1, 2, 3), Set.of());
    Map<Integer, Boolean> votes = new HashMap<>(Map.of(1, true, 2, true, 4, true));
    assertEquals(Quorum.VoteResult.PENDING, joint.tally(votes));
    votes.put(5, true);
    assertEquals(Quorum.VoteResult.WON, joint.tally(votes));
    votes.put(5, false);
    votes.put(6, false);
    assertEquals(Quorum.VoteResult.LOST, joint.tally(votes));
    assertTrue(joint.hasQuorum(Set.of(1, 2, 4, 5)));
    assertFalse(joint.hasQuorum(Set.of(1, 2, 3, 4)));
  }

  @Test
  void encodingRoundTrips() {
    Configuration config = new Configuration(Set.of(3, 1), Set.of(1, 2), Set.of(9));
    LogEntry entry = new LogEntry(5, 2, EntryKind.CONFIGURATION.frame(config.encode()));
    assertEquals(EntryKind.CONFIGURATION, EntryKind.of(entry));
    assertEquals(config, EntryKind.configuration(entry));
    assertThrows(IllegalArgumentException.class, () -> Configuration.decode(new byte[] {0, 0}));
  }

  @Test
  void aVoterCannotAlsoBeALearner() {
    assertThrows(
        IllegalArgumentException.class, () -> new Configuration(Set.of(1), Set.of(), Set.of(1)));
  }
}
