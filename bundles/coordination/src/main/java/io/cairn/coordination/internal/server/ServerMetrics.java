package io.cairn.coordination.internal.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The counters behind {@code srvr}, {@code mntr} and the admin endpoint: packets received and sent
 * (every frame, pings and notifications included, as ZooKeeper counts them) and request latency,
 * from a request's arrival to its reply, in nanoseconds (reported in ms). Thread-safe: packet
 * counts are atomics, the latency aggregate is guarded by this object.
 */
public final class ServerMetrics {
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private long latencyCount;
  private long latencyTotalNanos;
  private long latencyMinNanos = Long.MAX_VALUE;
  private long latencyMaxNanos;

  void received() {
    received.incrementAndGet();
  }

  void sent() {
    sent.incrementAndGet();
  }

  /** Records one answered request that took {@code nanos} from arrival to reply. */
  synchronized void latency(long nanos) {
    long value = Math.max(0, nanos);
    latencyCount++;
    latencyTotalNanos += value;
    latencyMinNanos = Math.min(latencyMinNanos, value);
    latencyMaxNanos = Math.max(latencyMaxNanos, value);
  }

  /** A consistent copy of the counters. */
  public synchronized Snapshot snapshot() {
    return new Snapshot(
        received.get(),
        sent.get(),
        latencyCount,
        latencyCount == 0 ? 0 : latencyMinNanos,
        latencyCount == 0 ? 0 : (double) latencyTotalNanos / latencyCount,
        latencyMaxNanos);
  }

  /**
   * The counters at one moment.
   *
   * @param packetsReceived frames received from clients (connect, requests, pings)
   * @param packetsSent frames sent to clients (replies, notifications)
   * @param requests requests answered (the latency sample count)
   * @param minLatencyNanos fastest answer, 0 before the first
   * @param avgLatencyNanos mean answer time, 0 before the first
   * @param maxLatencyNanos slowest answer, 0 before the first
   */
  public record Snapshot(
      long packetsReceived,
      long packetsSent,
      long requests,
      long minLatencyNanos,
      double avgLatencyNanos,
      long maxLatencyNanos) {
    /** Minimum latency in whole ms, as ZooKeeper prints it. */
    public long minLatencyMs() {
      return minLatencyNanos / 1_000_000;
    }

    /** Average latency in ms with a fraction, as ZooKeeper 3.9 prints it. */
    public double avgLatencyMs() {
      return avgLatencyNanos / 1_000_000.0;
    }

    /** Maximum latency in whole ms. */
    public long maxLatencyMs() {
      return maxLatencyNanos / 1_000_000;
    }
  }
}
