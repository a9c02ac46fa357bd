package io.cairn.allocator.firstfit.internal.core;

import io.cairn.allocator.AgentId;
import io.cairn.allocator.AgentResources;
import io.cairn.allocator.AgentSpec;
import io.cairn.allocator.Allocation;
import io.cairn.allocator.AllocatorBooks;
import io.cairn.allocator.AllocatorOptions;
import io.cairn.allocator.Filters;
import io.cairn.allocator.FrameworkId;
import io.cairn.allocator.FrameworkSpec;
import io.cairn.allocator.Offer;
import io.cairn.allocator.OfferPlan;
import io.cairn.allocator.Quota;
import io.cairn.allocator.Roles;
import io.cairn.allocator.spi.Allocator;
import io.cairn.env.Check;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first-fit allocator: each free agent, in the order agents were added, goes to the first
 * active framework (in the order frameworks were added) that wants it for one of its roles. It
 * ignores weights and DRF fairness on purpose; it respects quota limits, reservations, refusal
 * filters, suppression and the minimum allocatable resources, and explains every skip. It exists
 * so that allocators can be hot-swapped: {@link #FirstFitAllocator(AllocatorOptions,
 * AllocatorBooks)} takes over any predecessor's books, and {@link #books()} hands them on.
 *
 * <p>Not thread-safe: called only on the master's event loop. Reads no clock (time arrives as
 * {@code nowMillis}), draws no randomness, starts no thread. Every call validates against the
 * books before changing them and fails with {@link IllegalArgumentException}, books unchanged.
 */
public final class FirstFitAllocator implements Allocator {
  private static final Logger LOG = LoggerFactory.getLogger(FirstFitAllocator.class);

  private final AllocatorOptions options;
  private final Ledger ledger = new Ledger();

  /** An allocator starting from {@code initial}, e.g. the books of the allocator it replaces. */
  public FirstFitAllocator(AllocatorOptions options, AllocatorBooks initial) {
    this.options = options;
    initial.frameworks().forEach(f -> addFramework(f, true, List.of()));
    initial.agents().forEach(a -> addAgent(a, List.of()));
    initial.allocations().forEach(ledger::allocate);
    initial.inactiveAgents().forEach(this::deactivateAgent);
    initial.inactiveFrameworks().forEach(this::deactivateFramework);
    initial.suppressedRoles().forEach(this::suppress);
    updateWeights(initial.weights());
    initial.quotas().forEach(this::updateQuota);
  }

  @Override
  public void addAgent(AgentSpec agent, List<Allocation> used) {
    Check.argument(!ledger.agents.containsKey(agent.id()), "agent %s added twice", agent.id());
    for (Allocation allocation : used) {
      Check.argument(allocation.agentId().equals(agent.id()),
          "allocation on agent %s passed with agent %s", allocation.agentId(), agent.id());
    }
    ledger.agents.put(agent.id(), new Ledger.AgentEntry(agent));
    try {
      used.forEach(ledger::allocate);
    } catch (IllegalArgumentException e) {
      ledger.agents.remove(agent.id());
      throw e;
    }
  }

  @Override
  public void updateAgent(AgentSpec agent) {
    Ledger.AgentEntry entry = ledger.agent(agent.id());
    Check.argument(agent.total().contains(entry.allocated),
        "agent %s new total %s does not hold its allocations %s",
        agent.id(), agent.total(), entry.allocated);
    entry.spec = agent;
  }

  @Override
  public void removeAgent(AgentId agentId) {
    ledger.agent(agentId);
    ledger.agents.remove(agentId);
    ledger.filters.values().forEach(byAgent -> byAgent.remove(agentId));
  }

  @Override
  public void activateAgent(AgentId agentId) {
    ledger.agent(agentId).active = true;
  }

  @Override
  public void deactivateAgent(AgentId agentId) {
    ledger.agent(agentId).active = false;
  }

  @Override
  public void addFramework(FrameworkSpec framework, boolean active, List<Allocation> used) {
    Check.argument(!ledger.frameworks.containsKey(framework.id()),
        "framework %s added twice", framework.id());
    for (Allocation allocation : used) {
      Check.argument(allocation.frameworkId().equals(framework.id()),
          "allocation of framework %s passed with framework %s",
          allocation.frameworkId(), framework.id());
    }
    ledger.frameworks.put(framework.id(), new Ledger.FrameworkEntry(framework, active));
    try {
      used.forEach(ledger::allocate);
    } catch (IllegalArgumentException e) {
      removeFramework(framework.id());
      throw e;
    }
  }

  @Override
  public void updateFramework(FrameworkSpec framework) {
    Ledger.FrameworkEntry entry = ledger.framework(framework.id());
    for (Ledger.AgentEntry agent : ledger.agents.values()) {
      for (Holder holder : agent.allocations.keySet()) {
        Check.argument(!holder.frameworkId().equals(framework.id())
                || framework.roles().contains(holder.role()),
            "framework %s still holds resources in role %s it leaves", framework.id(),
            holder.role());
      }
    }
    entry.spec = framework;
    entry.suppressed.retainAll(framework.roles());
    ledger.filters.keySet().removeIf(key -> key.frameworkId().equals(framework.id())
        && !framework.roles().contains(key.role()));
  }

  @Override
  public void removeFramework(FrameworkId frameworkId) {
    ledger.framework(frameworkId);
    for (Ledger.AgentEntry agent : ledger.agents.values()) {
      for (Map.Entry<Holder, AgentResources> held : List.copyOf(agent.allocations.entrySet())) {
        if (held.getKey().frameworkId().equals(frameworkId)) {
          ledger.unallocate(new Allocation(frameworkId, held.getKey().role(), agent.spec.id(),
              held.getValue()));
        }
      }
    }
    ledger.frameworks.remove(frameworkId);
    ledger.filters.keySet().removeIf(key -> key.frameworkId().equals(frameworkId));
  }

  @Override
  public void activateFramework(FrameworkId frameworkId) {
    ledger.framework(frameworkId).active = true;
  }

  @Override
  public void deactivateFramework(FrameworkId frameworkId) {
    ledger.framework(frameworkId).active = false;
  }

  @Override
  public void recoverResources(Allocation resources, Filters filters, long nowMillis) {
    ledger.unallocate(resources);
    if (filters.refuseMillis() > 0 && !resources.resources().isEmpty()) {
      long expiresAtMillis =
          nowMillis + Math.max(filters.refuseMillis(), options.allocationIntervalMillis());
      ledger.filters
          .computeIfAbsent(new Holder(resources.frameworkId(), resources.role()),
              key -> new HashMap<>())
          .put(resources.agentId(), new RefusalFilter(resources.resources(), expiresAtMillis));
    }
  }

  @Override
  public void suppress(FrameworkId frameworkId, Set<String> roles) {
    Ledger.FrameworkEntry entry = ledger.framework(frameworkId);
    entry.suppressed.addAll(rolesOf(entry, roles));
  }

  @Override
  public void revive(FrameworkId frameworkId, Set<String> roles) {
    Ledger.FrameworkEntry entry = ledger.framework(frameworkId);
    for (String role : rolesOf(entry, roles)) {
      entry.suppressed.remove(role);
      ledger.filters.remove(new Holder(frameworkId, role));
    }
  }

  private static Set<String> rolesOf(Ledger.FrameworkEntry entry, Set<String> roles) {
    if (roles.isEmpty()) {
      return entry.spec.roles();
    }
    for (String role : roles) {
      Check.argument(entry.spec.roles().contains(role),
          "framework %s is not subscribed to role %s", entry.spec.id(), role);
    }
    return roles;
  }

  /** Validates and keeps the weights for a successor; first-fit itself ignores them. */
  @Override
  public void updateWeights(Map<String, Double> weights) {
    weights.forEach((role, weight) -> {
      Roles.check(role);
      Check.argument(weight != null && weight > 0 && Double.isFinite(weight),
          "weight of role %s must be a positive number, was %s", role, weight);
    });
    ledger.weights.putAll(weights);
  }

  /** Keeps the quota; first-fit enforces its limits and ignores its guarantees. */
  @Override
  public void updateQuota(String role, Quota quota) {
    Roles.check(role);
    if (quota.equals(Quota.NONE)) {
      ledger.quotas.remove(role);
    } else {
      ledger.quotas.put(role, quota);
    }
  }

  @Override
  public OfferPlan allocate(long nowMillis) {
    return allocate(nowMillis, ledger.agents.keySet());
  }

  @Override
  public OfferPlan allocate(long nowMillis, Set<AgentId> candidates) {
    expireFilters(nowMillis);
    OfferPlan plan = FirstFitStep.run(ledger, options, nowMillis, Set.copyOf(candidates));
    for (Offer offer : plan.offers()) {
      ledger.allocate(offer.asAllocation());
    }
    ledger.cycle = plan.cycle();
    if (LOG.isDebugEnabled()) {
      LOG.debug("allocation cycle={} candidates={} offers={} unmet={} skips={}", plan.cycle(),
          candidates.size(), plan.offers().size(), plan.explanation().unmetDemand().size(),
          plan.explanation().counts());
    }
    return plan;
  }

  private void expireFilters(long nowMillis) {
    for (Map<AgentId, RefusalFilter> byAgent : ledger.filters.values()) {
      byAgent.values().removeIf(filter -> filter.expiresAtMillis() <= nowMillis);
    }
    ledger.filters.values().removeIf(Map::isEmpty);
  }

  @Override
  public AllocatorBooks books() {
    List<AgentSpec> agents = new ArrayList<>();
    Set<AgentId> inactiveAgents = new HashSet<>();
    List<Allocation> allocations = new ArrayList<>();
    for (Ledger.AgentEntry agent : ledger.agents.values()) {
      agents.add(agent.spec);
      if (!agent.active) {
        inactiveAgents.add(agent.spec.id());
      }
      agent.allocations.forEach((holder, resources) -> allocations.add(
          new Allocation(holder.frameworkId(), holder.role(), agent.spec.id(), resources)));
    }
    List<FrameworkSpec> frameworks = new ArrayList<>();
    Set<FrameworkId> inactiveFrameworks = new HashSet<>();
    Map<FrameworkId, Set<String>> suppressed = new HashMap<>();
    for (Ledger.FrameworkEntry framework : ledger.frameworks.values()) {
      frameworks.add(framework.spec);
      if (!framework.active) {
        inactiveFrameworks.add(framework.spec.id());
      }
      if (!framework.suppressed.isEmpty()) {
        suppressed.put(framework.spec.id(), new LinkedHashSet<>(framework.suppressed));
      }
    }
    return new AllocatorBooks(agents, inactiveAgents, frameworks, inactiveFrameworks, suppressed,
        allocations, ledger.weights, ledger.quotas);
  }

  /** Checks the books' invariants; for tests and the simulator. */
  public void checkInvariants() {
    ledger.checkInvariants();
  }
}
