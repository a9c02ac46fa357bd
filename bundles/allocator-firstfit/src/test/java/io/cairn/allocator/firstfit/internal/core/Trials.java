package io.cairn.allocator.firstfit.internal.core;

import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Seeded property loops: trial {@code i} of a property runs with a seed derived from the
 * property's name, and a failure is rethrown with that seed, so that {@code
 * FIRSTFIT_SEED=0x... mvn test} replays exactly the failing trial.
 */
final class Trials {
  private Trials() {}

  static void run(String property, int trials, Consumer<SplittableRandom> trial) {
    String fixed = System.getenv("FIRSTFIT_SEED");
    if (fixed != null) {
      once(property, Long.parseUnsignedLong(fixed.replaceFirst("^0x", ""), 16), trial);
      return;
    }
    SplittableRandom seeds = new SplittableRandom(property.hashCode());
    for (int i = 0; i < trials; i++) {
      once(property, seeds.nextLong(), trial);
    }
  }

  private static void once(String property, long seed, Consumer<SplittableRandom> trial) {
    try {
      trial.accept(new SplittableRandom(seed));
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(property + " failed; reproduce with FIRSTFIT_SEED=0x"
          + Long.toHexString(seed) + ": " + e.getMessage(), e);
    }
  }
}
