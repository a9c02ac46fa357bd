package io.cairn.master.internal.core;

import io.cairn.allocator.AgentResources;
import io.cairn.allocator.Reservation;
import io.cairn.allocator.ReservationKind;
import io.cairn.allocator.Resources;
import io.cairn.proto.mesos.v1.Protos.Resource;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Dynamic reservations (Mesos {@code docs/reservation.md}): RESERVE turns unreserved resources of
 * an offer into resources reserved for the offer's role; UNRESERVE turns them back. Pure
 * functions over {@link AgentResources}; each returns null when the conversion is not possible,
 * with the reason left to the caller's sentence.
 */
final class Reservations {
  private Reservations() {}

  /** What a RESERVE of {@code reserved} consumes: the same quantities, unreserved. */
  static AgentResources source(AgentResources reserved) {
    Resources sum = Resources.EMPTY;
    for (Resources r : reserved.reserved().values()) {
      sum = sum.plus(r);
    }
    return AgentResources.unreserved(sum);
  }

  /** Null when fine, else why {@code resources} cannot be a RESERVE for {@code role}. */
  static String checkReserve(List<Resource> resources, String role) {
    String problem = ResourceMapping.check(resources);
    if (problem != null) {
      return problem;
    }
    AgentResources target = ResourceMapping.toAgentResources(resources);
    if (target.isEmpty() || !target.unreserved().isEmpty()) {
      return "every resource of a RESERVE must carry a reservation";
    }
    for (Reservation reservation : target.reserved().keySet()) {
      if (reservation.kind() != ReservationKind.DYNAMIC || !reservation.role().equals(role)) {
        return "a RESERVE must be a dynamic reservation for the offer's role '" + role
            + "', not " + reservation;
      }
    }
    return null;
  }

  /** Null when fine, else why {@code resources} cannot be an UNRESERVE. */
  static String checkUnreserve(List<Resource> resources) {
    String problem = ResourceMapping.check(resources);
    if (problem != null) {
      return problem;
    }
    AgentResources target = ResourceMapping.toAgentResources(resources);
    if (target.isEmpty() || !target.unreserved().isEmpty()) {
      return "every resource of an UNRESERVE must carry its reservation";
    }
    for (Reservation reservation : target.reserved().keySet()) {
      if (reservation.kind() != ReservationKind.DYNAMIC) {
        return "only dynamic reservations can be unreserved, not " + reservation;
      }
    }
    return null;
  }

  /** The dynamic reservations of {@code total}: what the agent checkpoints. */
  static AgentResources dynamicOnly(AgentResources total) {
    TreeMap<Reservation, Resources> dynamic = new TreeMap<>();
    for (Map.Entry<Reservation, Resources> e : total.reserved().entrySet()) {
      if (e.getKey().kind() == ReservationKind.DYNAMIC) {
        dynamic.put(e.getKey(), e.getValue());
      }
    }
    return new AgentResources(Resources.EMPTY, dynamic);
  }

  /**
   * An agent's total with the dynamic reservations it checkpointed applied to its static
   * resources (re-registration); reservations that no longer fit are dropped.
   */
  static AgentResources withCheckpointed(AgentResources total, List<Resource> checkpointed) {
    if (checkpointed.isEmpty() || ResourceMapping.check(checkpointed) != null) {
      return total;
    }
    AgentResources reserved = dynamicOnly(ResourceMapping.toAgentResources(checkpointed));
    AgentResources source = source(reserved);
    return total.contains(source) ? total.minus(source).plus(reserved) : total;
  }
}
