package io.cairn.bench.jmh;

import io.cairn.allocator.AgentId;
import io.cairn.allocator.AgentResources;
import io.cairn.allocator.AgentSpec;
import io.cairn.allocator.Allocation;
import io.cairn.allocator.AllocatorBooks;
import io.cairn.allocator.AllocatorOptions;
import io.cairn.allocator.FrameworkId;
import io.cairn.allocator.FrameworkSpec;
import io.cairn.allocator.PortRange;
import io.cairn.allocator.PortRanges;
import io.cairn.allocator.Quantities;
import io.cairn.allocator.Quota;
import io.cairn.allocator.Resources;
import io.cairn.allocator.drf.internal.DrfAllocatorComponent;
import io.cairn.allocator.spi.Allocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The clusters of the allocator benchmarks, after Mesos's {@code
 * hierarchical_allocator_benchmarks.cpp} / {@code hierarchical_allocator_tests.cpp} (facts in
 * notes/mesos.md §2). A cluster is named {@code AxF} (A agents {@code
 * cpus:24;mem:4096;disk:4096;ports:[31000-32000]}, F frameworks all in role {@code *}, as in the
 * Mesos 1.7 blog's chart) or {@code quota:N} (N agents {@code cpus:2;mem:2048;disk:2048}, N roles
 * with one framework each and a quota on every role, large and small alternating, as in {@code
 * LargeAndSmallQuota}). Plain code, no JMH, so that a profiling driver can build the same
 * clusters. Not thread-safe; each call builds a new allocator.
 */
public final class AllocatorClusters {
  private AllocatorClusters() {}

  /** A parsed cluster name. */
  public record Shape(int agents, int frameworks, boolean quota) {
    /** Parses {@code AxF} or {@code quota:N}. */
    public static Shape parse(String name) {
      String text = name.trim().toLowerCase(Locale.ROOT);
      if (text.startsWith("quota:")) {
        int n = Integer.parseInt(text.substring("quota:".length()));
        return new Shape(n, n, true);
      }
      String[] parts = text.split("x");
      if (parts.length != 2) {
        throw new IllegalArgumentException("cluster '" + name
            + "' is neither AGENTSxFRAMEWORKS (e.g. 10000x1000) nor quota:N (e.g. quota:3000)");
      }
      return new Shape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), false);
    }
  }

  /** A fresh DRF allocator holding the cluster, every agent free. */
  public static Allocator build(Shape shape) {
    return build(shape, false);
  }

  /**
   * A fresh allocator for the decline scenario: as {@link #build(Shape)}, plus on every agent of
   * an {@code AxF} cluster {@code cpus:16} and 16 scattered ports used by one framework (round
   * robin), as Mesos's {@code DeclineOffers} sets its agents up.
   */
  public static Allocator buildUsed(Shape shape) {
    return build(shape, !shape.quota());
  }

  private static Allocator build(Shape shape, boolean used) {
    Allocator allocator = new DrfAllocatorComponent().create(
        AllocatorOptions.DEFAULTS, AllocatorBooks.EMPTY);
    for (int f = 0; f < shape.frameworks(); f++) {
      allocator.addFramework(FrameworkSpec.of(frameworkId(f), role(shape, f)), true, List.of());
      if (shape.quota()) {
        // Mesos >= 1.9 turns an old-style quota into guarantee = limit.
        Quantities amount = f % 2 == 0 ? Quantities.of(2, 1024, 0, 0)
            : Quantities.of(0.5, 256, 0, 0);
        allocator.updateQuota(role(shape, f), new Quota(amount, amount));
      }
    }
    List<PortRange> ports = new ArrayList<>();
    for (int p = 0; p < 16; p++) {
      ports.add(new PortRange(31_000 + p * 64, 31_000 + p * 64));
    }
    AgentResources usedResources = AgentResources.unreserved(
        new Resources(Quantities.of(16, 0, 0, 0), new PortRanges(ports)));
    for (int a = 0; a < shape.agents(); a++) {
      AgentId id = AgentId.of(agentId(a));
      int f = a % shape.frameworks();
      List<Allocation> allocations = used
          ? List.of(new Allocation(FrameworkId.of(frameworkId(f)), role(shape, f), id,
              usedResources))
          : List.of();
      allocator.addAgent(new AgentSpec(id, agentId(a), total(shape)), allocations);
    }
    return allocator;
  }

  private static AgentResources total(Shape shape) {
    return AgentResources.unreserved(shape.quota()
        ? Resources.of(2, 2048, 2048, 0, PortRanges.NONE)
        : Resources.of(24, 4096, 4096, 0, PortRanges.range(31_000, 32_000)));
  }

  private static String role(Shape shape, int framework) {
    return shape.quota() ? String.format("r%05d", framework) : "*";
  }

  static String frameworkId(int f) {
    return String.format("f%05d", f);
  }

  static String agentId(int a) {
    return String.format("a%06d", a);
  }
}
