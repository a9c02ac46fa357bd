package io.cairn.storage.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.env.RandomSource;
import io.cairn.env.storage.HardState;
import io.cairn.env.storage.LogEntry;
import io.cairn.env.storage.LogStorage;
import io.cairn.env.storage.LogWrite;
import io.cairn.storage.sim.SimLogDisk;
import io.cairn.storage.sim.SimLogStorage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rocks against Sim as an oracle: the same seeded sequence of appends, truncations, hard states,
 * compactions and reopens, with several changes in flight before they are awaited, must leave both
 * logs reading the same after every step. Catches mistakes in the Rocks overlay of submitted but
 * unwritten entries.
 */
class RocksSimEquivalenceTest {
  private static final int STEPS = 150;
  private final Path dir = TestDirs.create("equivalence-");
  private final SimLogDisk disk = new SimLogDisk();
  private LogStorage rocks;
  private SimLogStorage sim;
  private final List<CompletableFuture<Long>> inFlight = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    if (rocks != null) {
      rocks.close();
    }
    TestDirs.delete(dir);
  }

  @ParameterizedTest(name = "seed={0}")
  @ValueSource(longs = {1, 2, 3, 0xC0FFEE})
  void rocksReadsLikeSimAfterEveryStep(long seed) throws Exception {
    RandomSource random = RandomSource.seeded(seed);
    rocks = RocksLogStorage.open(dir, RocksLogConfig.DEFAULTS);
    sim = disk.open();
    long term = 1;
    for (int step = 0; step < STEPS; step++) {
      int action = random.nextInt(20);
      if (action < 12) {
        apply(appendWrite(random, term));
      } else if (action < 15 && rocks.lastIndex() >= rocks.firstIndex()) {
        term++;
        long from = random.nextLong(rocks.firstIndex(), rocks.lastIndex() + 1);
        List<LogEntry> entries = entries(from, random.nextInt(4), term);
        apply(new LogWrite(new HardState(term, 1, 0), from, entries));
      } else if (action < 16 && rocks.lastIndex() >= rocks.firstIndex()) {
        long through = random.nextLong(rocks.firstIndex() - 1, rocks.lastIndex() + 1);
        long throughTerm = rocks.term(through);
        awaitAll(
            List.of(
                rocks
                    .compactPrefix(through, throughTerm)
                    .toCompletableFuture()
                    .thenApply(v -> 0L)));
        sim.compactPrefix(through, throughTerm);
      } else if (action < 17) {
        reopenBoth();
      } else {
        awaitAll(inFlight);
      }
      compare("seed " + seed + " step " + step);
    }
  }

  private LogWrite appendWrite(RandomSource random, long term) {
    return LogWrite.append(entries(rocks.lastIndex() + 1, 1 + random.nextInt(5), term));
  }

  private static List<LogEntry> entries(long from, int count, long term) {
    List<LogEntry> out = new ArrayList<>();
    for (long i = from; i < from + count; i++) {
      out.add(new LogEntry(i, term, ("t" + term + "i" + i).getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  private void apply(LogWrite write) {
    inFlight.add(rocks.write(write).toCompletableFuture());
    sim.write(write);
  }

  private void awaitAll(List<CompletableFuture<Long>> futures) throws Exception {
    sim.sync();
    for (CompletableFuture<Long> f : futures) {
      f.get(10, TimeUnit.SECONDS);
    }
    inFlight.clear();
  }

  private void reopenBoth() throws Exception {
    awaitAll(inFlight);
    rocks.close();
    sim.close();
    rocks = RocksLogStorage.open(dir, RocksLogConfig.DEFAULTS);
    sim = disk.open();
  }

  private void compare(String where) {
    assertEquals(sim.firstIndex(), rocks.firstIndex(), where + ": firstIndex");
    assertEquals(sim.lastIndex(), rocks.lastIndex(), where + ": lastIndex");
    assertEquals(sim.term(sim.firstIndex() - 1), rocks.term(rocks.firstIndex() - 1), where);
    List<LogEntry> expected = sim.read(sim.firstIndex(), sim.lastIndex() + 1, Long.MAX_VALUE);
    List<LogEntry> actual = rocks.read(rocks.firstIndex(), rocks.lastIndex() + 1, Long.MAX_VALUE);
    assertEquals(expected.size(), actual.size(), where + ": entries");
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i).index(), actual.get(i).index(), where);
      assertEquals(
          expected.get(i).term(),
          actual.get(i).term(),
          where + " index " + expected.get(i).index());
      assertArrayEquals(expected.get(i).payload(), actual.get(i).payload(), where);
    }
    if (inFlight.isEmpty()) {
      assertEquals(sim.hardState(), rocks.hardState(), where + ": hard state");
    }
  }
}
