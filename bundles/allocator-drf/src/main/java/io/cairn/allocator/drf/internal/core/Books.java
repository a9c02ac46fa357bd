package io.cairn.allocator.drf.internal.core;

import io.cairn.env.Check;
import io.cairn.allocator.AgentId;
import io.cairn.allocator.AgentResources;
import io.cairn.allocator.AgentSpec;
import io.cairn.allocator.Allocation;
import io.cairn.allocator.FrameworkId;
import io.cairn.allocator.FrameworkSpec;
import io.cairn.allocator.Quantities;
import io.cairn.allocator.Quota;
import io.cairn.allocator.Roles;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The allocator's mutable state: agents with their allocations, frameworks, weights, quotas,
 * refusal filters and the allocation counts the sorters break ties with. Only {@link DrfAllocator}
 * changes it; {@link AllocationStep} only reads it.
 *
 * <p>Invariants (checked by {@link #checkInvariants()} in tests): for every agent, the sum of its
 * allocations is contained in its total and equals the total minus {@code available}; per-role and per-framework
 * sums equal the sums over agents. Called only on the allocator's thread.
 */
final class Books {
  /** One agent and what is allocated on it. */
  static final class AgentEntry {
    AgentSpec spec;
    boolean active = true;
    /**
     * Always {@code spec.total()} minus the sum of {@link #allocations}; kept, not recomputed, as
     * it is read per step. (The sum itself is not kept: adding fragmented port sets on every
     * offer costs more than summing on the rare {@link #allocated()} call.)
     */
    private AgentResources available;
    final Map<FrameworkRole, AgentResources> allocations = new HashMap<>();

    AgentEntry(AgentSpec spec) {
      this.spec = spec;
      this.available = spec.total();
    }

    AgentResources available() {
      return available;
    }

    /** Replaces the spec; the caller has checked that the new total holds the allocations. */
    void respec(AgentSpec newSpec) {
      spec = newSpec;
      available = newSpec.total().minus(allocated());
    }

    /** The sum of the allocations on this agent. */
    AgentResources allocated() {
      AgentResources sum = AgentResources.EMPTY;
      for (AgentResources part : allocations.values()) {
        sum = sum.plus(part);
      }
      return sum;
    }

    /**
     * Takes {@code resources} (now in {@link #allocations}) from available. An agent offered
     * whole takes no arithmetic: the values are immutable and compared by content, so sharing
     * them is exact.
     */
    void add(AgentResources resources) {
      available = available.equals(resources) ? AgentResources.EMPTY : available.minus(resources);
    }

    /** Gives {@code resources} (no longer in {@link #allocations}) back to available. */
    void subtract(AgentResources resources) {
      available = available.isEmpty() ? resources : available.plus(resources);
    }
  }

  /** One framework, its state and what it holds per role. */
  static final class FrameworkEntry {
    FrameworkSpec spec;
    boolean active;
    final Set<String> suppressed = new HashSet<>();
    final Map<String, Quantities> allocatedByRole = new HashMap<>();

    FrameworkEntry(FrameworkSpec spec, boolean active) {
      this.spec = spec;
      this.active = active;
    }
  }

  /** Agents in id order; change only through {@link #putAgent}, {@link #removeAgent}. */
  final TreeMap<AgentId, AgentEntry> agents = new TreeMap<>();
  /** The same agents by id, for lookups in the hot path (a hash, not 15 string compares). */
  private final Map<AgentId, AgentEntry> agentIndex = new HashMap<>();
  /** The scalar total of every agent, kept as agents come, go and change. */
  private Quantities clusterTotal = Quantities.ZERO;
  final TreeMap<FrameworkId, FrameworkEntry> frameworks = new TreeMap<>();
  final TreeMap<String, Double> weights = new TreeMap<>();
  final TreeMap<String, Quota> quotas = new TreeMap<>();
  /** Allocated quantities per role, held directly by frameworks of that role (no descendants). */
  final Map<String, Quantities> roleAllocated = new HashMap<>();
  /**
   * Allocations ever made to frameworks of exactly this role (the sorter sums them up the tree):
   * a sorter tie-breaker.
   */
  final Map<String, Long> roleCounts = new HashMap<>();
  /** Allocations ever made per framework and role: a sorter tie-breaker. */
  final Map<FrameworkRole, Long> frameworkCounts = new HashMap<>();
  final Map<FrameworkRole, Map<AgentId, RefusalFilter>> filters = new HashMap<>();
  /** No filter expires before this (a lower bound), so most steps need not scan them. */
  long filtersExpireNoEarlierThanMillis = Long.MAX_VALUE;
  long cycle;

  /** Adds an agent (its id is new) with nothing allocated. */
  void putAgent(AgentSpec spec) {
    AgentEntry entry = new AgentEntry(spec);
    agents.put(spec.id(), entry);
    agentIndex.put(spec.id(), entry);
    clusterTotal = clusterTotal.plus(spec.total().quantities());
  }

  /** Replaces an agent's spec; the caller has checked that the new total holds its allocations. */
  void respecAgent(AgentEntry entry, AgentSpec spec) {
    clusterTotal = clusterTotal.minus(entry.spec.total().quantities())
        .plus(spec.total().quantities());
    entry.respec(spec);
  }

  /** Removes an agent whose allocations have been removed. */
  void removeAgent(AgentId id) {
    AgentEntry entry = agentIndex.remove(id);
    agents.remove(id);
    if (entry != null) {
      clusterTotal = clusterTotal.minus(entry.spec.total().quantities());
    }
  }

  /** Adds a refusal filter. */
  void putFilter(FrameworkRole key, AgentId agentId, RefusalFilter filter) {
    filters.computeIfAbsent(key, k -> new HashMap<>()).put(agentId, filter);
    filtersExpireNoEarlierThanMillis =
        Math.min(filtersExpireNoEarlierThanMillis, filter.expiresAtMillis());
  }

  AgentEntry agent(AgentId id) {
    AgentEntry entry = agentIndex.get(id);
    Check.argument(entry != null, "unknown agent %s", id);
    return entry;
  }

  FrameworkEntry framework(FrameworkId id) {
    FrameworkEntry entry = frameworks.get(id);
    Check.argument(entry != null, "unknown framework %s", id);
    return entry;
  }

  /** Checks that {@code allocation} may be added, without changing anything. */
  void checkAllocatable(Allocation allocation) {
    AgentEntry agent = agent(allocation.agentId());
    FrameworkEntry framework = framework(allocation.frameworkId());
    Check.argument(framework.spec.roles().contains(allocation.role()),
        "framework %s is not subscribed to role %s", allocation.frameworkId(), allocation.role());
    Check.argument(agent.available().contains(allocation.resources()),
        "agent %s has %s available, cannot allocate %s to framework %s",
        allocation.agentId(), agent.available(), allocation.resources(),
        allocation.frameworkId());
  }

  /** Adds an allocation (offered or used); see {@link #checkAllocatable}. */
  void allocate(Allocation allocation) {
    checkAllocatable(allocation);
    allocateChecked(agentIndex.get(allocation.agentId()), frameworks.get(allocation.frameworkId()),
        allocation.role(), allocation.resources());
  }

  /**
   * Adds an offer the step computed from these books: the step has checked it against the
   * agent's available resources and the framework's roles, so only the containment is asserted.
   */
  void allocateOffer(AgentEntry agent, FrameworkEntry framework, String role,
      AgentResources resources) {
    Check.invariant(agent.available() == resources || agent.available().contains(resources),
        "offer %s exceeds available %s on agent %s", resources, agent.available(), agent.spec.id());
    allocateChecked(agent, framework, role, resources);
  }

  private void allocateChecked(AgentEntry agent, FrameworkEntry framework, String role,
      AgentResources resources) {
    FrameworkRole key = new FrameworkRole(framework.spec.id(), role);
    agent.allocations.merge(key, resources, AgentResources::plus);
    agent.add(resources);
    Quantities quantities = resources.quantities();
    framework.allocatedByRole.merge(role, quantities, Quantities::plus);
    roleAllocated.merge(role, quantities, Quantities::plus);
    roleCounts.merge(role, 1L, Long::sum);
    frameworkCounts.merge(key, 1L, Long::sum);
  }

  /** Removes (part of) an allocation; fails if the framework does not hold it. */
  void unallocate(Allocation allocation) {
    AgentEntry agent = agent(allocation.agentId());
    FrameworkRole key = new FrameworkRole(allocation.frameworkId(), allocation.role());
    AgentResources held = agent.allocations.getOrDefault(key, AgentResources.EMPTY);
    Check.argument(held.contains(allocation.resources()),
        "framework %s holds %s on agent %s for role %s, cannot recover %s",
        allocation.frameworkId(), held, allocation.agentId(), allocation.role(),
        allocation.resources());
    AgentResources left = held.equals(allocation.resources())
        ? AgentResources.EMPTY : held.minus(allocation.resources());
    if (left.isEmpty()) {
      agent.allocations.remove(key);
    } else {
      agent.allocations.put(key, left);
    }
    agent.subtract(allocation.resources());
    Quantities quantities = allocation.resources().quantities();
    FrameworkEntry framework = framework(allocation.frameworkId());
    framework.allocatedByRole.computeIfPresent(allocation.role(),
        (role, q) -> q.minus(quantities).isZero() ? null : q.minus(quantities));
    roleAllocated.computeIfPresent(allocation.role(),
        (role, q) -> q.minus(quantities).isZero() ? null : q.minus(quantities));
  }

  /** The scalar total of every agent. */
  Quantities clusterTotal() {
    return clusterTotal;
  }

  /** Allocated quantities per role including its descendants (what quota is measured on). */
  Map<String, Quantities> roleConsumed() {
    Map<String, Quantities> consumed = new HashMap<>();
    roleAllocated.forEach((role, quantities) -> {
      for (String path : Roles.selfAndAncestors(role)) {
        consumed.merge(path, quantities, Quantities::plus);
      }
    });
    return consumed;
  }

  /** Recomputes every derived sum from the per-agent allocations and compares. */
  void checkInvariants() {
    Map<String, Quantities> byRole = new HashMap<>();
    for (AgentEntry agent : agents.values()) {
      AgentResources sum = AgentResources.EMPTY;
      for (Map.Entry<FrameworkRole, AgentResources> e : agent.allocations.entrySet()) {
        sum = sum.plus(e.getValue());
        byRole.merge(e.getKey().role(), e.getValue().quantities(), Quantities::plus);
      }
      Check.invariant(agent.spec.total().contains(sum), "agent %s over-allocated: %s of %s",
          agent.spec.id(), sum, agent.spec.total());
      Check.invariant(agent.available().equals(agent.spec.total().minus(sum)),
          "agent %s available %s but total %s minus allocated %s differs",
          agent.spec.id(), agent.available(), agent.spec.total(), sum);
    }
    Check.invariant(byRole.equals(roleAllocated), "role sums %s differ from books %s",
        byRole, roleAllocated);
    Quantities total = Quantities.ZERO;
    for (AgentEntry agent : agents.values()) {
      total = total.plus(agent.spec.total().quantities());
      Check.invariant(agentIndex.get(agent.spec.id()) == agent, "agent %s not indexed",
          agent.spec.id());
    }
    Check.invariant(agentIndex.size() == agents.size(), "agent index holds %s agents, books %s",
        agentIndex.size(), agents.size());
    Check.invariant(total.equals(clusterTotal), "cluster total %s but agents sum to %s",
        clusterTotal, total);
  }
}
