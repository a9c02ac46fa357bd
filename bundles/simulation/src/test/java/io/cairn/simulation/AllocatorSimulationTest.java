package io.cairn.simulation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The allocator swarm: the regression seeds of {@code allocator-seeds.txt}, then {@code sim.seeds}
 * (default 1000) fresh ones, each a safety phase of 4–20 s virtual time around the real DRF
 * allocator (with hot swaps to first-fit and back) and a liveness phase checking quota
 * guarantees. A failing seed prints one REPRODUCE line and fails the test; add that seed to
 * {@code allocator-seeds.txt}.
 */
class AllocatorSimulationTest {
  private static final int DEFAULT_SEEDS = 1000;

  @Test
  void everySeedIsSafeAndMeetsSatisfiableGuarantees() throws IOException {
    List<Long> seeds = new ArrayList<>();
    if (!SimConfig.singleSeed()) {
      seeds.addAll(regressionSeeds());
    }
    seeds.addAll(SimConfig.seeds(DEFAULT_SEEDS));
    long offers = 0;
    long accepts = 0;
    long swaps = 0;
    long guarantees = 0;
    for (long seed : seeds) {
      AllocatorSimulator.Stats stats = runOne(seed);
      offers += stats.offers();
      accepts += stats.accepts();
      swaps += stats.swaps();
      guarantees += stats.guaranteesChecked();
    }
    // The swarm must exercise what it claims to check, not pass by doing nothing.
    assertTrue(offers > seeds.size() * 10L, "the swarm made few offers: " + offers);
    assertTrue(accepts > seeds.size(), "the swarm accepted few offers: " + accepts);
    assertTrue(seeds.size() < 20 || swaps > seeds.size(), "few hot swaps: " + swaps);
    assertTrue(seeds.size() < 20 || guarantees > seeds.size() / 10,
        "few guarantees checked: " + guarantees);
  }

  private static AllocatorSimulator.Stats runOne(long seed) {
    try {
      return AllocatorSimulator.forSeed(seed).run();
    } catch (RuntimeException | AssertionError e) {
      System.out.println(SimConfig.reproduceLine(AllocatorSimulationTest.class, seed));
      throw new AssertionError("seed 0x" + Long.toHexString(seed) + ": " + e.getMessage(), e);
    }
  }

  private static List<Long> regressionSeeds() throws IOException {
    List<Long> seeds = new ArrayList<>();
    try (InputStream in = AllocatorSimulationTest.class
        .getResourceAsStream("/allocator-seeds.txt")) {
      if (in == null) {
        return seeds;
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        String trimmed = line.strip();
        if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
          seeds.add(SimConfig.parseSeed(trimmed.split("\\s+")[0]));
        }
      }
    }
    return seeds;
  }
}
