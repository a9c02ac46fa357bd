package io.cairn.allocator;

import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A bundle of resources of one reservation state: scalar {@link Quantities} plus ports. Immutable;
 * arithmetic is exact.
 */
@ProviderType
public record Resources(Quantities scalars, PortRanges ports) {
  /** Nothing. */
  public static final Resources EMPTY = new Resources(Quantities.ZERO, PortRanges.NONE);

  /** Rejects nulls. */
  public Resources {
    Objects.requireNonNull(scalars, "scalars");
    Objects.requireNonNull(ports, "ports");
  }

  /** Resources from fractional cpus (rounded to thousandths), MB of memory and disk, and ports. */
  public static Resources of(double cpus, long memMb, long diskMb, long gpus, PortRanges ports) {
    return new Resources(Quantities.of(cpus, memMb, diskMb, gpus), ports);
  }

  /** Resources without ports. */
  public static Resources of(double cpus, long memMb) {
    return of(cpus, memMb, 0, 0, PortRanges.NONE);
  }

  /** True if there are no scalars and no ports. */
  public boolean isEmpty() {
    return scalars.isZero() && ports.isEmpty();
  }

  /** The sum. */
  public Resources plus(Resources other) {
    return new Resources(scalars.plus(other.scalars), ports.plus(other.ports));
  }

  /** The difference; fails if {@code other} is not contained in this. */
  public Resources minus(Resources other) {
    Checks.argument(contains(other), "cannot subtract %s from %s", other, this);
    return new Resources(scalars.minus(other.scalars), ports.minus(other.ports));
  }

  /** True if this holds at least {@code other}, ports included. */
  public boolean contains(Resources other) {
    return scalars.contains(other.scalars) && ports.contains(other.ports);
  }

  /** These resources with their scalars replaced. */
  public Resources withScalars(Quantities newScalars) {
    return new Resources(newScalars, ports);
  }

  @Override
  public String toString() {
    return ports.isEmpty() ? scalars.toString() : scalars + ", ports " + ports;
  }
}
