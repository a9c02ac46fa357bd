package io.cairn.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.env.storage.CorruptionException;
import io.cairn.env.storage.LogEntry;
import io.cairn.env.storage.LogStorageMetrics;
import io.cairn.env.storage.LogWrite;
import io.cairn.env.storage.StorageException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/** RocksDB-specific behaviour beyond the contract: group commit, metrics, recovery checks. */
class RocksLogStorageTest {
  private static final int THREADS = 8;
  private static final int WRITES_PER_THREAD = 100;
  private final Path dir = TestDirs.create("rocks-log-");

  @AfterEach
  void deleteDir() {
    TestDirs.delete(dir);
  }

  @Test
  void concurrentAppendersAllCompleteInSubmissionOrderAndMetricsAddUp() throws Exception {
    // Completion order is checked where it is decided: when index i completes, every earlier
    // index must already be complete. (Recording the order from callbacks attached after write()
    // returns would race: an already-complete future runs its callback late, on the caller.)
    Map<Long, CompletableFuture<Long>> byIndex = new ConcurrentHashMap<>();
    List<String> outOfOrder = Collections.synchronizedList(new ArrayList<>());
    try (RocksLogStorage log = RocksLogStorage.open(dir, RocksLogConfig.DEFAULTS)) {
      Object submit = new Object();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        threads.add(new Thread(() -> appendMany(log, submit, byIndex, outOfOrder)));
      }
      threads.forEach(Thread::start);
      for (Thread thread : threads) {
        thread.join(TimeUnit.SECONDS.toMillis(20));
        assertTrue(!thread.isAlive(), "appender did not finish before the deadline");
      }
      int total = THREADS * WRITES_PER_THREAD;
      assertEquals(total, log.lastIndex());
      assertEquals(total, byIndex.size());
      assertEquals(List.of(), outOfOrder, "completions out of submission order");
      LogStorageMetrics metrics = log.metrics();
      assertEquals(total, metrics.writes());
      assertEquals(total, metrics.entries());
      assertEquals(total * 8L, metrics.bytes());
      assertEquals(metrics.syncs(), metrics.syncLatencyMicros().count());
      assertEquals(metrics.syncs(), metrics.batchWrites().count());
      assertEquals(total, metrics.batchWrites().sum(), "every write counted in one batch");
      assertTrue(metrics.syncs() <= total);
    }
  }

  private static void appendMany(RocksLogStorage log, Object submit,
      Map<Long, CompletableFuture<Long>> byIndex, List<String> outOfOrder) {
    List<CompletableFuture<Long>> mine = new ArrayList<>();
    for (int i = 0; i < WRITES_PER_THREAD; i++) {
      synchronized (submit) {
        long index = log.lastIndex() + 1;
        CompletableFuture<Long> f =
            log.write(LogWrite.append(List.of(new LogEntry(index, 1, new byte[8]))))
                .toCompletableFuture();
        byIndex.put(index, f);
        f.thenAccept(done -> {
          for (long earlier = 1; earlier < done; earlier++) {
            if (!byIndex.get(earlier).isDone()) {
              outOfOrder.add(done + " completed before " + earlier);
              return;
            }
          }
        });
        mine.add(f);
      }
      if (i % 10 == 9) {
        mine.forEach(CompletableFuture::join);
      }
    }
    mine.forEach(CompletableFuture::join);
  }

  @Test
  void openingALogWhoseLastEntryIsCorruptFailsNamingTheIndex() throws Exception {
    try (RocksLogStorage log = RocksLogStorage.open(dir, RocksLogConfig.DEFAULTS)) {
      List<LogEntry> entries = new ArrayList<>();
      for (long i = 1; i <= 5; i++) {
        entries.add(new LogEntry(i, 1, new byte[] {1, 2, 3}));
      }
      log.write(LogWrite.append(entries)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    try (Options options = new Options();
        RocksDB db = RocksDB.open(options, dir.toString())) {
      db.put(EntryCodec.entryKey(5), new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 9});
    }
    CorruptionException e =
        assertThrows(
            CorruptionException.class, () -> RocksLogStorage.open(dir, RocksLogConfig.DEFAULTS));
    assertEquals(5, e.index());
  }

  @Test
  void aClosedLogRejectsCallsAndCloseIsIdempotent() {
    RocksLogStorage log = RocksLogStorage.open(dir, RocksLogConfig.DEFAULTS);
    log.close();
    log.close();
    assertThrows(IllegalStateException.class, log::lastIndex);
    assertThrows(
        IllegalStateException.class,
        () -> log.write(LogWrite.append(List.of(new LogEntry(1, 1, new byte[0])))));
  }

  @Test
  void closeMakesQueuedWritesDurableFirst() throws Exception {
    List<CompletableFuture<Long>> stages = new ArrayList<>();
    try (RocksLogStorage log = RocksLogStorage.open(dir, RocksLogConfig.DEFAULTS)) {
      for (long i = 1; i <= 200; i++) {
        stages.add(
            log.write(LogWrite.append(List.of(new LogEntry(i, 1, new byte[16]))))
                .toCompletableFuture());
      }
    }
    for (CompletableFuture<Long> stage : stages) {
      assertTrue(stage.isDone() && !stage.isCompletedExceptionally());
    }
    try (RocksLogStorage log = RocksLogStorage.open(dir, RocksLogConfig.DEFAULTS)) {
      assertEquals(200, log.lastIndex());
    }
  }

  @Test
  void aFailedSyncFailsTheWholeBatchAndEverythingQueuedBehindIt() throws Exception {
    List<CompletableFuture<Long>> stages = new ArrayList<>();
    try (RocksLogStorage log = RocksLogStorage.open(dir, RocksLogConfig.DEFAULTS)) {
      log.injectNextWriteFailure(new RocksDBException("injected EIO"));
      for (long i = 1; i <= 50; i++) {
        try {
          stages.add(
              log.write(LogWrite.append(List.of(new LogEntry(i, 1, new byte[4]))))
                  .toCompletableFuture());
        } catch (StorageException e) {
          break; // the log already failed: submitting is refused from now on
        }
      }
      for (CompletableFuture<Long> stage : stages) {
        assertThrows(Exception.class, () -> stage.get(10, TimeUnit.SECONDS));
      }
      assertThrows(StorageException.class, log::lastIndex);
    }
    try (RocksLogStorage log = RocksLogStorage.open(dir, RocksLogConfig.DEFAULTS)) {
      assertEquals(0, log.lastIndex(), "nothing of a failed batch is kept");
    }
  }

  @Test
  void aTinyQueueMakesSubmittersWaitButEveryWriteCompletes() throws Exception {
    RocksLogConfig tiny = new RocksLogConfig(1, 1, 1, 1);
    Map<Long, CompletableFuture<Long>> byIndex = new ConcurrentHashMap<>();
    List<String> outOfOrder = Collections.synchronizedList(new ArrayList<>());
    try (RocksLogStorage log = RocksLogStorage.open(dir, tiny)) {
      Object submit = new Object();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        threads.add(new Thread(() -> appendMany(log, submit, byIndex, outOfOrder)));
      }
      threads.forEach(Thread::start);
      for (Thread thread : threads) {
        thread.join(TimeUnit.SECONDS.toMillis(20));
        assertTrue(!thread.isAlive(), "appender did not finish before the deadline");
      }
      assertEquals(4L * WRITES_PER_THREAD, log.lastIndex());
      assertEquals(List.of(), outOfOrder, "completions out of submission order");
      assertEquals(
          log.metrics().syncs(), log.metrics().writes(), "batches of one under this bound");
    }
  }
}
