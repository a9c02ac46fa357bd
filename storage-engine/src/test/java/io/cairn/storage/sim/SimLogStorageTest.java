package io.cairn.storage.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.env.RandomSource;
import io.cairn.env.storage.HardState;
import io.cairn.env.storage.LogEntry;
import io.cairn.env.storage.LogWrite;
import io.cairn.env.storage.SnapshotStore.SnapshotWriter;
import io.cairn.env.storage.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The simulated log's fault model (storage-engine/README.md), one rule per test. */
class SimLogStorageTest {
  private final SimLogDisk disk = new SimLogDisk();

  private static LogWrite append(long index, long term) {
    return LogWrite.append(List.of(new LogEntry(index, term, new byte[] {(byte) index})));
  }

  @Test
  void nothingCompletesUntilTheSimulatorSyncs() {
    SimLogStorage log = disk.open();
    CompletableFuture<Long> stage = log.write(append(1, 1)).toCompletableFuture();
    assertFalse(stage.isDone());
    assertEquals(1, log.pendingCount());
    assertEquals(1, log.sync());
    assertEquals(1L, stage.join());
    assertEquals(0, log.pendingCount());
  }

  @Test
  void partialSyncCompletesOnlyTheOldestChanges() {
    SimLogStorage log = disk.open();
    List<CompletableFuture<Long>> stages = new ArrayList<>();
    for (long i = 1; i <= 3; i++) {
      stages.add(log.write(append(i, 1)).toCompletableFuture());
    }
    assertEquals(2, log.sync(2));
    assertTrue(stages.get(1).isDone());
    assertFalse(stages.get(2).isDone());
    assertEquals(2, disk.durableLastIndex());
  }

  @Test
  void aCrashLosesEveryUnsyncedWriteByDefault() {
    SimLogStorage log = disk.open();
    log.write(append(1, 1));
    log.sync();
    log.write(append(2, 1));
    log.write(LogWrite.hardState(new HardState(2, 1, 0)));
    log.crash(SimCrash.LOSE_UNSYNCED);
    assertThrows(IllegalStateException.class, log::lastIndex);
    SimLogStorage recovered = disk.open();
    assertEquals(1, recovered.lastIndex());
    assertEquals(HardState.INITIAL, recovered.hardState());
  }

  @ParameterizedTest(name = "kept={0} torn={1} -> last={2}")
  @CsvSource({"0,false,1", "1,false,2", "2,false,3", "1,true,1", "2,true,2", "9,false,4"})
  void aCrashKeepsAPrefixOfUnsyncedWritesAndRecoveryDropsATornOne(
      int kept, boolean torn, long expectedLast) {
    SimLogStorage log = disk.open();
    log.write(append(1, 1));
    log.sync();
    for (long i = 2; i <= 4; i++) {
      log.write(append(i, 1));
    }
    log.crash(new SimCrash(kept, torn));
    SimLogStorage recovered = disk.open();
    assertEquals(expectedLast, recovered.lastIndex());
    assertEquals(torn ? 1 : 0, disk.tornWritesDiscarded());
  }

  @Test
  void aTruncatedCorruptEntryIsNoLongerCorrupt() {
    SimLogStorage log = disk.open();
    log.write(
        LogWrite.append(List.of(new LogEntry(1, 1, new byte[1]), new LogEntry(2, 1, new byte[1]))));
    log.sync();
    disk.corruptEntry(2);
    log.write(new LogWrite(null, 2, List.of(new LogEntry(2, 2, new byte[2]))));
    assertEquals(2, log.term(2));
    log.sync();
    log.crash(SimCrash.LOSE_UNSYNCED);
    assertEquals(2, disk.open().term(2));
  }

  @Test
  void theSameSeedGivesTheSameCrashes() {
    assertEquals(crashes(42), crashes(42));
  }

  private static List<SimCrash> crashes(long seed) {
    RandomSource random = RandomSource.seeded(seed);
    List<SimCrash> out = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      out.add(SimCrash.random(random, i % 5));
    }
    return out;
  }

  @Test
  void aFailedSyncFailsEveryPendingChangeAndKeepsNothing() {
    SimLogStorage log = disk.open();
    log.write(append(1, 1));
    log.sync();
    CompletableFuture<Long> a = log.write(append(2, 1)).toCompletableFuture();
    CompletableFuture<Long> b = log.write(append(3, 1)).toCompletableFuture();
    log.failNextSync(false);
    assertEquals(0, log.sync());
    assertTrue(a.isCompletedExceptionally() && b.isCompletedExceptionally());
    assertThrows(StorageException.class, log::lastIndex);
    log.close();
    assertEquals(1, disk.open().lastIndex());
  }

  @Test
  void aCrashLosesSnapshotsStillBeingWrittenButKeepsThePublishedOne() {
    SimSnapshotDisk snapshots = new SimSnapshotDisk();
    SimSnapshotStore store = snapshots.open();
    store.begin(5, 1).publish();
    SnapshotWriter writer = store.begin(9, 2);
    writer.write(new byte[10]);
    store.crash();
    assertThrows(IllegalStateException.class, () -> writer.write(new byte[1]));
    SimSnapshotStore recovered = snapshots.open();
    assertEquals(5, recovered.latest().orElseThrow().lastIndex());
  }
}
