package io.cairn.allocator.drf.internal.core;

import io.cairn.env.Check;
import io.cairn.allocator.AgentId;
import io.cairn.allocator.AgentResources;
import io.cairn.allocator.AllocatorOptions;
import io.cairn.allocator.FrameworkId;
import io.cairn.allocator.Offer;
import io.cairn.allocator.OfferPlan;
import io.cairn.allocator.Quantities;
import io.cairn.allocator.Quota;
import io.cairn.allocator.ReasonCode;
import io.cairn.allocator.Resources;
import io.cairn.allocator.Roles;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One allocation step: a function from the {@link Books} (read, never written) and the time to an
 * {@link OfferPlan}. It follows Mesos {@code HierarchicalAllocatorProcess::__generateOffers}, as a
 * pipeline of small checkers and rankers applied in this order:
 *
 * <ol>
 *   <li><b>Agent order</b>: the candidate agents sorted by id and rotated by the cycle number, so
 *       that every agent is sometimes first (Mesos shuffles at random; a core draws no randomness).
 *   <li><b>Agent checkers</b> (once per agent, cheapest first): deactivated agents, then agents
 *       whose remainder meets no minimum allocatable set, are skipped for every framework.
 *   <li><b>Stage 1, quota guarantees</b>: roles below their guarantee, ranked by DRF among
 *       themselves, are offered their reservations plus unreserved resources chopped to the
 *       shortfall, on every agent, before any role is offered anything in stage 2.
 *   <li><b>Stage 2, fair share</b>: per agent, roles ranked by the hierarchical, weighted {@link
 *       DrfSorter}; inside a role, frameworks ranked by a flat DRF sorter (fairness between the
 *       frameworks of a role). Both rankings are refreshed before each agent.
 *   <li><b>Framework checkers</b> (need no resource arithmetic, so they come first): inactive
 *       framework, role suppressed by the framework.
 *   <li><b>Offerable resources</b>: reservations of the role or an ancestor, plus unreserved
 *       resources capped by the quota limits of the role and its ancestors and by the headroom
 *       that must stay free for other roles' unmet guarantees.
 *   <li><b>Minimum allocatable</b>: an offer must hold one of the configured sets.
 *   <li><b>Refusal filter</b> last, because a filter covers only what was refused: it needs the
 *       final resources (a larger offer passes a filter).
 * </ol>
 *
 * Each offer holds one agent for one framework and one role. What one framework takes is gone for
 * the next: the step keeps its own working copy of every agent's available resources. Every skip
 * is recorded in the {@link Explainer}. Called only on the allocator's thread.
 */
final class AllocationStep {
  private enum Stage { QUOTA, FAIR }

  /** The unreserved resources an offer may hold and, if capped, what capped them. */
  private record Cap(Quantities unreserved, ReasonCode binding, Supplier binder) {}

  /** Builds the text of the limiting reason only if it is needed. */
  private interface Supplier {
    String get();
  }

  private record OfferKey(FrameworkId frameworkId, String role, AgentId agentId) {}

  /** A sorter change held back until the step is done with the current agent. */
  private record SorterUpdate(Sorter sorter, String client, Quantities quantities) {}

  private final Books books;
  private final AllocatorOptions options;
  private final long nowMillis;
  private final Explainer explainer;
  private final Map<AgentId, AgentResources> available = new HashMap<>();
  /** Quota consumption per role path: unreserved allocations plus all reservations, subtree. */
  private final Map<String, Quantities> consumed = new HashMap<>();
  private final Map<String, Quantities> shortfall = new HashMap<>();
  private Quantities requiredHeadroom = Quantities.ZERO;
  private Quantities availableHeadroom = Quantities.ZERO;
  private final DrfSorter roleSorter;
  private final DrfSorter quotaRoleSorter;
  private final Map<String, DrfSorter> frameworkSorters = new HashMap<>();
  private final Set<FrameworkRole> explainedOnce = new HashSet<>();
  private final Set<FrameworkRole> offered = new HashSet<>();
  private final LinkedHashMap<OfferKey, AgentResources> offers = new LinkedHashMap<>();
  private final List<SorterUpdate> sorterUpdates = new ArrayList<>();

  private AllocationStep(Books books, AllocatorOptions options, long nowMillis) {
    this.books = books;
    this.options = options;
    this.nowMillis = nowMillis;
    this.explainer = new Explainer(options.reasonsMax());
    Quantities total = books.clusterTotal();
    this.roleSorter = new DrfSorter(total, books.weights, true);
    this.quotaRoleSorter = new DrfSorter(total, books.weights, true);
  }

  /** Runs one step over {@code candidates} (unknown ids are ignored) and returns the plan. */
  static OfferPlan run(Books books, AllocatorOptions options, long nowMillis,
      Collection<AgentId> candidates) {
    AllocationStep step = new AllocationStep(books, options, nowMillis);
    step.initialiseQuota();
    step.initialiseSorters();
    List<AgentId> order = step.agentOrder(candidates);
    step.stageQuota(order);
    step.stageFair(order);
    step.explainUnmetDemand();
    List<Offer> result = new ArrayList<>(step.offers.size());
    step.offers.forEach((key, resources) ->
        result.add(new Offer(key.frameworkId(), key.role(), key.agentId(), resources)));
    return new OfferPlan(books.cycle + 1, nowMillis, result, step.explainer.build());
  }

  private void initialiseQuota() {
    for (Books.AgentEntry agent : books.agents.values()) {
      available.put(agent.spec.id(), agent.available());
      if (agent.active) {
        availableHeadroom = availableHeadroom.plus(agent.available().unreserved().scalars());
      }
      agent.allocations.forEach((key, resources) ->
          addConsumed(key.role(), resources.unreserved().scalars()));
      agent.spec.total().reserved().forEach((reservation, resources) ->
          addConsumed(reservation.role(), resources.scalars()));
    }
    for (Map.Entry<String, Quota> entry : books.quotas.entrySet()) {
      Quantities gap = entry.getValue().guarantees().minusFloorZero(consumed(entry.getKey()));
      shortfall.put(entry.getKey(), gap);
      requiredHeadroom = requiredHeadroom.plus(gap);
    }
  }

  private void addConsumed(String role, Quantities quantities) {
    for (String path : Roles.selfAndAncestors(role)) {
      consumed.merge(path, quantities, Quantities::plus);
    }
  }

  private Quantities consumed(String role) {
    return consumed.getOrDefault(role, Quantities.ZERO);
  }

  private void initialiseSorters() {
    Map<String, List<FrameworkId>> byRole = new HashMap<>();
    for (Books.FrameworkEntry framework : books.frameworks.values()) {
      for (String role : framework.spec.roles()) {
        byRole.computeIfAbsent(role, r -> new ArrayList<>()).add(framework.spec.id());
      }
    }
    Quantities total = books.clusterTotal();
    for (Map.Entry<String, List<FrameworkId>> entry : byRole.entrySet()) {
      String role = entry.getKey();
      Quantities allocation = books.roleAllocated.getOrDefault(role, Quantities.ZERO);
      long count = books.roleCounts.getOrDefault(role, 0L);
      roleSorter.add(role, allocation, count);
      if (!books.quotas.getOrDefault(role, Quota.NONE).guarantees().isZero()) {
        quotaRoleSorter.add(role, allocation, count);
      }
      DrfSorter frameworks = new DrfSorter(total, Map.of(), false);
      for (FrameworkId id : entry.getValue()) {
        FrameworkRole key = new FrameworkRole(id, role);
        frameworks.add(id.value(),
            books.frameworks.get(id).allocatedByRole.getOrDefault(role, Quantities.ZERO),
            books.frameworkCounts.getOrDefault(key, 0L));
      }
      frameworkSorters.put(role, frameworks);
    }
  }

  private List<AgentId> agentOrder(Collection<AgentId> candidates) {
    List<AgentId> sorted = new ArrayList<>();
    for (AgentId id : new TreeSet<>(candidates)) {
      if (books.agents.containsKey(id)) {
        sorted.add(id);
      }
    }
    if (sorted.isEmpty()) {
      return sorted;
    }
    int start = (int) Math.floorMod(books.cycle, (long) sorted.size());
    List<AgentId> rotated = new ArrayList<>(sorted.subList(start, sorted.size()));
    rotated.addAll(sorted.subList(0, start));
    return rotated;
  }

  /** The agent checkers: true if the agent may be offered at all in this step. */
  private boolean agentEligible(AgentId agentId, boolean explain) {
    Books.AgentEntry agent = books.agents.get(agentId);
    if (!agent.active) {
      if (explain) {
        explainer.skip(ReasonCode.AGENT_INACTIVE, null, agentId, null,
            () -> "agent " + agentId + " is deactivated");
      }
      return false;
    }
    AgentResources left = available.get(agentId);
    if (!allocatable(left.quantities())) {
      if (explain && !left.isEmpty()) {
        explainer.skip(ReasonCode.AGENT_NOT_ALLOCATABLE, null, agentId, null,
            () -> "agent " + agentId + " has nothing allocatable left (" + left.quantities()
                + " available, needs one of " + options.minAllocatable() + ")");
      }
      return false;
    }
    return true;
  }

  private void stageQuota(List<AgentId> order) {
    for (AgentId agentId : order) {
      if (!agentEligible(agentId, false)) {
        continue;
      }
      for (String role : quotaRoleSorter.order()) {
        if (!shortfall.getOrDefault(role, Quantities.ZERO).isZero()) {
          offerRoleOnAgent(agentId, role, Stage.QUOTA);
        }
      }
      applySorterUpdates();
    }
  }

  private void stageFair(List<AgentId> order) {
    for (AgentId agentId : order) {
      if (!agentEligible(agentId, true)) {
        continue;
      }
      for (String role : roleSorter.order()) {
        if (!allocatable(available.get(agentId).quantities())) {
          break;
        }
        offerRoleOnAgent(agentId, role, Stage.FAIR);
      }
      applySorterUpdates();
    }
  }

  /**
   * Applies the sorter changes of the agent just finished. The rankings are walked lazily, so
   * they must not change during a walk; as in Mesos, they are refreshed once per agent.
   */
  private void applySorterUpdates() {
    for (SorterUpdate update : sorterUpdates) {
      update.sorter().allocated(update.client(), update.quantities());
    }
    sorterUpdates.clear();
  }

  private void offerRoleOnAgent(AgentId agentId, String role, Stage stage) {
    Cap cap = null;
    AgentResources candidate = null;
    boolean allocatable = false;
    for (String client : frameworkSorters.get(role).order()) {
      FrameworkId frameworkId = FrameworkId.of(client);
      if (!frameworkEligible(frameworkId, role)) {
        continue;
      }
      if (candidate == null) {
        AgentResources avail = available.get(agentId);
        cap = cap(avail, role, stage);
        candidate = offerable(avail, role, cap);
        if (candidate.isEmpty() && cap.binding() == null) {
          return;
        }
        allocatable = allocatable(candidate.quantities());
      }
      if (!allocatable) {
        explainNotAllocatable(agentId, frameworkId, role, cap, candidate);
        continue;
      }
      RefusalFilter filter = books.filters
          .getOrDefault(new FrameworkRole(frameworkId, role), Map.of()).get(agentId);
      if (filter != null && filter.filters(candidate, nowMillis)) {
        explainer.skip(ReasonCode.FILTERED, frameworkId, agentId, role,
            () -> "agent " + agentId + " filtered for framework " + frameworkId + " until "
                + TimeOfDay.format(filter.expiresAtMillis()));
        continue;
      }
      commitOffer(agentId, frameworkId, role, candidate);
      candidate = null;
    }
  }

  private void explainNotAllocatable(AgentId agentId, FrameworkId frameworkId, String role,
      Cap cap, AgentResources candidate) {
    ReasonCode code = cap.binding() != null ? cap.binding() : ReasonCode.BELOW_MIN_ALLOCATABLE;
    Supplier text = cap.binding() != null ? cap.binder() : () -> "agent " + agentId
        + " offers only " + candidate + " to role " + role + ", below every minimum "
        + options.minAllocatable();
    explainer.skip(code, frameworkId, agentId, role, text::get);
  }

  /** The framework checkers, which need no resource arithmetic; each explained once per step. */
  private boolean frameworkEligible(FrameworkId frameworkId, String role) {
    Books.FrameworkEntry framework = books.frameworks.get(frameworkId);
    FrameworkRole key = new FrameworkRole(frameworkId, role);
    if (!framework.active) {
      if (explainedOnce.add(key)) {
        explainer.skip(ReasonCode.FRAMEWORK_INACTIVE, frameworkId, null, role,
            () -> "framework " + frameworkId + " is inactive");
      }
      return false;
    }
    if (framework.suppressed.contains(role)) {
      if (explainedOnce.add(key)) {
        explainer.skip(ReasonCode.SUPPRESSED, frameworkId, null, role,
            () -> "framework " + frameworkId + " suppressed offers for role " + role);
      }
      return false;
    }
    return true;
  }

  /**
   * How much unreserved scalar resource a role may take now: its own and its ancestors' remaining
   * limits, the headroom other roles' guarantees need, and in stage 1 its own shortfall.
   */
  private Cap cap(AgentResources avail, String role, Stage stage) {
    Quantities have = avail.unreserved().scalars();
    Quantities cap = have;
    ReasonCode binding = null;
    Supplier binder = null;
    for (String path : Roles.selfAndAncestors(role)) {
      Quota quota = books.quotas.get(path);
      if (quota == null) {
        continue;
      }
      Quantities left = quota.limits().minusFloorZero(consumed(path));
      for (int d = 0; d < Quantities.NAMES.length; d++) {
        if (left.get(d) < cap.get(d) && binding == null) {
          binding = ReasonCode.ROLE_AT_LIMIT;
          int dimension = d;
          binder = () -> "role " + path + " at its " + limitText(dimension, quota.limits());
        }
      }
      cap = cap.min(left);
    }
    Quantities own = shortfall.getOrDefault(role, Quantities.ZERO);
    Quantities slack = availableHeadroom.minusFloorZero(requiredHeadroom.minus(own));
    if (!slack.contains(cap) && binding == null) {
      binding = ReasonCode.HEADROOM_HELD;
      Quantities held = requiredHeadroom.minus(own);
      binder = () -> "unreserved resources held back as headroom for other roles' quota"
          + " guarantees (" + held + ")";
    }
    cap = cap.min(slack);
    if (stage == Stage.QUOTA) {
      Quantities guarantees = books.quotas.get(role).guarantees();
      cap = new Quantities(
          guarantees.cpuMillis() > 0 ? Math.min(cap.cpuMillis(), own.cpuMillis()) : cap.cpuMillis(),
          guarantees.memMb() > 0 ? Math.min(cap.memMb(), own.memMb()) : cap.memMb(),
          guarantees.diskMb() > 0 ? Math.min(cap.diskMb(), own.diskMb()) : cap.diskMb(),
          guarantees.gpus() > 0 ? Math.min(cap.gpus(), own.gpus()) : cap.gpus());
    }
    return new Cap(cap, binding, binder);
  }

  private static String limitText(int dimension, Quantities limits) {
    long value = limits.get(dimension);
    String amount = switch (dimension) {
      case 0 -> Quantities.formatCpus(value);
      case 1, 2 -> value + " MB";
      default -> Long.toString(value);
    };
    return Quantities.NAMES[dimension] + " limit " + amount;
  }

  /**
   * What a framework of {@code role} may be offered: the reservations it may use plus the capped
   * unreserved scalars; unreserved ports go along only with some unreserved scalar, since ports
   * alone run nothing and would keep them from other frameworks.
   */
  private static AgentResources offerable(AgentResources avail, String role, Cap cap) {
    AgentResources reserved = avail.reservedAllocatableTo(role);
    Quantities scalars = cap.unreserved();
    Resources unreserved = scalars.isZero()
        ? Resources.EMPTY
        : new Resources(scalars, avail.unreserved().ports());
    return reserved.withUnreserved(unreserved);
  }

  private boolean allocatable(Quantities quantities) {
    for (Quantities minimum : options.minAllocatable()) {
      if (quantities.contains(minimum)) {
        return true;
      }
    }
    return false;
  }

  private void commitOffer(AgentId agentId, FrameworkId frameworkId, String role,
      AgentResources resources) {
    AgentResources before = available.get(agentId);
    Check.invariant(before.contains(resources), "offer %s exceeds available %s on agent %s",
        resources, before, agentId);
    available.put(agentId, before.minus(resources));
    offers.merge(new OfferKey(frameworkId, role, agentId), resources, AgentResources::plus);
    offered.add(new FrameworkRole(frameworkId, role));
    Quantities all = resources.quantities();
    Quantities unreserved = resources.unreserved().scalars();
    sorterUpdates.add(new SorterUpdate(roleSorter, role, all));
    if (books.quotas.containsKey(role)
        && !books.quotas.get(role).guarantees().isZero()) {
      sorterUpdates.add(new SorterUpdate(quotaRoleSorter, role, all));
    }
    sorterUpdates.add(new SorterUpdate(frameworkSorters.get(role), frameworkId.value(), all));
    availableHeadroom = availableHeadroom.minus(unreserved);
    addConsumed(role, unreserved);
    for (String path : Roles.selfAndAncestors(role)) {
      Quantities old = shortfall.get(path);
      if (old != null) {
        Quantities now = books.quotas.get(path).guarantees().minusFloorZero(consumed(path));
        shortfall.put(path, now);
        requiredHeadroom = requiredHeadroom.minus(old).plus(now);
      }
    }
  }

  private void explainUnmetDemand() {
    for (Books.FrameworkEntry framework : books.frameworks.values()) {
      for (String role : framework.spec.roles()) {
        if (!framework.suppressed.contains(role)
            && !offered.contains(new FrameworkRole(framework.spec.id(), role))) {
          explainer.noOffer(framework.spec.id(), role);
        }
      }
    }
  }
}
