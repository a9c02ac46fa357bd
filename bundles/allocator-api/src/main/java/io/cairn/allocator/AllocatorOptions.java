package io.cairn.allocator;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Allocator settings, mirroring Mesos master flags. {@code allocationIntervalMillis}: the period of
 * the batch allocation (also the shortest life of a filter). {@code minAllocatable}: resources are
 * offered only if they hold at least one of these sets ({@code --min_allocatable_resources},
 * default {@code cpus:0.01|mem:32}). {@code reasonsMax}: the most individual skips one {@link
 * Explanation} keeps.
 */
@ProviderType
public record AllocatorOptions(
    long allocationIntervalMillis, List<Quantities> minAllocatable, int reasonsMax) {
  /** allocation_interval 1 s, cpus:0.01|mem:32, 1000 reasons. */
  public static final AllocatorOptions DEFAULTS = new AllocatorOptions(
      1_000, List.of(new Quantities(10, 0, 0, 0), new Quantities(0, 32, 0, 0)), 1_000);

  /** Validates the values. */
  public AllocatorOptions {
    Checks.argument(allocationIntervalMillis > 0,
        "allocationIntervalMillis must be > 0, was %s", allocationIntervalMillis);
    minAllocatable = List.copyOf(minAllocatable);
    Checks.argument(!minAllocatable.isEmpty(),
        "minAllocatable must hold at least one set (use Quantities.ZERO for 'anything')");
    Checks.argument(reasonsMax >= 0, "reasonsMax must be >= 0, was %s", reasonsMax);
  }
}
