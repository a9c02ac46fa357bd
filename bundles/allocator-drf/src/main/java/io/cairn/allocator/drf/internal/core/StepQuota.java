package io.cairn.allocator.drf.internal.core;

import io.cairn.allocator.AgentResources;
import io.cairn.allocator.Quantities;
import io.cairn.allocator.ReasonCode;
import io.cairn.allocator.Roles;
import java.util.HashMap;
import java.util.Map;

/**
 * The quota books of one {@link AllocationStep}: per role path with a quota what its subtree
 * consumes ({@link StepSlots.QuotaPath}), the headroom the unmet guarantees require and the
 * headroom still available, and from them the {@link Cap} on the unreserved resources a role may
 * be offered on an agent. When no role has a quota it is inactive and costs nothing: the headroom
 * required is then zero and the headroom available holds at least any active agent's resources,
 * so the cap is simply what the agent has. Per-step working state; allocator thread only.
 */
final class StepQuota {
  private static final StepSlots.QuotaPath[] NONE = new StepSlots.QuotaPath[0];

  /** The unreserved resources an offer may hold and, if capped, what capped them. */
  record Cap(Quantities unreserved, ReasonCode binding, Supplier binder) {}

  /** Builds the text of the limiting reason only if it is needed. */
  interface Supplier {
    String get();
  }

  private final Books books;
  private final boolean active;
  private final Map<String, StepSlots.QuotaPath> byPath = new HashMap<>();
  private final Map<String, StepSlots.QuotaPath[]> byRole = new HashMap<>();
  private Quantities requiredHeadroom = Quantities.ZERO;
  private Quantities availableHeadroom = Quantities.ZERO;
  /** Roles in the quota sorter whose shortfall is not zero; stage 1 ends when none is left. */
  private int rolesShort;

  /** Reads consumption and headroom from the books (only if some role has a quota). */
  StepQuota(Books books) {
    this.books = books;
    this.active = !books.quotas.isEmpty();
    if (!active) {
      return;
    }
    long cpuMillis = 0;
    long memMb = 0;
    long diskMb = 0;
    long gpus = 0;
    for (Books.AgentEntry agent : books.agents.values()) {
      if (agent.active) {
        Quantities free = agent.available().unreserved().scalars();
        cpuMillis += free.cpuMillis();
        memMb += free.memMb();
        diskMb += free.diskMb();
        gpus += free.gpus();
      }
      agent.allocations.forEach((key, resources) ->
          addConsumed(key.role(), resources.unreserved().scalars()));
      agent.spec.total().reserved().forEach((reservation, resources) ->
          addConsumed(reservation.role(), resources.scalars()));
    }
    availableHeadroom = new Quantities(cpuMillis, memMb, diskMb, gpus);
    for (String path : books.quotas.keySet()) {
      requiredHeadroom = requiredHeadroom.plus(path(path).shortfall);
    }
  }

  private StepSlots.QuotaPath path(String path) {
    return byPath.computeIfAbsent(path, p -> new StepSlots.QuotaPath(p, books.quotas.get(p)));
  }

  /** The role and those of its ancestors that have a quota, nearest first. */
  StepSlots.QuotaPath[] paths(String role) {
    if (!active) {
      return NONE;
    }
    StepSlots.QuotaPath[] paths = byRole.get(role);
    if (paths == null) {
      paths = Roles.selfAndAncestors(role).stream().filter(books.quotas::containsKey)
          .map(this::path).toArray(StepSlots.QuotaPath[]::new);
      byRole.put(role, paths);
    }
    return paths;
  }

  private void addConsumed(String role, Quantities quantities) {
    for (StepSlots.QuotaPath path : paths(role)) {
      path.add(quantities);
    }
  }

  /** Registers a role that has frameworks (its slot was built with {@link #paths}). */
  void addRole(StepSlots.RoleSlot role) {
    if (role.own != null) {
      role.own.slot = role;
      if (role.guaranteed && !role.own.shortfall.isZero()) {
        rolesShort++;
      }
    }
  }

  /** The number of roles with frameworks still below their guarantee. */
  int rolesShort() {
    return rolesShort;
  }

  /**
   * How much unreserved scalar resource a role may take now from {@code avail}: its own and its
   * ancestors' remaining limits, the headroom other roles' guarantees need, and in stage 1
   * ({@code quotaStage}) its own shortfall.
   */
  Cap cap(AgentResources avail, StepSlots.RoleSlot role, boolean quotaStage) {
    Quantities have = avail.unreserved().scalars();
    if (!active) {
      return new Cap(have, null, null);
    }
    Quantities cap = have;
    ReasonCode binding = null;
    Supplier binder = null;
    for (StepSlots.QuotaPath quotaPath : role.quotaPaths) {
      Quantities left = quotaPath.left;
      if (left.contains(cap)) {
        continue;
      }
      if (binding == null) {
        String path = quotaPath.path;
        Quantities limits = quotaPath.quota.limits();
        for (int d = 0; d < Quantities.NAMES.length; d++) {
          if (left.get(d) < cap.get(d)) {
            binding = ReasonCode.ROLE_AT_LIMIT;
            int dimension = d;
            binder = () -> "role " + path + " at its " + limitText(dimension, limits);
            break;
          }
        }
      }
      cap = min(cap, left);
    }
    Quantities own = role.shortfall();
    if (!requiredHeadroom.isZero()) {
      Quantities held = requiredHeadroom.minus(own);
      Quantities slack = availableHeadroom.minusFloorZero(held);
      if (!slack.contains(cap)) {
        if (binding == null) {
          binding = ReasonCode.HEADROOM_HELD;
          binder = () -> "unreserved resources held back as headroom for other roles' quota"
              + " guarantees (" + held + ")";
        }
        cap = min(cap, slack);
      }
    }
    if (quotaStage) {
      Quantities guarantees = role.own.quota.guarantees();
      cap = new Quantities(
          guarantees.cpuMillis() > 0 ? Math.min(cap.cpuMillis(), own.cpuMillis()) : cap.cpuMillis(),
          guarantees.memMb() > 0 ? Math.min(cap.memMb(), own.memMb()) : cap.memMb(),
          guarantees.diskMb() > 0 ? Math.min(cap.diskMb(), own.diskMb()) : cap.diskMb(),
          guarantees.gpus() > 0 ? Math.min(cap.gpus(), own.gpus()) : cap.gpus());
    }
    return new Cap(cap, binding, binder);
  }

  /**
   * {@link Quantities#min} without a new value when one side holds the other (the usual case: a
   * role at its limit, an agent below it); values are immutable, so sharing is exact.
   */
  private static Quantities min(Quantities a, Quantities b) {
    if (a.contains(b)) {
      return b;
    }
    return b.contains(a) ? a : a.min(b);
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

  /** Books an offer of {@code unreserved} scalars to {@code role}. */
  void offered(StepSlots.RoleSlot role, Quantities unreserved) {
    if (!active) {
      return;
    }
    availableHeadroom = availableHeadroom.minus(unreserved);
    for (StepSlots.QuotaPath path : role.quotaPaths) {
      Quantities old = path.shortfall;
      path.add(unreserved);
      Quantities now = path.shortfall;
      requiredHeadroom = requiredHeadroom.minus(old).plus(now);
      if (!old.isZero() && now.isZero() && path.slot != null && path.slot.guaranteed) {
        rolesShort--;
      }
    }
  }
}
