package io.cairn.storage.internal;

import io.cairn.env.storage.LogStorageMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Plain-Java write metrics of one log: counters and two fixed-bucket histograms (sync latency in
 * microseconds, writes per synced batch). Recorded by the writer thread, read by anyone through
 * {@link #snapshot()}; lock-free and thread-safe. Buckets are powers of two, so a histogram costs
 * one array increment per observation.
 */
public final class WriteMetrics {
  private static final int LATENCY_BUCKETS = 24; // 1 µs .. 2^23 µs (about 8.4 s)
  private static final int BATCH_BUCKETS = 14; // 1 .. 8192 writes

  private final LongAdder writes = new LongAdder();
  private final LongAdder entries = new LongAdder();
  private final LongAdder bytes = new LongAdder();
  private final LongAdder syncs = new LongAdder();
  private final Buckets syncLatencyMicros = new Buckets(LATENCY_BUCKETS);
  private final Buckets batchWrites = new Buckets(BATCH_BUCKETS);

  /** Records one synced batch of {@code batchWriteCount} writes. */
  public void recordSync(
      long latencyNanos, int batchWriteCount, long entryCount, long payloadBytes) {
    syncs.increment();
    writes.add(batchWriteCount);
    entries.add(entryCount);
    bytes.add(payloadBytes);
    syncLatencyMicros.record(Math.max(0, latencyNanos / 1000));
    batchWrites.record(batchWriteCount);
  }

  /** A consistent-enough copy for {@code /metrics} (each value is read once, atomically). */
  public LogStorageMetrics snapshot() {
    return new LogStorageMetrics(
        writes.sum(),
        entries.sum(),
        bytes.sum(),
        syncs.sum(),
        syncLatencyMicros.snapshot(),
        batchWrites.snapshot());
  }

  /** Power-of-two buckets: bucket i holds values in (2^(i-1), 2^i]; the last one overflows. */
  private static final class Buckets {
    private final AtomicLongArray counts;
    private final LongAdder sum = new LongAdder();

    Buckets(int bounded) {
      counts = new AtomicLongArray(bounded + 1);
    }

    void record(long value) {
      int bucket = value <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(value - 1);
      counts.incrementAndGet(Math.min(bucket, counts.length() - 1));
      sum.add(value);
    }

    LogStorageMetrics.Histogram snapshot() {
      List<Long> bounds = new ArrayList<>();
      List<Long> values = new ArrayList<>();
      for (int i = 0; i < counts.length(); i++) {
        if (i < counts.length() - 1) {
          bounds.add(1L << i);
        }
        values.add(counts.get(i));
      }
      return new LogStorageMetrics.Histogram(bounds, values, sum.sum());
    }
  }
}
