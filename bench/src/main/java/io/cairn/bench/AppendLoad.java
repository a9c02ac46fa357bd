package io.cairn.bench;

import io.cairn.env.storage.LogEntry;
import io.cairn.env.storage.LogStorageMetrics;
import io.cairn.env.storage.LogWrite;
import io.cairn.storage.internal.RocksLogConfig;
import io.cairn.storage.internal.RocksLogStorage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop load on {@link RocksLogStorage}: each of {@code appenders} threads keeps exactly one
 * append of one {@code payloadBytes} entry outstanding and waits until it is durable before the
 * next. Appends are submitted under one lock so indexes stay contiguous (what a Raft leader's event
 * loop does). Measures durable appends/s, append-to-durable latency and syncs/s.
 */
final class AppendLoad {
  private final Path dir;
  private final int appenders;
  private final int payloadBytes;
  private final Object submitLock = new Object();
  private final AtomicLong measured = new AtomicLong();
  private volatile boolean measuring;
  private volatile boolean stopping;

  AppendLoad(Path dir, int appenders, int payloadBytes) {
    this.dir = dir;
    this.appenders = appenders;
    this.payloadBytes = payloadBytes;
  }

  Measurement run(Window window) throws InterruptedException {
    try (RocksLogStorage log = RocksLogStorage.open(dir, RocksLogConfig.DEFAULTS)) {
      List<Latencies> latencies = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < appenders; i++) {
        Latencies mine = new Latencies();
        latencies.add(mine);
        threads.add(new Thread(() -> appendUntilStopped(log, mine), "appender-" + i));
      }
      threads.forEach(Thread::start);
      Thread.sleep(window.warmupNanos() / 1_000_000);
      LogStorageMetrics before = log.metrics();
      long start = System.nanoTime();
      measuring = true;
      Thread.sleep(window.measureNanos() / 1_000_000);
      measuring = false;
      double seconds = (System.nanoTime() - start) / 1e9;
      LogStorageMetrics after = log.metrics();
      stopping = true;
      for (Thread thread : threads) {
        thread.join();
      }
      double syncsPerSecond = (after.syncs() - before.syncs()) / seconds;
      double syncMicros =
          (double) (after.syncLatencyMicros().sum() - before.syncLatencyMicros().sum())
              / Math.max(1, after.syncs() - before.syncs());
      return new Measurement(
          measured.get() / seconds, Latencies.merge(latencies), syncsPerSecond, syncMicros);
    }
  }

  private void appendUntilStopped(RocksLogStorage log, Latencies latencies) {
    byte[] payload = new byte[payloadBytes];
    while (!stopping) {
      long start = System.nanoTime();
      CompletableFuture<Long> durable;
      synchronized (submitLock) {
        long index = log.lastIndex() + 1;
        durable =
            log.write(LogWrite.append(List.of(new LogEntry(index, 1, payload))))
                .toCompletableFuture();
      }
      durable.join();
      if (measuring) {
        latencies.record(System.nanoTime() - start);
        measured.incrementAndGet();
      }
    }
  }
}
