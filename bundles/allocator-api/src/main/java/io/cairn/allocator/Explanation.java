package io.cairn.allocator;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Why one allocation step offered what it offered. {@code unmetDemand}: one {@link
 * ReasonCode#NO_OFFER} reason for every active, unsuppressed (framework, role) that got no offer,
 * summarising its skips. {@code skips}: the individual skips (per agent, or per agent and
 * framework), bounded by {@link AllocatorOptions#reasonsMax()}; {@code skipsDropped} counts those
 * left out. {@code counts}: every skip counted by code, never bounded.
 */
@ProviderType
public record Explanation(
    List<Reason> unmetDemand, List<Reason> skips, long skipsDropped,
    Map<ReasonCode, Long> counts) {
  /** Nothing to explain. */
  public static final Explanation EMPTY =
      new Explanation(List.of(), List.of(), 0, new EnumMap<>(ReasonCode.class));

  /** Copies the collections. */
  public Explanation {
    unmetDemand = List.copyOf(unmetDemand);
    skips = List.copyOf(skips);
    EnumMap<ReasonCode, Long> copy = new EnumMap<>(ReasonCode.class);
    copy.putAll(counts);
    counts = Collections.unmodifiableMap(copy);
  }

  /** The number of skips with this code. */
  public long count(ReasonCode code) {
    return counts.getOrDefault(code, 0L);
  }

  /** The reasons (unmet demand first, then skips) that concern this framework. */
  public List<Reason> about(FrameworkId frameworkId) {
    return java.util.stream.Stream.concat(unmetDemand.stream(), skips.stream())
        .filter(reason -> reason.frameworkId().filter(frameworkId::equals).isPresent())
        .toList();
  }

  /** The skips that concern this agent. */
  public List<Reason> about(AgentId agentId) {
    return skips.stream()
        .filter(reason -> reason.agentId().filter(agentId::equals).isPresent())
        .toList();
  }
}
