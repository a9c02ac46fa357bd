package io.cairn.allocator.drf.internal.core;

import io.cairn.env.Check;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.Comparator;

/**
 * The hierarchical DRF allocator: keeps the {@link Books}, validates every call against them
 * before changing anything, and runs {@link AllocationStep} to allocate; the offers of a plan are
 * then entered in the books as allocated to their frameworks.
 *
 * <p>Not thread-safe: called only on the master's event loop. Reads no clock; time arrives as
 * {@code nowMillis}.
 */
public final class DrfAllocator implements Allocator {
  private static final Logger LOG = LoggerFactory.getLogger(DrfAllocator.class);
  private static final Comparator<FrameworkRole> FRAMEWORK_ROLE_ORDER =
      Comparator.comparing(FrameworkRole::frameworkId).thenComparing(FrameworkRole::role);

  private final AllocatorOptions options;
  private final Books books = new Books();

  /** An allocator starting from {@code initial} (e.g. the books of the allocator it replaces). */
  public DrfAllocator(AllocatorOptions options, AllocatorBooks initial) {
    this.options = options;
    restore(initial);
  }

  private void restore(AllocatorBooks initial) {
    initial.frameworks().forEach(f -> addFramework(f, true, List.of()));
    initial.agents().forEach(a -> addAgent(a, List.of()));
    initial.allocations().forEach(books::allocate);
    initial.inactiveAgents().forEach(this::deactivateAgent);
    initial.inactiveFrameworks().forEach(this::deactivateFramework);
    initial.suppressedRoles().forEach(this::suppress);
    updateWeights(initial.weights());
    initial.quotas().forEach(this::updateQuota);
  }

  @Override
  public void addAgent(AgentSpec agent, List<Allocation> used) {
    Check.argument(!books.agents.containsKey(agent.id()), "agent %s added twice", agent.id());
    for (Allocation allocation : used) {
      Check.argument(allocation.agentId().equals(agent.id()),
          "allocation on agent %s passed with agent %s", allocation.agentId(), agent.id());
    }
    books.putAgent(agent);
    try {
      used.forEach(books::allocate);
    } catch (IllegalArgumentException e) {
      removeAgent(agent.id());
      throw e;
    }
  }

  @Override
  public void updateAgent(AgentSpec agent) {
    Books.AgentEntry entry = books.agent(agent.id());
    AgentResources allocated = entry.allocated();
    Check.argument(agent.total().contains(allocated),
        "agent %s new total %s does not hold its allocations %s",
        agent.id(), agent.total(), allocated);
    books.respecAgent(entry, agent);
  }

  @Override
  public void removeAgent(AgentId agentId) {
    Books.AgentEntry entry = books.agent(agentId);
    for (Map.Entry<FrameworkRole, AgentResources> e
        : new ArrayList<>(entry.allocations.entrySet())) {
      books.unallocate(new Allocation(e.getKey().frameworkId(), e.getKey().role(), agentId,
          e.getValue()));
    }
    books.removeAgent(agentId);
    books.filters.values().forEach(byAgent -> byAgent.remove(agentId));
  }

  @Override
  public void activateAgent(AgentId agentId) {
    books.agent(agentId).active = true;
  }

  @Override
  public void deactivateAgent(AgentId agentId) {
    books.agent(agentId).active = false;
  }

  @Override
  public void addFramework(FrameworkSpec framework, boolean active, List<Allocation> used) {
    Check.argument(!books.frameworks.containsKey(framework.id()),
        "framework %s added twice", framework.id());
    for (Allocation allocation : used) {
      Check.argument(allocation.frameworkId().equals(framework.id()),
          "allocation of framework %s passed with framework %s",
          allocation.frameworkId(), framework.id());
    }
    books.frameworks.put(framework.id(), new Books.FrameworkEntry(framework, active));
    try {
      used.forEach(books::allocate);
    } catch (IllegalArgumentException e) {
      removeFramework(framework.id());
      throw e;
    }
  }

  @Override
  public void updateFramework(FrameworkSpec framework) {
    Books.FrameworkEntry entry = books.framework(framework.id());
    for (String role : entry.allocatedByRole.keySet()) {
      Check.argument(framework.roles().contains(role),
          "framework %s still holds resources in role %s it leaves", framework.id(), role);
    }
    entry.spec = framework;
    entry.suppressed.retainAll(framework.roles());
  }

  @Override
  public void removeFramework(FrameworkId frameworkId) {
    books.framework(frameworkId);
    for (Books.AgentEntry agent : books.agents.values()) {
      for (Map.Entry<FrameworkRole, AgentResources> e
          : new ArrayList<>(agent.allocations.entrySet())) {
        if (e.getKey().frameworkId().equals(frameworkId)) {
          books.unallocate(new Allocation(frameworkId, e.getKey().role(), agent.spec.id(),
              e.getValue()));
        }
      }
    }
    books.frameworks.remove(frameworkId);
    books.filters.keySet().removeIf(key -> key.frameworkId().equals(frameworkId));
  }

  @Override
  public void activateFramework(FrameworkId frameworkId) {
    books.framework(frameworkId).active = true;
  }

  @Override
  public void deactivateFramework(FrameworkId frameworkId) {
    books.framework(frameworkId).active = false;
  }

  @Override
  public void recoverResources(Allocation resources, Filters filters, long nowMillis) {
    books.unallocate(resources);
    if (filters.refuseMillis() > 0 && !resources.resources().isEmpty()) {
      long expires =
          nowMillis + Math.max(filters.refuseMillis(), options.allocationIntervalMillis());
      books.putFilter(new FrameworkRole(resources.frameworkId(), resources.role()),
          resources.agentId(), new RefusalFilter(resources.resources(), expires));
    }
  }

  @Override
  public void suppress(FrameworkId frameworkId, Set<String> roles) {
    Books.FrameworkEntry entry = books.framework(frameworkId);
    entry.suppressed.addAll(rolesOf(entry, roles));
  }

  @Override
  public void revive(FrameworkId frameworkId, Set<String> roles) {
    Books.FrameworkEntry entry = books.framework(frameworkId);
    for (String role : rolesOf(entry, roles)) {
      entry.suppressed.remove(role);
      books.filters.remove(new FrameworkRole(frameworkId, role));
    }
  }

  private static Set<String> rolesOf(Books.FrameworkEntry entry, Set<String> roles) {
    if (roles.isEmpty()) {
      return entry.spec.roles();
    }
    for (String role : roles) {
      Check.argument(entry.spec.roles().contains(role),
          "framework %s is not subscribed to role %s", entry.spec.id(), role);
    }
    return roles;
  }

  @Override
  public void updateWeights(Map<String, Double> weights) {
    weights.forEach((role, weight) -> {
      Roles.check(role);
      Check.argument(weight > 0 && Double.isFinite(weight),
          "weight of role %s must be a positive number, was %s", role, weight);
    });
    books.weights.putAll(weights);
  }

  @Override
  public void updateQuota(String role, Quota quota) {
    Roles.check(role);
    if (quota.equals(Quota.NONE)) {
      books.quotas.remove(role);
    } else {
      books.quotas.put(role, quota);
    }
  }

  @Override
  public OfferPlan allocate(long nowMillis) {
    return allocate(nowMillis, books.agents.keySet());
  }

  @Override
  public OfferPlan allocate(long nowMillis, Set<AgentId> candidates) {
    expireFilters(nowMillis);
    AllocationStep.Outcome outcome = AllocationStep.run(books, options, nowMillis, candidates);
    OfferPlan plan = outcome.plan();
    for (int i = 0; i < plan.offers().size(); i++) {
      Offer offer = plan.offers().get(i);
      books.allocateOffer(outcome.agents().get(i), outcome.frameworks().get(i), offer.role(),
          offer.resources());
    }
    books.cycle = plan.cycle();
    if (LOG.isDebugEnabled()) {
      LOG.debug("allocation cycle={} candidates={} offers={} unmet={} skips={}", plan.cycle(),
          candidates.size(), plan.offers().size(), plan.explanation().unmetDemand().size(),
          plan.explanation().counts());
    }
    return plan;
  }

  /** Drops expired filters; scans them only once the earliest may have expired. */
  private void expireFilters(long nowMillis) {
    if (nowMillis < books.filtersExpireNoEarlierThanMillis) {
      return;
    }
    long earliest = Long.MAX_VALUE;
    Iterator<Map<AgentId, RefusalFilter>> byKey = books.filters.values().iterator();
    while (byKey.hasNext()) {
      Map<AgentId, RefusalFilter> byAgent = byKey.next();
      Iterator<RefusalFilter> filters = byAgent.values().iterator();
      while (filters.hasNext()) {
        long expires = filters.next().expiresAtMillis();
        if (expires <= nowMillis) {
          filters.remove();
        } else {
          earliest = Math.min(earliest, expires);
        }
      }
      if (byAgent.isEmpty()) {
        byKey.remove();
      }
    }
    books.filtersExpireNoEarlierThanMillis = earliest;
  }

  @Override
  public AllocatorBooks books() {
    List<Allocation> allocations = new ArrayList<>();
    Set<AgentId> inactiveAgents = new HashSet<>();
    List<AgentSpec> agents = new ArrayList<>();
    for (Books.AgentEntry agent : books.agents.values()) {
      agents.add(agent.spec);
      if (!agent.active) {
        inactiveAgents.add(agent.spec.id());
      }
      agent.allocations.entrySet().stream()
          .sorted(Map.Entry.comparingByKey(FRAMEWORK_ROLE_ORDER))
          .forEach(e -> allocations.add(new Allocation(e.getKey().frameworkId(),
              e.getKey().role(), agent.spec.id(), e.getValue())));
    }
    List<FrameworkSpec> frameworks = new ArrayList<>();
    Set<FrameworkId> inactiveFrameworks = new HashSet<>();
    Map<FrameworkId, Set<String>> suppressed = new HashMap<>();
    for (Books.FrameworkEntry framework : books.frameworks.values()) {
      frameworks.add(framework.spec);
      if (!framework.active) {
        inactiveFrameworks.add(framework.spec.id());
      }
      if (!framework.suppressed.isEmpty()) {
        suppressed.put(framework.spec.id(), Set.copyOf(framework.suppressed));
      }
    }
    return new AllocatorBooks(agents, inactiveAgents, frameworks, inactiveFrameworks, suppressed,
        allocations, books.weights, books.quotas);
  }

  /** Checks the books' invariants; for tests and the simulator. */
  public void checkInvariants() {
    books.checkInvariants();
  }
}
