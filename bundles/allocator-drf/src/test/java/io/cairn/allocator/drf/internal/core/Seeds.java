package io.cairn.allocator.drf.internal.core;

import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Seeded property loops without a property-testing library: each trial gets its own seed, derived
 * from a base seed, and a failure rethrows with the seed in its message so that the trial can be
 * replayed exactly: {@code ALLOCATOR_SEED=0x... mvn test}. {@code ALLOCATOR_TRIALS_FACTOR=N}
 * multiplies the number of trials (and changes the seeds) for a longer swarm.
 */
final class Seeds {
  private Seeds() {}

  static void forEach(String property, int trials, Consumer<SplittableRandom> trial) {
    String fixed = System.getenv("ALLOCATOR_SEED");
    if (fixed != null) {
      run(property, Long.parseUnsignedLong(fixed.replaceFirst("^0x", ""), 16), trial);
      return;
    }
    String factor = System.getenv("ALLOCATOR_TRIALS_FACTOR");
    long count = trials * (factor == null ? 1L : Long.parseLong(factor));
    SplittableRandom seeds = new SplittableRandom(property.hashCode() + count);
    for (long i = 0; i < count; i++) {
      run(property, seeds.nextLong(), trial);
    }
  }

  private static void run(String property, long seed, Consumer<SplittableRandom> trial) {
    try {
      trial.accept(new SplittableRandom(seed));
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(property + " failed; reproduce with ALLOCATOR_SEED=0x"
          + Long.toHexString(seed) + ": " + e.getMessage(), e);
    }
  }
}
