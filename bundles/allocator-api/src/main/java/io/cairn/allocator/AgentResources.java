package io.cairn.allocator;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Resources on one agent split by reservation: the unreserved part and one part per {@link
 * Reservation}. An agent's total, an allocation and an offer all have this shape. Immutable; empty
 * reservations are dropped, so {@code equals} compares contents.
 */
@ProviderType
public record AgentResources(Resources unreserved, SortedMap<Reservation, Resources> reserved) {
  /** Nothing. */
  public static final AgentResources EMPTY = new AgentResources(Resources.EMPTY, new TreeMap<>());

  /** Copies the map, dropping empty entries, and makes it unmodifiable. */
  public AgentResources {
    Objects.requireNonNull(unreserved, "unreserved");
    TreeMap<Reservation, Resources> copy = new TreeMap<>();
    for (Map.Entry<Reservation, Resources> entry : reserved.entrySet()) {
      if (!entry.getValue().isEmpty()) {
        copy.put(entry.getKey(), entry.getValue());
      }
    }
    reserved = Collections.unmodifiableSortedMap(copy);
  }

  /** Unreserved resources only. */
  public static AgentResources unreserved(Resources resources) {
    return new AgentResources(resources, new TreeMap<>());
  }

  /** Resources reserved for one reservation only. */
  public static AgentResources reserved(Reservation reservation, Resources resources) {
    TreeMap<Reservation, Resources> map = new TreeMap<>();
    map.put(reservation, resources);
    return new AgentResources(Resources.EMPTY, map);
  }

  /** True if there is nothing, reserved or not. */
  public boolean isEmpty() {
    return unreserved.isEmpty() && reserved.isEmpty();
  }

  /** The scalar quantities of all parts together. */
  public Quantities quantities() {
    Quantities sum = unreserved.scalars();
    for (Resources part : reserved.values()) {
      sum = sum.plus(part.scalars());
    }
    return sum;
  }

  /** The scalar quantities of the reserved parts. */
  public Quantities reservedQuantities() {
    Quantities sum = Quantities.ZERO;
    for (Resources part : reserved.values()) {
      sum = sum.plus(part.scalars());
    }
    return sum;
  }

  /** The sum, part by part. */
  public AgentResources plus(AgentResources other) {
    TreeMap<Reservation, Resources> map = new TreeMap<>(reserved);
    other.reserved.forEach((reservation, part) -> map.merge(reservation, part, Resources::plus));
    return new AgentResources(unreserved.plus(other.unreserved), map);
  }

  /** The difference, part by part; fails if {@code other} is not contained in this. */
  public AgentResources minus(AgentResources other) {
    Checks.argument(contains(other), "cannot subtract %s from %s", other, this);
    TreeMap<Reservation, Resources> map = new TreeMap<>(reserved);
    other.reserved.forEach((reservation, part) -> map.computeIfPresent(
        reservation, (key, mine) -> mine.minus(part)));
    return new AgentResources(unreserved.minus(other.unreserved), map);
  }

  /** True if every part of {@code other} is contained in the same part of this. */
  public boolean contains(AgentResources other) {
    if (!unreserved.contains(other.unreserved)) {
      return false;
    }
    for (Map.Entry<Reservation, Resources> entry : other.reserved.entrySet()) {
      Resources mine = reserved.getOrDefault(entry.getKey(), Resources.EMPTY);
      if (!mine.contains(entry.getValue())) {
        return false;
      }
    }
    return true;
  }

  /** The reserved parts that may be offered to a framework of {@code role}. */
  public AgentResources reservedAllocatableTo(String role) {
    TreeMap<Reservation, Resources> map = new TreeMap<>();
    reserved.forEach((reservation, part) -> {
      if (reservation.isAllocatableTo(role)) {
        map.put(reservation, part);
      }
    });
    return new AgentResources(Resources.EMPTY, map);
  }

  /** This with the unreserved part replaced. */
  public AgentResources withUnreserved(Resources newUnreserved) {
    return new AgentResources(newUnreserved, reserved);
  }

  @Override
  public String toString() {
    return reserved.isEmpty() ? unreserved.toString() : unreserved + " " + reserved;
  }
}
