package io.cairn.allocator;

/**
 * How a reservation was made: {@code STATIC} by the agent's configuration ({@code
 * cpus(ads):8}), {@code DYNAMIC} by a RESERVE operation or the operator API, undone by UNRESERVE.
 */
public enum ReservationKind {
  STATIC,
  DYNAMIC
}
