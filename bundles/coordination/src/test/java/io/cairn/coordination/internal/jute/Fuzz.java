package io.cairn.coordination.internal.jute;

import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Seeded fuzz loops for tests: each case gets its own seed, derived from a base seed that changes
 * per run unless {@code -Dfuzz.seed=N} fixes it; a failing case is rethrown naming the property
 * and its seed, so one command replays it.
 */
public final class Fuzz {
  private Fuzz() {}

  /** Runs {@code cases} cases of {@code property}, each with a {@link SplittableRandom}. */
  public static void run(String property, int cases, Consumer<SplittableRandom> body) {
    String fixed = System.getProperty("fuzz.seed");
    long base = fixed != null ? Long.decode(fixed) : System.nanoTime();
    int count = fixed != null ? 1 : cases;
    SplittableRandom seeds = new SplittableRandom(base);
    for (int i = 0; i < count; i++) {
      long seed = fixed != null ? base : seeds.nextLong();
      try {
        body.accept(new SplittableRandom(seed));
      } catch (RuntimeException | AssertionError e) {
        throw new AssertionError(property + " failed; replay with -Dfuzz.seed=" + seed, e);
      }
    }
  }
}
