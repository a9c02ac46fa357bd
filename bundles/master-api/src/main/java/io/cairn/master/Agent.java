package io.cairn.master;

import io.cairn.env.Check;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One agent as the registry knows it.
 *
 * @param id the agent id, unique in the registry
 * @param hostname the agent's hostname; empty for a gone agent (the registry keeps only its id)
 * @param port the agent's HTTP port; 0 for a gone agent
 * @param state admitted, unreachable or gone
 * @param sinceMs for an unreachable or gone agent, when it was marked so (wall-clock millis carried
 *     in the command); empty for an admitted agent
 * @param scalars the agent's total scalar resources by name, e.g. {@code cpus=10.0}; sorted
 * @param attributes the agent's attributes as Mesos text, e.g. {@code rack=a}; sorted
 */
public record Agent(
    String id,
    String hostname,
    int port,
    AgentState state,
    OptionalLong sinceMs,
    Map<String, Double> scalars,
    Map<String, String> attributes) {
  public Agent {
    Check.argument(id != null && !id.isEmpty(), "agent id must not be empty");
    Check.argument(state != null, "agent %s has no state", id);
    Check.argument(
        sinceMs.isPresent() == (state != AgentState.ADMITTED),
        "agent %s in state %s: sinceMs %s must be present exactly when not admitted",
        id,
        state,
        sinceMs);
    scalars = Registry.sortedCopy(scalars);
    attributes = Registry.sortedCopy(attributes);
  }
}
