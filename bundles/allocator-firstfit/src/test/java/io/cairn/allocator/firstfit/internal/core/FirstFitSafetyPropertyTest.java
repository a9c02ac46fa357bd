package io.cairn.allocator.firstfit.internal.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.allocator.AllocatorBooks;
import io.cairn.allocator.AllocatorOptions;
import org.junit.jupiter.api.Test;

/**
 * The safety properties of {@link SafetyHarness} over random operation sequences, with first-fit
 * handing its books to a fresh first-fit on every swap.
 */
class FirstFitSafetyPropertyTest {
  @Test
  void safetyHoldsOverRandomOperations() {
    int[] offers = {0};
    Trials.run("first-fit safety", 150, random -> {
      SafetyHarness harness = new SafetyHarness(random,
          new FirstFitAllocator(AllocatorOptions.DEFAULTS, AllocatorBooks.EMPTY),
          books -> new FirstFitAllocator(AllocatorOptions.DEFAULTS, books));
      harness.run(120);
      offers[0] += harness.offersSeen;
    });
    assertTrue(offers[0] > 1_000, "the trials made too few offers to mean much: " + offers[0]);
  }
}
