package io.cairn.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RegistryTest {
  @Test
  void mapsAreSortedAndUnweightedRolesWeighOne() {
    Registry registry =
        new Registry(3, List.of(), List.of(), Map.of("b", 2.0, "a", 3.0), Map.of(), List.of());
    assertEquals(List.of("a", "b"), List.copyOf(registry.weights().keySet()));
    assertEquals(1.0, registry.weight("c"));
    assertEquals(2.0, registry.weight("b"));
  }

  @Test
  void agentsAreFilteredByState() {
    Agent admitted = agent("a1", AgentState.ADMITTED, OptionalLong.empty());
    Agent gone = agent("a2", AgentState.GONE, OptionalLong.of(5));
    Registry registry =
        new Registry(1, List.of(admitted, gone), List.of(), Map.of(), Map.of(), List.of());
    assertEquals(List.of(gone), registry.agents(AgentState.GONE));
    assertEquals(List.of(admitted), registry.agents(AgentState.ADMITTED));
  }

  @Test
  void anUnreachableAgentNeedsTheTimeItWasMarked() {
    assertThrows(
        IllegalArgumentException.class,
        () -> agent("a1", AgentState.UNREACHABLE, OptionalLong.empty()));
  }

  private static Agent agent(String id, AgentState state, OptionalLong since) {
    return new Agent(id, "h", 5051, state, since, Map.of(), Map.of());
  }
}
