package io.cairn.allocator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A set of ports as sorted, disjoint, non-adjacent ranges (the normal form makes {@code equals}
 * mean set equality). Immutable.
 */
@ProviderType
public record PortRanges(List<PortRange> ranges) {
  /** No ports. */
  public static final PortRanges NONE = new PortRanges(List.of());

  /** Normalises the ranges: sorts them and merges overlapping or adjacent ones. */
  public PortRanges {
    ranges = normalise(ranges);
  }

  /** The ports of the given ranges. */
  public static PortRanges of(PortRange... ranges) {
    return new PortRanges(List.of(ranges));
  }

  /** The ports {@code [begin, end]}. */
  public static PortRanges range(int begin, int end) {
    return of(new PortRange(begin, end));
  }

  /** True if there are no ports. */
  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  /** The number of ports. */
  public long count() {
    long count = 0;
    for (PortRange range : ranges) {
      count += range.count();
    }
    return count;
  }

  /** The union. */
  public PortRanges plus(PortRanges other) {
    if (other.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    List<PortRange> all = new ArrayList<>(ranges);
    all.addAll(other.ranges);
    return new PortRanges(all);
  }

  /** The set difference {@code this \ other}. */
  public PortRanges minus(PortRanges other) {
    if (other.isEmpty() || isEmpty()) {
      return this;
    }
    List<PortRange> result = new ArrayList<>();
    for (PortRange range : ranges) {
      int begin = range.begin();
      for (PortRange cut : other.ranges) {
        if (cut.end() < begin || cut.begin() > range.end()) {
          continue;
        }
        if (cut.begin() > begin) {
          result.add(new PortRange(begin, cut.begin() - 1));
        }
        begin = cut.end() + 1;
        if (begin > range.end()) {
          break;
        }
      }
      if (begin <= range.end()) {
        result.add(new PortRange(begin, range.end()));
      }
    }
    return new PortRanges(result);
  }

  /** True if every port of {@code other} is in this set. */
  public boolean contains(PortRanges other) {
    if (other.isEmpty() || other.equals(this)) {
      return true;
    }
    return other.minus(this).isEmpty();
  }

  /** True if the two sets share a port. */
  public boolean intersects(PortRanges other) {
    return !minus(other).equals(this);
  }

  @Override
  public String toString() {
    return ranges.toString();
  }

  private static List<PortRange> normalise(List<PortRange> input) {
    if (input.size() <= 1) {
      return List.copyOf(input);
    }
    List<PortRange> sorted = new ArrayList<>(input);
    sorted.sort(Comparator.comparingInt(PortRange::begin));
    List<PortRange> merged = new ArrayList<>();
    PortRange current = sorted.get(0);
    for (int i = 1; i < sorted.size(); i++) {
      PortRange next = sorted.get(i);
      if (next.begin() <= current.end() + 1) {
        current = new PortRange(current.begin(), Math.max(current.end(), next.end()));
      } else {
        merged.add(current);
        current = next;
      }
    }
    merged.add(current);
    return List.copyOf(merged);
  }
}
