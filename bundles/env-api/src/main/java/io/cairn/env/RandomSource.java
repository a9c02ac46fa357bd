package io.cairn.env;

import java.util.SplittableRandom;

/**
 * A seeded source of randomness. Cores never use {@code Random}, {@code ThreadLocalRandom} or
 * {@code Math.random}; they take a RandomSource so that one seed reproduces a whole simulated run.
 * Not thread-safe: each core owns its own instance (use {@link #split()} to hand one out).
 */
public final class RandomSource {
  private final SplittableRandom random;
  private final long seed;

  private RandomSource(long seed, SplittableRandom random) {
    this.seed = seed;
    this.random = random;
  }

  /** A source that reproduces the same sequence for the same seed. */
  public static RandomSource seeded(long seed) {
    return new RandomSource(seed, new SplittableRandom(seed));
  }

  /** The seed this source (or the root it was split from) started with. */
  public long seed() {
    return seed;
  }

  /** An independent source derived deterministically from this one. */
  public RandomSource split() {
    return new RandomSource(seed, random.split());
  }

  public long nextLong() {
    return random.nextLong();
  }

  /** A uniformly distributed int in {@code [0, bound)}; {@code bound} must be positive. */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive, was " + bound);
    }
    return random.nextInt(bound);
  }

  /** A uniformly distributed long in {@code [origin, bound)}. */
  public long nextLong(long origin, long bound) {
    if (origin >= bound) {
      throw new IllegalArgumentException("empty range [" + origin + ", " + bound + ")");
    }
    return random.nextLong(origin, bound);
  }

  /** True with the given probability in {@code [0, 1]}. */
  public boolean chance(double probability) {
    return random.nextDouble() < probability;
  }
}
