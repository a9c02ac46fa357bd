package io.cairn.marathon.internal.core;

import io.cairn.proto.mesos.v1.Protos.Offer;
import io.cairn.proto.mesos.v1.Protos.Resource;
import io.cairn.proto.mesos.v1.Protos.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * What is left of one offer while the matcher places instances on it: scalar amounts and port
 * ranges per offered {@link Resource} entry, so that taken resources keep the entry's role,
 * allocation info and reservations (the master checks them). Mutable; used within one offer cycle.
 */
final class OfferPool {
  private static final double EPSILON = 1e-6;

  /** One offered resource entry and what remains of it. */
  private static final class Entry {
    final Resource template;
    double scalar;
    final List<long[]> ranges = new ArrayList<>();

    Entry(Resource template) {
      this.template = template;
      this.scalar = template.getScalar().getValue();
      for (Value.Range range : template.getRanges().getRangeList()) {
        ranges.add(new long[] {range.getBegin(), range.getEnd()});
      }
    }
  }

  private final List<Entry> entries = new ArrayList<>();

  OfferPool(Offer offer) {
    for (Resource resource : offer.getResourcesList()) {
      entries.add(new Entry(resource));
    }
  }

  /** The role a resource is reserved for, or {@code *}. */
  static String roleOf(Resource resource) {
    if (resource.getReservationsCount() > 0) {
      return resource.getReservations(resource.getReservationsCount() - 1).getRole();
    }
    return resource.getRole();
  }

  private static boolean usable(Entry entry, List<String> roles) {
    return roles.isEmpty() || roles.contains(roleOf(entry.template));
  }

  /** Whether any entry has a role the app accepts. */
  boolean anyUsable(List<String> roles) {
    return entries.stream().anyMatch(entry -> usable(entry, roles));
  }

  /** The amount of scalar {@code name} available in accepted roles. */
  double available(String name, List<String> roles) {
    double sum = 0;
    for (Entry entry : entries) {
      if (entry.template.getName().equals(name) && usable(entry, roles)) {
        sum += entry.scalar;
      }
    }
    return sum;
  }

  /** Takes {@code amount} of scalar {@code name}; call only after {@link #available} said yes. */
  List<Resource> takeScalar(String name, double amount, List<String> roles) {
    List<Resource> taken = new ArrayList<>();
    double left = amount;
    for (Entry entry : entries) {
      if (left <= EPSILON) {
        break;
      }
      if (!entry.template.getName().equals(name) || !usable(entry, roles) || entry.scalar <= 0) {
        continue;
      }
      double part = Math.min(left, entry.scalar);
      entry.scalar -= part;
      left -= part;
      taken.add(entry.template.toBuilder().clearRanges()
          .setScalar(Value.Scalar.newBuilder().setValue(round(part))).build());
    }
    return taken;
  }

  /**
   * Picks host ports: each requested port that is non-zero must be offered as is; zero means any
   * (the lowest free one, so placements are reproducible). Null when they cannot be had.
   */
  List<Integer> pickPorts(List<Integer> requested, List<String> roles) {
    List<long[]> free = new ArrayList<>();
    for (Entry entry : entries) {
      if (entry.template.getName().equals("ports") && usable(entry, roles)) {
        for (long[] range : entry.ranges) {
          free.add(new long[] {range[0], range[1]});
        }
      }
    }
    List<Integer> picked = new ArrayList<>();
    for (int want : requested) {
      if (want != 0) {
        if (!removePort(free, want)) {
          return null;
        }
        picked.add(want);
      }
    }
    List<Integer> result = new ArrayList<>();
    for (int want : requested) {
      if (want != 0) {
        result.add(want);
        continue;
      }
      long port = lowestFree(free);
      if (port < 0) {
        return null;
      }
      removePort(free, port);
      result.add((int) port);
    }
    return result;
  }

  /** Takes the given ports (already picked) as task resources. */
  List<Resource> takePorts(List<Integer> ports, List<String> roles) {
    List<Resource> taken = new ArrayList<>();
    for (int port : ports) {
      for (Entry entry : entries) {
        if (entry.template.getName().equals("ports") && usable(entry, roles)
            && removePort(entry.ranges, port)) {
          taken.add(entry.template.toBuilder().setRanges(Value.Ranges.newBuilder().addRange(
              Value.Range.newBuilder().setBegin(port).setEnd(port))).build());
          break;
        }
      }
    }
    return taken;
  }

  private static long lowestFree(List<long[]> ranges) {
    long lowest = -1;
    for (long[] range : ranges) {
      if (range[0] <= range[1] && (lowest < 0 || range[0] < lowest)) {
        lowest = range[0];
      }
    }
    return lowest;
  }

  private static boolean removePort(List<long[]> ranges, long port) {
    for (int i = 0; i < ranges.size(); i++) {
      long[] range = ranges.get(i);
      if (port < range[0] || port > range[1]) {
        continue;
      }
      ranges.remove(i);
      if (range[0] < port) {
        ranges.add(new long[] {range[0], port - 1});
      }
      if (port < range[1]) {
        ranges.add(new long[] {port + 1, range[1]});
      }
      return true;
    }
    return false;
  }

  private static double round(double value) {
    return Math.round(value * 1000.0) / 1000.0;
  }
}
