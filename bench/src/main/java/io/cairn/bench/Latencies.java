package io.cairn.bench;

import java.util.Arrays;

/**
 * Latency samples in nanoseconds, recorded by one thread; merged after the run for percentiles. Not
 * thread-safe: one instance per recording thread.
 */
final class Latencies {
  private long[] samples = new long[1 << 14];
  private int size;

  void record(long nanos) {
    if (size == samples.length) {
      samples = Arrays.copyOf(samples, size * 2);
    }
    samples[size++] = nanos;
  }

  int count() {
    return size;
  }

  /** All samples of {@code parts}, sorted. */
  static Latencies merge(Iterable<Latencies> parts) {
    Latencies all = new Latencies();
    for (Latencies part : parts) {
      for (int i = 0; i < part.size; i++) {
        all.record(part.samples[i]);
      }
    }
    Arrays.sort(all.samples, 0, all.size);
    return all;
  }

  /** The {@code q}-quantile (0..1) in microseconds; samples must be sorted (see merge). */
  double quantileMicros(double q) {
    if (size == 0) {
      return Double.NaN;
    }
    int index = (int) Math.min(size - 1, Math.max(0, Math.ceil(q * size) - 1));
    return samples[index] / 1000.0;
  }
}
