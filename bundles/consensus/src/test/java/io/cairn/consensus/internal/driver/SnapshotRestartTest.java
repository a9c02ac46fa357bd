package io.cairn.consensus.internal.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.consensus.internal.core.RaftConfig;
import io.cairn.consensus.spi.StateMachine;
import io.cairn.env.RandomSource;
import io.cairn.env.Transport;
import io.cairn.env.storage.LogStorage;
import io.cairn.env.storage.SnapshotStore;
import io.cairn.storage.internal.RocksLogConfig;
import io.cairn.storage.internal.RocksLogStorage;
import io.cairn.storage.internal.RocksSnapshotStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A group of one on a real RocksDB log and snapshot store: snapshots are taken every few entries
 * and the log is compacted behind them; a restart restores the machines from the latest snapshot
 * and replays the log after it; a machine registering late gets its namespace's section, then the
 * rest of the log; a namespace with entries but no machine defers snapshots.
 */
class SnapshotRestartTest {
  private static final SnapshotSettings EVERY_20 =
      new SnapshotSettings(20, 1L << 30, 5, 1024, 3, 60, false);

  /** A transport for a group of one: there is nobody to talk to. */
  private static final Transport ALONE = new Transport() {
    @Override
    public void send(int to, byte[] payload) {
      throw new AssertionError("a group of one sent a message to " + to);
    }

    @Override
    public void setReceiver(Receiver receiver) {}
  };

  @TempDir Path dir;
  private LogStorage log;
  private SnapshotStore snapshots;
  private RaftDriver driver;

  @AfterEach
  void stop() {
    close();
  }

  private void open(Map<String, StateMachine> machines) {
    open(machines, EVERY_20);
  }

  private void open(Map<String, StateMachine> machines, SnapshotSettings settings) {
    log = RocksLogStorage.open(dir.resolve("log"), RocksLogConfig.DEFAULTS);
    snapshots = RocksSnapshotStore.open(dir.resolve("snapshots"));
    driver = RaftDriver.start(new RaftDriver.Setup(
        RaftConfig.defaults(1, Set.of(1)), RandomSource.seeded(5), log, snapshots, ALONE, machines,
        Duration.ofMillis(5), ForwardingLimits.defaults(), settings));
  }

  private void close() {
    if (driver != null) {
      driver.close();
      snapshots.close();
      log.close();
      driver = null;
    }
  }

  @Test
  void aRestartRestoresTheLatestSnapshotThenReplaysTheLogAfterIt() throws Exception {
    SnapshotKvMachine before = new SnapshotKvMachine("kv");
    open(Map.of("kv", before));
    await("leading", () -> driver.status().leadership().local());
    write("kv", 0, 55);
    long snapshotIndex = driver.status().snapshotIndex();
    assertTrue(snapshotIndex >= 40, "snapshots were taken, latest at " + snapshotIndex);
    assertTrue(log.firstIndex() > 1, "the log was compacted, first index " + log.firstIndex());
    assertTrue(log.firstIndex() <= snapshotIndex - EVERY_20.trailingEntries() + 1,
        "a trailing margin stays behind the snapshot");
    close();

    SnapshotKvMachine after = new SnapshotKvMachine("kv");
    open(Map.of("kv", after));
    assertEquals(java.util.List.of(snapshotIndex), after.restoredAt());
    await("replayed", () -> after.values().size() == 55);
    assertEquals(before.values(), after.values());
  }

  @Test
  void aLateMachineGetsItsSectionThenTheRest() throws Exception {
    open(Map.of("kv", new SnapshotKvMachine("kv"), "other", new SnapshotKvMachine("other")));
    await("leading", () -> driver.status().leadership().local());
    write("kv", 0, 30);
    write("other", 0, 30);
    close();

    open(Map.of("kv", new SnapshotKvMachine("kv")));
    await("leading", () -> driver.status().leadership().local());
    SnapshotKvMachine late = new SnapshotKvMachine("other");
    driver.addStateMachine(late);
    await("the late machine caught up", () -> late.values().size() == 30);
    assertEquals(1, late.restoredAt().size(), "restored once from the snapshot, then replayed");
  }

  @Test
  void aNamespaceWithoutAMachineDefersSnapshotsUntilOneRegisters() throws Exception {
    SnapshotKvMachine kv = new SnapshotKvMachine("kv");
    open(Map.of("kv", kv, "other", new SnapshotKvMachine("other")));
    await("leading", () -> driver.status().leadership().local());
    write("other", 0, 3);
    close();

    open(Map.of("kv", new SnapshotKvMachine("kv")));
    await("leading", () -> driver.status().leadership().local());
    write("kv", 0, 60);
    assertEquals(0, driver.status().snapshotIndex(), "'other' has entries but no machine");
    assertEquals(1, log.firstIndex(), "nothing was compacted");

    SnapshotKvMachine other = new SnapshotKvMachine("other");
    driver.addStateMachine(other);
    await("the late machine replayed", () -> other.values().size() == 3);
    write("kv", 60, 90);
    assertTrue(driver.status().snapshotIndex() > 0, "snapshots resumed");
  }

  @Test
  void spreadSnapshotsComeAfterBetweenHalfAndAllOfTheEntriesDrawnAgainEachTime() throws Exception {
    SnapshotSettings spread = new SnapshotSettings(20, 1L << 30, 5, 1024, 3, 60, true);
    open(Map.of("kv", new SnapshotKvMachine("kv")), spread);
    await("leading", () -> driver.status().leadership().local());
    java.util.TreeSet<Long> taken = new java.util.TreeSet<>();
    for (int key = 0; key < 200; key++) {
      write("kv", key, key + 1);
      taken.add(driver.status().snapshotIndex());
    }
    taken.remove(0L);
    Set<Long> gaps = new java.util.TreeSet<>();
    long previous = taken.first();
    for (long index : taken.tailSet(previous, false)) {
      gaps.add(index - previous);
      previous = index;
    }
    assertTrue(taken.size() >= 200 / 20, "snapshots at " + taken);
    assertTrue(gaps.stream().allMatch(gap -> gap >= 10 && gap <= 20), "gaps " + gaps);
    assertTrue(gaps.size() > 1, "the limit is drawn again after each snapshot: gaps " + gaps);
  }

  @Test
  void aLargeSnapshotIsStoredOffTheLoopThenCompactsAndSurvivesARestart() throws Exception {
    SnapshotKvMachine before = new SnapshotKvMachine("kv");
    open(Map.of("kv", before));
    await("leading", () -> driver.status().leadership().local());
    String big = "x".repeat(60_000);
    for (int key = 0; key < 45; key++) {
      driver.propose("kv", ("k" + key + "=" + big + key).getBytes(StandardCharsets.UTF_8))
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    // 20 entries of 60 KB: over SnapshotKeeper.BACKGROUND_BYTES, so stored by the keeper's thread.
    // (Only the first is awaited: while it is being stored no other starts, and if storing outlasts
    // the last write, the next snapshot waits for the next applied entry.)
    await("a snapshot stored in the background and the log compacted behind it",
        () -> driver.status().snapshotIndex() >= 20 && log.firstIndex() > 1);
    assertTrue(snapshots.latest().orElseThrow().sizeBytes() >= SnapshotKeeper.BACKGROUND_BYTES,
        "the snapshot is large enough to be stored off the loop");
    close(); // Waits for a snapshot still being stored (the one through 40, if it started).

    SnapshotKvMachine after = new SnapshotKvMachine("kv");
    open(Map.of("kv", after));
    assertEquals(1, after.restoredAt().size(), "restored once, from the latest snapshot");
    assertTrue(after.restoredAt().get(0) >= 20, "from a snapshot at " + after.restoredAt());
    await("replayed", () -> after.values().size() == 45);
    assertEquals(before.values(), after.values());
  }

  /** A machine whose snapshot (or restore) fails while {@code failing} is set. */
  private static final class FailingMachine implements StateMachine {
    private final SnapshotKvMachine inner = new SnapshotKvMachine("kv");
    volatile boolean failing = true;

    @Override
    public String namespace() {
      return "kv";
    }

    @Override
    public byte[] apply(long index, byte[] command) {
      return inner.apply(index, command);
    }

    @Override
    public void snapshot(java.io.OutputStream out) throws java.io.IOException {
      if (failing) {
        throw new java.io.IOException("injected snapshot failure");
      }
      inner.snapshot(out);
    }

    @Override
    public void restore(long lastIndex, java.io.InputStream in) throws java.io.IOException {
      if (failing) {
        throw new java.io.IOException("injected restore failure");
      }
      inner.restore(lastIndex, in);
    }
  }

  @Test
  void aFailedMachineSnapshotIsDiscardedAndRetriedLater() throws Exception {
    FailingMachine machine = new FailingMachine();
    open(Map.of("kv", machine));
    await("leading", () -> driver.status().leadership().local());
    write("kv", 0, 30);
    assertEquals(0, driver.status().snapshotIndex(), "the failed snapshot was discarded");
    assertTrue(snapshots.latest().isEmpty(), "nothing was published");
    assertEquals(1, log.firstIndex(), "nothing was compacted");

    machine.failing = false;
    write("kv", 30, 60);
    assertTrue(driver.status().snapshotIndex() > 30, "the next attempt succeeded");
  }

  @Test
  void aLateMachineThatCannotRestoreIsNotAddedAndTheGroupGoesOn() throws Exception {
    open(Map.of("kv", new SnapshotKvMachine("kv")));
    await("leading", () -> driver.status().leadership().local());
    write("kv", 0, 30);
    close();

    open(Map.of());
    await("leading", () -> driver.status().leadership().local());
    driver.addStateMachine(new FailingMachine());
    java.util.concurrent.ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(
        java.util.concurrent.ExecutionException.class,
        () -> driver.propose("kv", "a=b".getBytes(StandardCharsets.UTF_8))
            .toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertTrue(refused.getCause().getMessage().contains("no state machine registered"),
        refused.getCause().getMessage());
    driver.addStateMachine(new SnapshotKvMachine("kv"));
    write("kv", 30, 31);
  }

  private void write(String namespace, int from, int to) throws Exception {
    for (int key = from; key < to; key++) {
      driver.propose(namespace, ("k" + key + "=v" + key).getBytes(StandardCharsets.UTF_8))
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** Polls {@code condition} until it holds, failing after 20 s; never a fixed sleep. */
  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after 20 s waiting until " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }
  }
}
