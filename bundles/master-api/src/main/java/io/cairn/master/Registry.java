package io.cairn.master;

import io.cairn.env.Check;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable view of the master's registry as of one applied log index. Every node that has
 * applied the same index holds an equal view. Lists are sorted by id; maps by key.
 *
 * @param lastIndex the last log index applied, 0 before the first
 * @param agents every agent the registry remembers, admitted, unreachable or gone, by id
 * @param frameworks the registered frameworks, by id
 * @param weights role to weight (roles not listed weigh 1.0)
 * @param quotas role to quota
 * @param maintenance the maintenance schedule, in the order the operator gave it
 */
public record Registry(
    long lastIndex,
    List<Agent> agents,
    List<Framework> frameworks,
    Map<String, Double> weights,
    Map<String, Quota> quotas,
    List<MaintenanceWindow> maintenance) {
  /** The registry before anything was applied. */
  public static final Registry EMPTY =
      new Registry(0, List.of(), List.of(), Map.of(), Map.of(), List.of());

  public Registry {
    Check.argument(lastIndex >= 0, "lastIndex must be >= 0, was %s", lastIndex);
    agents = List.copyOf(agents);
    frameworks = List.copyOf(frameworks);
    weights = sortedCopy(weights);
    quotas = sortedCopy(quotas);
    maintenance = List.copyOf(maintenance);
  }

  /** The agents in {@code state}, by id. */
  public List<Agent> agents(AgentState state) {
    return agents.stream().filter(a -> a.state() == state).toList();
  }

  /** The weight of {@code role}: its configured weight, else 1.0 as in Mesos. */
  public double weight(String role) {
    return weights.getOrDefault(role, 1.0);
  }

  static <V> Map<String, V> sortedCopy(Map<String, V> map) {
    return Collections.unmodifiableMap(new TreeMap<>(map));
  }
}
