package io.cairn.allocator.firstfit.internal.core;

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
import io.cairn.env.Check;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One first-fit step: a function from the {@link Ledger} (read, never written) and the time to an
 * {@link OfferPlan}. Its checkers run in this order, cheapest first:
 *
 * <ol>
 *   <li><b>Agent order</b>: the order agents were added (no rotation, no shuffle).
 *   <li><b>Agent checkers</b>: a deactivated agent, or one whose remainder meets no minimum
 *       allocatable set, is skipped for every framework.
 *   <li><b>Holder order</b>: frameworks in the order added, each framework's roles in name order.
 *       No weights, no shares: the first holder that can take the agent takes it, and later
 *       holders get only what it left (e.g. reservations of other roles, or what a limit capped).
 *   <li><b>Holder checkers</b>: inactive framework, suppressed role; explained once per step.
 *   <li><b>Offerable resources</b>: reservations of the role or an ancestor, plus unreserved
 *       scalars capped by the remaining quota limit of the role and every ancestor (quota
 *       consumption as in DRF: unreserved allocations plus all reservations of the subtree).
 *       Unreserved ports go along only with some unreserved scalar.
 *   <li><b>Minimum allocatable</b>, then the <b>refusal filter</b> last (it needs the final
 *       resources, since a larger offer passes a filter).
 * </ol>
 *
 * Quota guarantees are not offered first and no headroom is held for them. Called only on the
 * allocator's thread.
 */
final class FirstFitStep {
  /** Unreserved scalars a role may take on an agent; {@code limitText} set if a limit bound. */
  private record Cap(Quantities unreserved, Supplier<String> limitText) {}

  private final Ledger ledger;
  private final AllocatorOptions options;
  private final long nowMillis;
  private final Reasons reasons;
  private final Map<String, Quantities> consumed = new HashMap<>();
  private final Set<Holder> explainedOnce = new HashSet<>();
  private final Set<Holder> offered = new HashSet<>();
  private final List<Offer> offers = new ArrayList<>();

  private FirstFitStep(Ledger ledger, AllocatorOptions options, long nowMillis) {
    this.ledger = ledger;
    this.options = options;
    this.nowMillis = nowMillis;
    this.reasons = new Reasons(options.reasonsMax());
  }

  /** Runs one step over the {@code candidates} (unknown ids are ignored). */
  static OfferPlan run(Ledger ledger, AllocatorOptions options, long nowMillis,
      Set<AgentId> candidates) {
    FirstFitStep step = new FirstFitStep(ledger, options, nowMillis);
    step.initialiseConsumed();
    for (Ledger.AgentEntry agent : ledger.agents.values()) {
      if (candidates.contains(agent.spec.id())) {
        step.offerAgent(agent);
      }
    }
    step.explainUnmetDemand();
    return new OfferPlan(ledger.cycle + 1, nowMillis, step.offers, step.reasons.build());
  }

  private void initialiseConsumed() {
    for (Ledger.AgentEntry agent : ledger.agents.values()) {
      agent.allocations.forEach((holder, resources) ->
          addConsumed(holder.role(), resources.unreserved().scalars()));
      agent.spec.total().reserved().forEach((reservation, resources) ->
          addConsumed(reservation.role(), resources.scalars()));
    }
  }

  private void addConsumed(String role, Quantities quantities) {
    for (String path : Roles.selfAndAncestors(role)) {
      consumed.merge(path, quantities, Quantities::plus);
    }
  }

  private void offerAgent(Ledger.AgentEntry agent) {
    AgentId agentId = agent.spec.id();
    if (!agent.active) {
      reasons.skip(ReasonCode.AGENT_INACTIVE, null, agentId, null,
          () -> "agent " + agentId + " is deactivated");
      return;
    }
    AgentResources available = agent.available();
    if (!allocatable(available.quantities())) {
      AgentResources left = available;
      if (!left.isEmpty()) {
        reasons.skip(ReasonCode.AGENT_NOT_ALLOCATABLE, null, agentId, null,
            () -> "agent " + agentId + " has nothing allocatable left (" + left.quantities()
                + " available, needs one of " + options.minAllocatable() + ")");
      }
      return;
    }
    for (Ledger.FrameworkEntry framework : ledger.frameworks.values()) {
      for (String role : framework.spec.roles()) {
        if (!allocatable(available.quantities())) {
          return;
        }
        Holder holder = new Holder(framework.spec.id(), role);
        if (eligible(framework, holder)) {
          available = offerHolder(agentId, available, holder);
        }
      }
    }
  }

  /** The holder checkers, which need no resource arithmetic; each explained once per step. */
  private boolean eligible(Ledger.FrameworkEntry framework, Holder holder) {
    FrameworkId frameworkId = holder.frameworkId();
    if (!framework.active) {
      if (explainedOnce.add(holder)) {
        reasons.skip(ReasonCode.FRAMEWORK_INACTIVE, frameworkId, null, holder.role(),
            () -> "framework " + frameworkId + " is inactive");
      }
      return false;
    }
    if (framework.suppressed.contains(holder.role())) {
      if (explainedOnce.add(holder)) {
        reasons.skip(ReasonCode.SUPPRESSED, frameworkId, null, holder.role(),
            () -> "framework " + frameworkId + " suppressed offers for role " + holder.role());
      }
      return false;
    }
    return true;
  }

  /** Offers what {@code holder} may take of {@code available}; returns what is left. */
  private AgentResources offerHolder(AgentId agentId, AgentResources available, Holder holder) {
    String role = holder.role();
    FrameworkId frameworkId = holder.frameworkId();
    Cap cap = cap(available, role);
    AgentResources candidate = offerable(available, role, cap);
    if (candidate.isEmpty() || !allocatable(candidate.quantities())) {
      if (cap.limitText() != null) {
        reasons.skip(ReasonCode.ROLE_AT_LIMIT, frameworkId, agentId, role, cap.limitText());
      } else if (!candidate.isEmpty()) {
        AgentResources offerable = candidate;
        reasons.skip(ReasonCode.BELOW_MIN_ALLOCATABLE, frameworkId, agentId, role,
            () -> "agent " + agentId + " offers only " + offerable + " to role " + role
                + ", below every minimum " + options.minAllocatable());
      }
      return available;
    }
    RefusalFilter filter = ledger.filters.getOrDefault(holder, Map.of()).get(agentId);
    if (filter != null && filter.filters(candidate, nowMillis)) {
      reasons.skip(ReasonCode.FILTERED, frameworkId, agentId, role,
          () -> "agent " + agentId + " filtered for framework " + frameworkId + " until "
              + Reasons.timeOfDay(filter.expiresAtMillis()));
      return available;
    }
    Check.invariant(available.contains(candidate), "offer %s exceeds available %s on agent %s",
        candidate, available, agentId);
    offers.add(new Offer(frameworkId, role, agentId, candidate));
    offered.add(holder);
    addConsumed(role, candidate.unreserved().scalars());
    return available.minus(candidate);
  }

  /** The unreserved scalars a role may take: what is there, capped by every remaining limit. */
  private Cap cap(AgentResources available, String role) {
    Quantities cap = available.unreserved().scalars();
    Supplier<String> limitText = null;
    for (String path : Roles.selfAndAncestors(role)) {
      Quota quota = ledger.quotas.get(path);
      if (quota == null) {
        continue;
      }
      Quantities left = quota.limits().minusFloorZero(consumed.getOrDefault(path, Quantities.ZERO));
      for (int d = 0; d < Quantities.NAMES.length && limitText == null; d++) {
        if (left.get(d) < cap.get(d)) {
          int dimension = d;
          limitText = () -> "role " + path + " at its " + limitText(dimension, quota.limits());
        }
      }
      cap = cap.min(left);
    }
    return new Cap(cap, limitText);
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

  /** Reservations the role may use plus the capped unreserved scalars (ports only with them). */
  private static AgentResources offerable(AgentResources available, String role, Cap cap) {
    Quantities scalars = cap.unreserved();
    Resources unreserved = scalars.isZero()
        ? Resources.EMPTY
        : new Resources(scalars, available.unreserved().ports());
    return available.reservedAllocatableTo(role).withUnreserved(unreserved);
  }

  private boolean allocatable(Quantities quantities) {
    for (Quantities minimum : options.minAllocatable()) {
      if (quantities.contains(minimum)) {
        return true;
      }
    }
    return false;
  }

  private void explainUnmetDemand() {
    for (Ledger.FrameworkEntry framework : ledger.frameworks.values()) {
      for (String role : framework.spec.roles()) {
        Holder holder = new Holder(framework.spec.id(), role);
        if (framework.active && !framework.suppressed.contains(role) && !offered.contains(holder)) {
          reasons.noOffer(holder);
        }
      }
    }
  }
}
