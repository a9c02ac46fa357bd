package io.cairn.allocator.drf.internal.core;

import io.cairn.env.Check;
import io.cairn.allocator.AgentId;
import io.cairn.allocator.AgentResources;
import io.cairn.allocator.AllocatorOptions;
import io.cairn.allocator.FrameworkId;
import io.cairn.allocator.Offer;
import io.cairn.allocator.OfferPlan;
import io.cairn.allocator.Quantities;
import io.cairn.allocator.ReasonCode;
import io.cairn.allocator.Resources;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * is recorded in the {@link Explainer}.
 *
 * <p>Cost: what does not change during a step is looked up once ({@link StepSlots}); the working
 * copy of an agent's available resources is written only when the agent gets an offer (an array
 * slot per agent in step order, null meaning "as in the books"); an agent offered whole costs no
 * resource arithmetic; without quotas the step keeps no quota or headroom books at all. Called
 * only on the allocator's thread.
 */
final class AllocationStep {
  private enum Stage { QUOTA, FAIR }

  private record OfferKey(FrameworkId frameworkId, String role, AgentId agentId) {}

  /** A sorter change held back until the step is done with the current agent. */
  private record SorterUpdate(Sorter sorter, String client, Quantities quantities) {}

  /** The plan, and per offer (same index) the books' agent and framework it is for. */
  record Outcome(OfferPlan plan, List<Books.AgentEntry> agents,
      List<Books.FrameworkEntry> frameworks) {}

  private final Books books;
  private final AllocatorOptions options;
  private final long nowMillis;
  private final Explainer explainer;
  /** The quota books of this step (inactive, and free, when no role has a quota). */
  private final StepQuota quota;
  /** The candidate agents in step order. */
  private Books.AgentEntry[] order = new Books.AgentEntry[0];
  /** Working copy of each agent's available resources (by order index); null: as in books. */
  private AgentResources[] available = new AgentResources[0];
  private final DrfSorter roleSorter;
  private final DrfSorter quotaRoleSorter;
  private final Map<String, StepSlots.RoleSlot> roles = new HashMap<>();
  private final List<StepSlots.PendingOffer> offers = new ArrayList<>();
  /** Stage 1 offers by key, so that stage 2 adds to them instead of making a second offer. */
  private final Map<OfferKey, StepSlots.PendingOffer> quotaOffers = new HashMap<>();
  private final List<SorterUpdate> sorterUpdates = new ArrayList<>();
  /** Roles whose guarantee an offer of the current agent met; see {@link #dropMetGuarantees}. */
  private final List<StepSlots.RoleSlot> newlyMet = new ArrayList<>();

  private AllocationStep(Books books, AllocatorOptions options, long nowMillis) {
    this.books = books;
    this.options = options;
    this.nowMillis = nowMillis;
    this.explainer = new Explainer(options.reasonsMax());
    this.quota = new StepQuota(books);
    Quantities total = books.clusterTotal();
    this.roleSorter = new DrfSorter(total, books.weights, true);
    this.quotaRoleSorter = new DrfSorter(total, books.weights, true);
  }

  /** Runs one step over {@code candidates} (unknown ids are ignored). */
  static Outcome run(Books books, AllocatorOptions options, long nowMillis,
      Collection<AgentId> candidates) {
    AllocationStep step = new AllocationStep(books, options, nowMillis);
    step.initialiseSorters();
    step.agentOrder(candidates);
    step.stageQuota();
    step.stageFair();
    step.explainUnmetDemand();
    List<Offer> result = new ArrayList<>(step.offers.size());
    List<Books.AgentEntry> agents = new ArrayList<>(step.offers.size());
    List<Books.FrameworkEntry> frameworks = new ArrayList<>(step.offers.size());
    for (StepSlots.PendingOffer offer : step.offers) {
      result.add(new Offer(offer.framework.id, offer.framework.role, offer.agent.spec.id(),
          offer.resources));
      agents.add(offer.agent);
      frameworks.add(offer.framework.entry);
    }
    OfferPlan plan =
        new OfferPlan(books.cycle + 1, nowMillis, result, step.explainer.build());
    return new Outcome(plan, agents, frameworks);
  }

  private void initialiseSorters() {
    Quantities total = books.clusterTotal();
    for (Books.FrameworkEntry framework : books.frameworks.values()) {
      for (String role : framework.spec.roles()) {
        StepSlots.RoleSlot slot = roles.get(role);
        if (slot == null) {
          slot = new StepSlots.RoleSlot(role, quota.paths(role),
              new DrfSorter(total, Map.of(), false));
          quota.addRole(slot);
          roles.put(role, slot);
          Quantities allocation = books.roleAllocated.getOrDefault(role, Quantities.ZERO);
          long count = books.roleCounts.getOrDefault(role, 0L);
          roleSorter.add(role, allocation, count);
          roleSorter.attach(role, slot);
          if (slot.guaranteed) {
            quotaRoleSorter.add(role, allocation, count);
            quotaRoleSorter.attach(role, slot);
          }
        }
        FrameworkRole key = new FrameworkRole(framework.spec.id(), role);
        String client = framework.spec.id().value();
        StepSlots.FrameworkSlot frameworkSlot =
            new StepSlots.FrameworkSlot(framework, role, books.filters.get(key));
        slot.frameworks.put(client, frameworkSlot);
        slot.frameworkSorter.add(client,
            framework.allocatedByRole.getOrDefault(role, Quantities.ZERO),
            books.frameworkCounts.getOrDefault(key, 0L));
        slot.frameworkSorter.attach(client, frameworkSlot);
        slot.onlyFramework = slot.frameworks.size() == 1 ? frameworkSlot : null;
      }
    }
  }

  private void agentOrder(Collection<AgentId> candidates) {
    List<Books.AgentEntry> sorted;
    if (candidates == books.agents.keySet()) {
      sorted = new ArrayList<>(books.agents.values());
    } else {
      sorted = new ArrayList<>();
      for (AgentId id : new TreeSet<>(candidates)) {
        Books.AgentEntry entry = books.agents.get(id);
        if (entry != null) {
          sorted.add(entry);
        }
      }
    }
    int size = sorted.size();
    order = new Books.AgentEntry[size];
    available = new AgentResources[size];
    if (size == 0) {
      return;
    }
    int start = (int) Math.floorMod(books.cycle, (long) size);
    for (int i = 0; i < size; i++) {
      order[i] = sorted.get((start + i) % size);
    }
  }

  /** The step's view of what agent {@code index} (in step order) has available. */
  private AgentResources available(int index) {
    AgentResources working = available[index];
    return working != null ? working : order[index].available();
  }

  /** The agent checkers: true if the agent may be offered at all in this step. */
  private boolean agentEligible(int index, boolean explain) {
    Books.AgentEntry agent = order[index];
    AgentId agentId = agent.spec.id();
    if (!agent.active) {
      if (explain) {
        explainer.skip(ReasonCode.AGENT_INACTIVE, null, agentId, null,
            () -> "agent " + agentId + " is deactivated");
      }
      return false;
    }
    AgentResources left = available(index);
    if (!allocatable(scalars(left))) {
      if (explain && !left.isEmpty()) {
        explainer.skip(ReasonCode.AGENT_NOT_ALLOCATABLE, null, agentId, null,
            () -> "agent " + agentId + " has nothing allocatable left (" + left.quantities()
                + " available, needs one of " + options.minAllocatable() + ")");
      }
      return false;
    }
    return true;
  }

  private void stageQuota() {
    for (int i = 0; i < order.length && quota.rolesShort() > 0; i++) {
      if (!agentEligible(i, false)) {
        continue;
      }
      for (StepSlots.RoleSlot role : quotaRoleSorter.<StepSlots.RoleSlot>payloads()) {
        if (available(i).isEmpty()) {
          break;
        }
        if (!role.shortfall().isZero()) {
          offerRoleOnAgent(i, role, Stage.QUOTA);
        }
      }
      applySorterUpdates();
      dropMetGuarantees();
    }
  }

  private void stageFair() {
    for (int i = 0; i < order.length; i++) {
      if (!agentEligible(i, true)) {
        continue;
      }
      for (StepSlots.RoleSlot role : roleSorter.<StepSlots.RoleSlot>payloads()) {
        if (!allocatable(scalars(available(i)))) {
          break;
        }
        offerRoleOnAgent(i, role, Stage.FAIR);
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

  /**
   * Takes the roles whose guarantee is now met out of the stage 1 walk, where they would only be
   * passed over (shortfalls only shrink during a step). Only top-level leaves can go without
   * changing the order of the others; a nested role stays and is passed over as before.
   */
  private void dropMetGuarantees() {
    for (StepSlots.RoleSlot role : newlyMet) {
      quotaRoleSorter.removeTopLevelLeaf(role.role);
    }
    newlyMet.clear();
  }

  private void offerRoleOnAgent(int index, StepSlots.RoleSlot role, Stage stage) {
    StepQuota.Cap cap = null;
    AgentResources candidate = null;
    boolean allocatable = false;
    AgentId agentId = order[index].spec.id();
    Iterable<StepSlots.FrameworkSlot> walk = role.onlyFramework != null
        ? List.of(role.onlyFramework) : role.frameworkSorter.payloads();
    for (StepSlots.FrameworkSlot framework : walk) {
      if (!frameworkEligible(framework)) {
        continue;
      }
      if (candidate == null) {
        AgentResources avail = available(index);
        cap = quota.cap(avail, role, stage == Stage.QUOTA);
        candidate = offerable(avail, role.role, cap);
        if (candidate.isEmpty() && cap.binding() == null) {
          return;
        }
        allocatable = allocatable(scalars(candidate));
      }
      if (!allocatable) {
        explainNotAllocatable(agentId, framework, cap, candidate);
        continue;
      }
      RefusalFilter filter = framework.filters == null ? null : framework.filters.get(agentId);
      if (filter != null && filter.filters(candidate, nowMillis)) {
        FrameworkId frameworkId = framework.id;
        explainer.skip(ReasonCode.FILTERED, framework.tally(explainer), frameworkId, agentId,
            role.role, () -> "agent " + agentId + " filtered for framework " + frameworkId
                + " until " + TimeOfDay.format(filter.expiresAtMillis()));
        continue;
      }
      commitOffer(index, framework, role, candidate, stage);
      candidate = null;
    }
  }

  private void explainNotAllocatable(AgentId agentId, StepSlots.FrameworkSlot framework,
      StepQuota.Cap cap, AgentResources candidate) {
    ReasonCode code = cap.binding() != null ? cap.binding() : ReasonCode.BELOW_MIN_ALLOCATABLE;
    String role = framework.role;
    StepQuota.Supplier text = cap.binding() != null ? cap.binder() : () -> "agent " + agentId
        + " offers only " + candidate + " to role " + role + ", below every minimum "
        + options.minAllocatable();
    explainer.skip(code, framework.tally(explainer), framework.id, agentId, role, text::get);
  }

  /** The framework checkers, which need no resource arithmetic; each explained once per step. */
  private boolean frameworkEligible(StepSlots.FrameworkSlot framework) {
    if (framework.ineligible == null) {
      return true;
    }
    if (!framework.explained) {
      framework.explained = true;
      FrameworkId frameworkId = framework.id;
      String role = framework.role;
      explainer.skip(framework.ineligible, framework.tally(explainer), frameworkId, null, role,
          framework.ineligible == ReasonCode.FRAMEWORK_INACTIVE
              ? () -> "framework " + frameworkId + " is inactive"
              : () -> "framework " + frameworkId + " suppressed offers for role " + role);
    }
    return false;
  }

  /**
   * What a framework of {@code role} may be offered: the reservations it may use plus the capped
   * unreserved scalars; unreserved ports go along only with some unreserved scalar, since ports
   * alone run nothing and would keep them from other frameworks. An agent without reservations
   * whose scalars are not capped is offered as it is, without a copy.
   */
  private static AgentResources offerable(AgentResources avail, String role,
      StepQuota.Cap cap) {
    Quantities scalars = cap.unreserved();
    if (avail.reserved().isEmpty()) {
      if (scalars.isZero()) {
        return AgentResources.EMPTY;
      }
      if (scalars.equals(avail.unreserved().scalars())) {
        return avail;
      }
      return AgentResources.unreserved(new Resources(scalars, avail.unreserved().ports()));
    }
    AgentResources reserved = avail.reservedAllocatableTo(role);
    Resources unreserved = scalars.isZero()
        ? Resources.EMPTY
        : new Resources(scalars, avail.unreserved().ports());
    return reserved.withUnreserved(unreserved);
  }

  /** {@link AgentResources#quantities()} without iterating an empty reservation map. */
  private static Quantities scalars(AgentResources resources) {
    return resources.reserved().isEmpty()
        ? resources.unreserved().scalars() : resources.quantities();
  }

  private boolean allocatable(Quantities quantities) {
    for (Quantities minimum : options.minAllocatable()) {
      if (quantities.contains(minimum)) {
        return true;
      }
    }
    return false;
  }

  private void commitOffer(int index, StepSlots.FrameworkSlot framework,
      StepSlots.RoleSlot role, AgentResources resources, Stage stage) {
    AgentResources before = available(index);
    if (resources == before) {
      available[index] = AgentResources.EMPTY;
    } else {
      Check.invariant(before.contains(resources), "offer %s exceeds available %s on agent %s",
          resources, before, order[index].spec.id());
      available[index] = before.minus(resources);
    }
    addOffer(index, framework, resources, stage);
    framework.offered = true;
    Quantities all = scalars(resources);
    sorterUpdates.add(new SorterUpdate(roleSorter, role.role, all));
    if (role.guaranteed && stage == Stage.QUOTA) {
      // The quota role sorter is walked only in stage 1, so stage 2 need not keep it.
      sorterUpdates.add(new SorterUpdate(quotaRoleSorter, role.role, all));
    }
    sorterUpdates.add(new SorterUpdate(role.frameworkSorter, framework.id.value(), all));
    boolean wasShort = role.guaranteed && !role.shortfall().isZero();
    quota.offered(role, resources.unreserved().scalars());
    if (wasShort && role.shortfall().isZero()) {
      newlyMet.add(role);
    }
  }

  /** Adds an offer to the plan, or to the same agent's stage 1 offer to the same framework. */
  private void addOffer(int index, StepSlots.FrameworkSlot framework, AgentResources resources,
      Stage stage) {
    Books.AgentEntry agent = order[index];
    if (!quotaOffers.isEmpty() || stage == Stage.QUOTA) {
      OfferKey key = new OfferKey(framework.id, framework.role, agent.spec.id());
      StepSlots.PendingOffer earlier = quotaOffers.get(key);
      if (earlier != null) {
        earlier.resources = earlier.resources.plus(resources);
        return;
      }
      StepSlots.PendingOffer offer = new StepSlots.PendingOffer(agent, framework, resources);
      offers.add(offer);
      if (stage == Stage.QUOTA) {
        quotaOffers.put(key, offer);
      }
      return;
    }
    offers.add(new StepSlots.PendingOffer(agent, framework, resources));
  }

  private void explainUnmetDemand() {
    for (Books.FrameworkEntry framework : books.frameworks.values()) {
      for (String role : framework.spec.roles()) {
        StepSlots.FrameworkSlot slot = roles.get(role).frameworks.get(framework.spec.id().value());
        if (!framework.suppressed.contains(role) && !slot.offered) {
          explainer.noOffer(framework.spec.id(), role);
        }
      }
    }
  }
}
