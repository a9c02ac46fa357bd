package io.cairn.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.env.storage.LogStorageMetrics;
import org.junit.jupiter.api.Test;

/** The power-of-two histograms and counters of {@link WriteMetrics}. */
class WriteMetricsTest {
  @Test
  void observationsLandInTheirPowerOfTwoBuckets() {
    WriteMetrics metrics = new WriteMetrics();
    metrics.recordSync(1_000, 1, 1, 256); // 1 µs
    metrics.recordSync(150_000, 16, 16, 4096); // 150 µs -> (128, 256]
    metrics.recordSync(1_000_000_000_000L, 20_000, 20_000, 0); // overflow buckets
    LogStorageMetrics m = metrics.snapshot();
    assertEquals(3, m.syncs());
    assertEquals(20_017, m.writes());
    assertEquals(4352, m.bytes());
    assertEquals(1, m.syncLatencyMicros().counts().get(0));
    assertEquals(1, m.syncLatencyMicros().counts().get(8));
    assertEquals(256L, m.syncLatencyMicros().upperBounds().get(8));
    assertEquals(1, m.syncLatencyMicros().counts().get(m.syncLatencyMicros().counts().size() - 1));
    assertEquals(1, m.batchWrites().counts().get(4), "16 writes -> bucket (8, 16]");
    assertEquals(1, m.batchWrites().counts().get(m.batchWrites().counts().size() - 1));
    assertEquals(3, m.batchWrites().count());
  }
}
