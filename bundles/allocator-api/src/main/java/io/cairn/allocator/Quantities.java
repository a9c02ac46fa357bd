package io.cairn.allocator;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Scalar resource quantities in integer units, so that sums and differences are exact (Mesos keeps
 * scalars in fixed point for the same reason): cpus in thousandths ({@code cpuMillis}), memory and
 * disk in MB, gpus whole. Used for quota, shares and minimum allocatable resources, which ignore
 * ports. {@link #UNLIMITED} in a dimension of a limit means "no limit".
 *
 * <p>Invariant: every dimension is {@code >= 0}.
 */
@ProviderType
public record Quantities(long cpuMillis, long memMb, long diskMb, long gpus) {
  /** Nothing. */
  public static final Quantities ZERO = new Quantities(0, 0, 0, 0);

  /** The value of a dimension that has no limit. */
  public static final long UNLIMITED = Long.MAX_VALUE;

  /** No limit in any dimension. */
  public static final Quantities NO_LIMIT =
      new Quantities(UNLIMITED, UNLIMITED, UNLIMITED, UNLIMITED);

  /** The names of the dimensions, in the order of {@link #get(int)}. */
  public static final String[] NAMES = {"cpus", "mem", "disk", "gpus"};

  /** Validates that no dimension is negative. */
  public Quantities {
    Checks.argument(
        cpuMillis >= 0 && memMb >= 0 && diskMb >= 0 && gpus >= 0,
        "quantities must not be negative: cpuMillis=%s memMb=%s diskMb=%s gpus=%s",
        cpuMillis, memMb, diskMb, gpus);
  }

  /** Quantities from fractional cpus (rounded to thousandths) and whole MB. */
  public static Quantities of(double cpus, long memMb, long diskMb, long gpus) {
    return new Quantities(Math.round(cpus * 1000), memMb, diskMb, gpus);
  }

  /** Dimension {@code i} in the order of {@link #NAMES}. */
  public long get(int i) {
    return switch (i) {
      case 0 -> cpuMillis;
      case 1 -> memMb;
      case 2 -> diskMb;
      case 3 -> gpus;
      default -> throw new IllegalArgumentException("no dimension " + i);
    };
  }

  /** True if every dimension is zero. */
  public boolean isZero() {
    return cpuMillis == 0 && memMb == 0 && diskMb == 0 && gpus == 0;
  }

  /** The sum, saturating at {@link #UNLIMITED}. */
  public Quantities plus(Quantities other) {
    return new Quantities(
        add(cpuMillis, other.cpuMillis),
        add(memMb, other.memMb),
        add(diskMb, other.diskMb),
        add(gpus, other.gpus));
  }

  /** The difference; fails if {@code other} is not contained in this. */
  public Quantities minus(Quantities other) {
    Checks.argument(contains(other), "cannot subtract %s from %s", other, this);
    return new Quantities(
        cpuMillis - other.cpuMillis, memMb - other.memMb, diskMb - other.diskMb, gpus - other.gpus);
  }

  /** The difference per dimension, floored at zero (e.g. the shortfall below a guarantee). */
  public Quantities minusFloorZero(Quantities other) {
    return new Quantities(
        Math.max(0, cpuMillis - other.cpuMillis),
        Math.max(0, memMb - other.memMb),
        Math.max(0, diskMb - other.diskMb),
        Math.max(0, gpus - other.gpus));
  }

  /** The minimum per dimension. */
  public Quantities min(Quantities other) {
    return new Quantities(
        Math.min(cpuMillis, other.cpuMillis),
        Math.min(memMb, other.memMb),
        Math.min(diskMb, other.diskMb),
        Math.min(gpus, other.gpus));
  }

  /** True if every dimension of this is at least that of {@code other}. */
  public boolean contains(Quantities other) {
    return cpuMillis >= other.cpuMillis
        && memMb >= other.memMb
        && diskMb >= other.diskMb
        && gpus >= other.gpus;
  }

  /**
   * The dominant share of this allocation in {@code total}: the largest fraction over the
   * dimensions that the total has (Ghodsi et al., DRF, NSDI 2011, §4). Zero if the total is empty.
   */
  public double dominantShare(Quantities total) {
    double share = 0;
    for (int i = 0; i < NAMES.length; i++) {
      long t = total.get(i);
      if (t > 0) {
        share = Math.max(share, (double) get(i) / t);
      }
    }
    return share;
  }

  /** Formats one dimension for humans: {@code cpus 2.5}, {@code mem 512 MB}. */
  public static String format(int dimension, long value) {
    if (value == UNLIMITED) {
      return NAMES[dimension] + " unlimited";
    }
    return switch (dimension) {
      case 0 -> "cpus " + formatCpus(value);
      case 1, 2 -> NAMES[dimension] + " " + value + " MB";
      default -> NAMES[dimension] + " " + value;
    };
  }

  /** Formats thousandths of a cpu as a decimal without trailing zeros: 10000 as 10, 2500 as 2.5. */
  public static String formatCpus(long cpuMillis) {
    if (cpuMillis % 1000 == 0) {
      return Long.toString(cpuMillis / 1000);
    }
    String fraction = String.format("%03d", cpuMillis % 1000).replaceAll("0+$", "");
    return (cpuMillis / 1000) + "." + fraction;
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < NAMES.length; i++) {
      if (get(i) != 0) {
        text.append(text.length() == 0 ? "" : ", ").append(format(i, get(i)));
      }
    }
    return text.length() == 0 ? "nothing" : text.toString();
  }

  private static long add(long a, long b) {
    long sum = a + b;
    return (a == UNLIMITED || b == UNLIMITED || sum < 0) ? UNLIMITED : sum;
  }
}
