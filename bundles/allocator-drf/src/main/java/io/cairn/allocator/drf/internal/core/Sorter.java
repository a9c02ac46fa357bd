package io.cairn.allocator.drf.internal.core;

import io.cairn.allocator.Quantities;
import java.util.ArrayList;
import java.util.List;

/**
 * Orders clients (roles, or the frameworks of one role) for the allocation step, after Mesos
 * {@code src/master/allocator/mesos/sorter/sorter.hpp}: the step walks {@link #order()} for each
 * agent and reports what it offered with {@link #allocated} once it is done with that agent. {@link
 * DrfSorter} is the fair policy; a random or weighted policy can implement the same interface.
 *
 * <p>Called only on the allocator's thread; not thread-safe.
 */
interface Sorter {
  /** Adds a client with what it already holds and how many allocations it has received. */
  void add(String client, Quantities allocation, long allocationCount);

  /** Records that the client received {@code quantities} more (one more allocation). */
  void allocated(String client, Quantities quantities);

  /**
   * The clients, first to be offered first, walked lazily. Valid until the next {@link #add} or
   * {@link #allocated}: callers finish (or abandon) a walk before changing the sorter.
   */
  Iterable<String> order();

  /** The whole order as a list (for tests and explanations). */
  default List<String> sort() {
    List<String> result = new ArrayList<>();
    order().forEach(result::add);
    return result;
  }

  /** The client's weighted dominant share, for explanations and tests. */
  double share(String client);
}
