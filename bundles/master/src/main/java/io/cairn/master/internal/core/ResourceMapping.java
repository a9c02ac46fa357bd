package io.cairn.master.internal.core;

import io.cairn.allocator.AgentResources;
import io.cairn.allocator.PortRange;
import io.cairn.allocator.PortRanges;
import io.cairn.allocator.Quantities;
import io.cairn.allocator.Reservation;
import io.cairn.allocator.Resources;
import io.cairn.proto.mesos.v1.Protos.Resource;
import io.cairn.proto.mesos.v1.Protos.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Converts between Mesos {@link Resource} protos (the wire) and the allocator's exact {@link
 * AgentResources} (the books). Pure functions.
 *
 * <p>Only what the allocator models survives a round trip: the scalars {@code cpus}, {@code mem},
 * {@code disk}, {@code gpus} and the ranges {@code ports}, unreserved or reserved for one role
 * (the last entry of {@code reservations}, or the deprecated {@code role} field). Other resources
 * are rejected by {@link #check} so that nothing is silently dropped from a launch.
 */
public final class ResourceMapping {
  private ResourceMapping() {}

  /** Null when every resource can be mapped, else one sentence saying which cannot and why. */
  public static String check(List<Resource> resources) {
    for (Resource r : resources) {
      String name = r.getName();
      boolean scalar = name.equals("cpus") || name.equals("mem") || name.equals("disk")
          || name.equals("gpus");
      if (scalar && r.getType() == Value.Type.SCALAR && r.hasScalar()) {
        if (!(r.getScalar().getValue() >= 0) || Double.isInfinite(r.getScalar().getValue())) {
          return "resource " + name + " must be a finite scalar >= 0, was "
              + r.getScalar().getValue();
        }
        continue;
      }
      if (name.equals("ports") && r.getType() == Value.Type.RANGES) {
        for (Value.Range range : r.getRanges().getRangeList()) {
          if (range.getBegin() > range.getEnd() || range.getEnd() > 65535) {
            return "resource ports has a bad range [" + range.getBegin() + "-" + range.getEnd()
                + "]; ranges are begin-end with begin <= end <= 65535";
          }
        }
        continue;
      }
      return "resource " + name + " of type " + r.getType()
          + " is not supported; use scalar cpus, mem, disk, gpus or ranges ports";
    }
    return null;
  }

  /** The allocator's view of {@code resources}; call {@link #check} first. */
  public static AgentResources toAgentResources(List<Resource> resources) {
    if (unreserved(resources)) {
      return AgentResources.unreserved(toResources(resources));
    }
    Map<Reservation, List<Resource>> byReservation = new TreeMap<>();
    List<Resource> unreserved = new ArrayList<>();
    for (Resource r : resources) {
      Reservation reservation = reservationOf(r);
      if (reservation == null) {
        unreserved.add(r);
      } else {
        byReservation.computeIfAbsent(reservation, k -> new ArrayList<>()).add(r);
      }
    }
    TreeMap<Reservation, Resources> reserved = new TreeMap<>();
    byReservation.forEach((k, v) -> reserved.put(k, toResources(v)));
    return new AgentResources(toResources(unreserved), reserved);
  }

  /** True when no resource is reserved (the common case: tasks and most agents). */
  private static boolean unreserved(List<Resource> resources) {
    for (Resource r : resources) {
      if (r.getReservationsCount() > 0 || (r.hasRole() && !r.getRole().equals("*"))) {
        return false;
      }
    }
    return true;
  }

  private static Reservation reservationOf(Resource r) {
    if (r.getReservationsCount() > 0) {
      Resource.ReservationInfo last = r.getReservations(r.getReservationsCount() - 1);
      return last.getType() == Resource.ReservationInfo.Type.DYNAMIC
          ? Reservation.dynamicFor(last.getRole())
          : Reservation.staticFor(last.getRole());
    }
    if (r.hasRole() && !r.getRole().equals("*")) {
      return Reservation.staticFor(r.getRole());
    }
    return null;
  }

  private static Resources toResources(List<Resource> resources) {
    double cpus = 0;
    double mem = 0;
    double disk = 0;
    double gpus = 0;
    PortRanges ports = PortRanges.NONE;
    for (Resource r : resources) {
      switch (r.getName()) {
        case "cpus" -> cpus += r.getScalar().getValue();
        case "mem" -> mem += r.getScalar().getValue();
        case "disk" -> disk += r.getScalar().getValue();
        case "gpus" -> gpus += r.getScalar().getValue();
        case "ports" -> {
          List<PortRange> list = new ArrayList<>();
          for (Value.Range range : r.getRanges().getRangeList()) {
            list.add(new PortRange((int) range.getBegin(), (int) range.getEnd()));
          }
          ports = ports.plus(new PortRanges(list));
        }
        default -> throw new IllegalArgumentException("unsupported resource " + r.getName());
      }
    }
    return new Resources(
        new Quantities(Math.round(cpus * 1000), Math.round(mem), Math.round(disk),
            Math.round(gpus)),
        ports);
  }

  /**
   * Mesos resources for {@code resources}, each tagged with {@code allocationRole} in its {@code
   * allocation_info} when not null (offers and launched tasks of multi-role frameworks).
   */
  public static List<Resource> toProto(AgentResources resources, String allocationRole) {
    List<Resource> out = new ArrayList<>();
    append(out, resources.unreserved(), null, allocationRole);
    resources.reserved().forEach((k, v) -> append(out, v, k, allocationRole));
    return out;
  }

  private static void append(
      List<Resource> out, Resources resources, Reservation reservation, String allocationRole) {
    Quantities q = resources.scalars();
    scalar(out, "cpus", q.cpuMillis() / 1000.0, q.cpuMillis(), reservation, allocationRole);
    scalar(out, "mem", q.memMb(), q.memMb(), reservation, allocationRole);
    scalar(out, "disk", q.diskMb(), q.diskMb(), reservation, allocationRole);
    scalar(out, "gpus", q.gpus(), q.gpus(), reservation, allocationRole);
    if (!resources.ports().isEmpty()) {
      Value.Ranges.Builder ranges = Value.Ranges.newBuilder();
      for (PortRange range : resources.ports().ranges()) {
        ranges.addRange(Value.Range.newBuilder().setBegin(range.begin()).setEnd(range.end()));
      }
      Resource.Builder b = Resource.newBuilder().setName("ports").setType(Value.Type.RANGES)
          .setRanges(ranges);
      out.add(decorate(b, reservation, allocationRole));
    }
  }

  private static void scalar(List<Resource> out, String name, double value, long raw,
      Reservation reservation, String allocationRole) {
    if (raw == 0) {
      return;
    }
    Resource.Builder b = Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(value));
    out.add(decorate(b, reservation, allocationRole));
  }

  private static Resource decorate(
      Resource.Builder b, Reservation reservation, String allocationRole) {
    if (reservation != null) {
      b.addReservations(Resource.ReservationInfo.newBuilder()
          .setType(reservation.kind() == io.cairn.allocator.ReservationKind.DYNAMIC
              ? Resource.ReservationInfo.Type.DYNAMIC
              : Resource.ReservationInfo.Type.STATIC)
          .setRole(reservation.role()));
    }
    if (allocationRole != null) {
      b.setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(allocationRole));
    }
    return b.build();
  }
}
