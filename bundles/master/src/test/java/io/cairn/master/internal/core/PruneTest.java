package io.cairn.master.internal.core;

import static io.cairn.master.internal.core.Commands.admit;
import static io.cairn.master.internal.core.Commands.prune;
import static io.cairn.master.internal.core.Commands.unreachable;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.master.Agent;
import io.cairn.master.AgentState;
import io.cairn.master.internal.proto.RegistryProtos.RegistryCommand;
import io.cairn.master.internal.proto.RegistryProtos.RegistryResult;
import io.cairn.master.internal.proto.RegistryProtos.RegistryResult.Code;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Garbage collection of unreachable agents (Mesos registry_max_agent_age and
 * registry_max_agent_count): by age, then by count, always oldest first, ties by id.
 */
class PruneTest {
  private final RegistryCore core = new RegistryCore();
  private long index;

  private RegistryResult apply(RegistryCommand command) {
    return core.apply(++index, command);
  }

  private void unreachableAt(String id, long timeMs) {
    apply(admit(id));
    apply(unreachable(id, timeMs));
  }

  @Test
  void agentsOlderThanTheMaxAgeArePrunedOldestFirst() {
    unreachableAt("c", 300);
    unreachableAt("a", 100);
    unreachableAt("b", 200);
    RegistryResult result = apply(prune(1000, 750, 100));
    assertEquals(List.of("a", "b"), RegistryCore.pruned(result));
    assertEquals(List.of("c"), ids(AgentState.UNREACHABLE));
  }

  @Test
  void anAgentExactlyAtTheMaxAgeStays() {
    unreachableAt("a", 250);
    assertEquals(List.of(), RegistryCore.pruned(apply(prune(1000, 750, 100))));
  }

  @Test
  void beyondTheMaxCountTheOldestGoTiesByAgentId() {
    unreachableAt("z", 100);
    unreachableAt("y", 100);
    unreachableAt("x", 50);
    unreachableAt("w", 400);
    RegistryResult result = apply(prune(500, 10_000, 1));
    assertEquals(List.of("x", "y", "z"), RegistryCore.pruned(result));
    assertEquals(List.of("w"), ids(AgentState.UNREACHABLE));
  }

  @Test
  void pruningLeavesAdmittedAndGoneAgentsAlone() {
    apply(admit("up"));
    apply(admit("down"));
    apply(Commands.gone("down", 1));
    unreachableAt("lost", 1);
    assertEquals(List.of("lost"), RegistryCore.pruned(apply(prune(1_000_000, 0, 0))));
    assertEquals(List.of("up"), ids(AgentState.ADMITTED));
    assertEquals(List.of("down"), ids(AgentState.GONE));
  }

  /** Against a naive oracle: sort everything, drop the old, then drop the oldest beyond count. */
  @Test
  void pruningMatchesANaiveOracle() {
    long seed = new SplittableRandom().nextLong();
    SplittableRandom random = new SplittableRandom(seed);
    for (int run = 0; run < 50; run++) {
      RegistryCore fresh = new RegistryCore();
      List<long[]> marked = new ArrayList<>();
      long i = 0;
      int n = random.nextInt(30);
      for (int k = 0; k < n; k++) {
        fresh.apply(++i, admit("a" + k));
        long time = random.nextLong(100);
        fresh.apply(++i, unreachable("a" + k, time));
        marked.add(new long[] {time, k});
      }
      long now = random.nextLong(200);
      long maxAge = random.nextLong(100);
      int maxCount = random.nextInt(20);
      List<String> expected = oracle(marked, now, maxAge, maxCount);
      RegistryResult result = fresh.apply(++i, prune(now, maxAge, maxCount));
      assertEquals(Code.OK, result.getCode());
      assertEquals(expected, RegistryCore.pruned(result), "seed=" + seed + " run=" + run);
    }
  }

  private static List<String> oracle(List<long[]> marked, long now, long maxAge, int maxCount) {
    List<long[]> sorted = new ArrayList<>(marked);
    sorted.sort(Comparator.<long[]>comparingLong(m -> m[0]).thenComparing(m -> "a" + m[1]));
    List<String> pruned = new ArrayList<>();
    List<long[]> kept = new ArrayList<>();
    for (long[] m : sorted) {
      if (now - m[0] > maxAge) {
        pruned.add("a" + m[1]);
      } else {
        kept.add(m);
      }
    }
    IntStream.range(0, Math.max(0, kept.size() - maxCount))
        .forEach(k -> pruned.add("a" + kept.get(k)[1]));
    return pruned;
  }

  private List<String> ids(AgentState state) {
    return core.view().agents(state).stream().map(Agent::id).toList();
  }
}
