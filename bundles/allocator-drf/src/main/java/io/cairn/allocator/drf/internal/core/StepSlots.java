package io.cairn.allocator.drf.internal.core;

import io.cairn.allocator.AgentId;
import io.cairn.allocator.AgentResources;
import io.cairn.allocator.FrameworkId;
import io.cairn.allocator.Quantities;
import io.cairn.allocator.Quota;
import io.cairn.allocator.ReasonCode;
import java.util.HashMap;
import java.util.Map;

/**
 * What one {@link AllocationStep} knows about a role and about a framework under a role, looked up
 * from the {@link Books} once per step instead of once per agent: eligibility, refusal filters,
 * the quota paths above a role, the explanation tally. Mutable per-step working state; never
 * shared between steps. Called only on the allocator's thread.
 */
final class StepSlots {
  private StepSlots() {}

  /** A framework under one of its roles, as this step sees it. */
  static final class FrameworkSlot {
    final Books.FrameworkEntry entry;
    final FrameworkId id;
    final String role;
    /** The framework's refusal filters for this role by agent, or null if it has none. */
    final Map<AgentId, RefusalFilter> filters;
    /** Why the framework takes no offer for this role in this step, or null if it may. */
    final ReasonCode ineligible;
    Explainer.Tally tally;
    boolean explained;
    boolean offered;

    FrameworkSlot(Books.FrameworkEntry entry, String role, Map<AgentId, RefusalFilter> filters) {
      this.entry = entry;
      this.id = entry.spec.id();
      this.role = role;
      this.filters = filters == null || filters.isEmpty() ? null : filters;
      this.ineligible = !entry.active ? ReasonCode.FRAMEWORK_INACTIVE
          : entry.suppressed.contains(role) ? ReasonCode.SUPPRESSED : null;
    }

    Explainer.Tally tally(Explainer explainer) {
      if (tally == null) {
        tally = explainer.tally(id, role);
      }
      return tally;
    }
  }

  /** A role that has frameworks, as this step sees it. */
  static final class RoleSlot {
    final String role;
    /** The role and those of its ancestors that have a quota, nearest first. */
    final QuotaPath[] quotaPaths;
    /** The role's own quota path, or null if the role has no quota. */
    final QuotaPath own;
    /** True if the role itself has a non-zero guarantee (it is in the quota role sorter). */
    final boolean guaranteed;
    final DrfSorter frameworkSorter;
    final Map<String, FrameworkSlot> frameworks = new HashMap<>();
    /** The role's framework if it has exactly one (its walk then needs no sorter), else null. */
    FrameworkSlot onlyFramework;

    RoleSlot(String role, QuotaPath[] quotaPaths, DrfSorter frameworkSorter) {
      this.role = role;
      this.quotaPaths = quotaPaths;
      this.own = quotaPaths.length > 0 && quotaPaths[0].path.equals(role) ? quotaPaths[0] : null;
      this.guaranteed = own != null && !own.quota.guarantees().isZero();
      this.frameworkSorter = frameworkSorter;
    }

    /** How far the role is below its guarantee; zero without one. */
    Quantities shortfall() {
      return own == null ? Quantities.ZERO : own.shortfall;
    }
  }

  /**
   * A role path that has a quota, with what the role and its subtree consume (unreserved
   * allocations plus all reservations) and what follows from it; shared by every role below.
   */
  static final class QuotaPath {
    final String path;
    final Quota quota;
    Quantities consumed = Quantities.ZERO;
    /** The limit minus the consumption, floored at zero. */
    Quantities left;
    /** The guarantee minus the consumption, floored at zero. */
    Quantities shortfall;
    /** The role slot of this path if the path is a role with frameworks. */
    RoleSlot slot;

    QuotaPath(String path, Quota quota) {
      this.path = path;
      this.quota = quota;
      refresh();
    }

    void add(Quantities quantities) {
      consumed = consumed.plus(quantities);
      refresh();
    }

    void refresh() {
      left = quota.limits().minusFloorZero(consumed);
      shortfall = quota.guarantees().minusFloorZero(consumed);
    }
  }

  /** An offer being built: merged when one agent gives the same framework and role more. */
  static final class PendingOffer {
    final Books.AgentEntry agent;
    final FrameworkSlot framework;
    AgentResources resources;

    PendingOffer(Books.AgentEntry agent, FrameworkSlot framework, AgentResources resources) {
      this.agent = agent;
      this.framework = framework;
      this.resources = resources;
    }
  }
}
