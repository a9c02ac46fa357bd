package io.cairn.allocator;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Everything an allocator must hand to its successor on a hot swap so that nothing is lost or
 * offered twice: agents (and which are inactive), frameworks (which are inactive, which roles each
 * suppressed), every allocation (offered or used), weights and quotas. Refusal filters are not
 * handed over: they are hints, and dropping one only makes an offer come back early (Mesos also
 * loses them on master failover).
 */
@ProviderType
public record AllocatorBooks(
    List<AgentSpec> agents,
    Set<AgentId> inactiveAgents,
    List<FrameworkSpec> frameworks,
    Set<FrameworkId> inactiveFrameworks,
    Map<FrameworkId, Set<String>> suppressedRoles,
    List<Allocation> allocations,
    SortedMap<String, Double> weights,
    SortedMap<String, Quota> quotas) {
  /** No agents, no frameworks. */
  public static final AllocatorBooks EMPTY = new AllocatorBooks(
      List.of(), Set.of(), List.of(), Set.of(), Map.of(), List.of(), new TreeMap<>(),
      new TreeMap<>());

  /** Copies every collection. */
  public AllocatorBooks {
    agents = List.copyOf(agents);
    inactiveAgents = Set.copyOf(inactiveAgents);
    frameworks = List.copyOf(frameworks);
    inactiveFrameworks = Set.copyOf(inactiveFrameworks);
    suppressedRoles = Map.copyOf(suppressedRoles);
    allocations = List.copyOf(allocations);
    weights = Collections.unmodifiableSortedMap(new TreeMap<>(weights));
    quotas = Collections.unmodifiableSortedMap(new TreeMap<>(quotas));
  }
}
