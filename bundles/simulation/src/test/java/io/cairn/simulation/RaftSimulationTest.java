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
 * The seeded swarm: the regression seeds of {@code seeds.txt}, then {@code sim.seeds} (default
 * 1000) fresh ones, each a full safety phase with faults and a liveness phase. A failing seed
 * prints one REPRODUCE line and fails the test; add that seed to {@code seeds.txt}.
 */
class RaftSimulationTest {
  private static final int DEFAULT_SEEDS = 1000;

  @Test
  void everySeedIsSafeAndLive() throws IOException {
    List<Long> seeds = new ArrayList<>();
    if (!SimConfig.singleSeed()) {
      seeds.addAll(regressionSeeds());
    }
    seeds.addAll(SimConfig.seeds(DEFAULT_SEEDS));
    long committed = 0;
    long installs = 0;
    for (long seed : seeds) {
      Simulator sim = runOne(seed);
      committed += sim.committedEntries();
      installs += sim.snapshotsInstalled();
    }
    assertTrue(committed > seeds.size(), "the swarm committed almost nothing: " + committed);
    // Most seeds compact every 3..40 entries; under faults some followers must fall behind the
    // compaction point, so the swarm keeps exercising InstallSnapshot (Raft §7).
    assertTrue(seeds.size() < 100 || installs > seeds.size() / 4,
        "the swarm installed only " + installs + " snapshots in " + seeds.size() + " seeds");
  }

  private static Simulator runOne(long seed) {
    Simulator sim = Simulator.forSeed(seed);
    try {
      sim.run();
    } catch (RuntimeException | AssertionError e) {
      System.out.println(SimConfig.reproduceLine(RaftSimulationTest.class, seed));
      throw new AssertionError("seed 0x" + Long.toHexString(seed) + ": " + e.getMessage(), e);
    }
    return sim;
  }

  private static List<Long> regressionSeeds() throws IOException {
    List<Long> seeds = new ArrayList<>();
    try (InputStream in = RaftSimulationTest.class.getResourceAsStream("/seeds.txt")) {
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
