package io.cairn.simulation;

import java.util.ArrayList;
import java.util.List;

/**
 * The only place the simulation reads system properties (STYLE.md §2 tidy rule):
 *
 * <ul>
 *   <li>{@code sim.seed=0x…}: run exactly this seed (what a REPRODUCE line sets);
 *   <li>{@code sim.seeds=N}: how many fresh seeds to run (default 1000);
 *   <li>{@code sim.base=0x…|random}: where fresh seeds start (default fixed, so CI is repeatable;
 *       {@code random} for a swarm).
 * </ul>
 */
public final class SimConfig {
  private static final long DEFAULT_BASE = 0xCA1B5EEDL;

  private SimConfig() {}

  /** The seeds to run: one explicit seed, or {@code count} seeds derived from the base. */
  public static List<Long> seeds(int defaultCount) {
    String single = System.getProperty("sim.seed");
    if (single != null && !single.isBlank()) {
      return List.of(parseSeed(single));
    }
    int count = Integer.getInteger("sim.seeds", defaultCount);
    long base = base();
    List<Long> seeds = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      seeds.add(mix(base + i));
    }
    return seeds;
  }

  /** True when one explicit seed was asked for. */
  public static boolean singleSeed() {
    String single = System.getProperty("sim.seed");
    return single != null && !single.isBlank();
  }

  private static long base() {
    String base = System.getProperty("sim.base");
    if (base == null || base.isBlank()) {
      return DEFAULT_BASE;
    }
    if (base.equals("random")) {
      return System.nanoTime();
    }
    return parseSeed(base);
  }

  /** Parses {@code 0x…} hex or decimal. */
  public static long parseSeed(String text) {
    String trimmed = text.trim();
    if (trimmed.startsWith("0x") || trimmed.startsWith("0X")) {
      return Long.parseUnsignedLong(trimmed.substring(2), 16);
    }
    return Long.parseLong(trimmed);
  }

  /** The one line a failure prints. */
  public static String reproduceLine(Class<?> testClass, long seed) {
    return "REPRODUCE: mvn -pl bundles/simulation test -Dtest=" + testClass.getSimpleName()
        + " -Dsim.seed=0x" + Long.toHexString(seed);
  }

  /** SplitMix64 finaliser: neighbouring bases give unrelated seeds. */
  private static long mix(long value) {
    long z = value + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
