package io.cairn.env.storage;

import java.util.List;

/**
 * A point-in-time copy of one log's write metrics. Counters only grow while the log is open; rates
 * (appends/s, bytes/s) are the difference of two copies divided by the time between them, which is
 * what a {@code /metrics} scraper does.
 *
 * @param writes {@link LogWrite}s made durable
 * @param entries entries appended and made durable
 * @param bytes payload bytes of those entries
 * @param syncs synced writes to the device (one per group commit)
 * @param syncLatencyMicros duration of each synced write, in microseconds
 * @param batchWrites number of {@link LogWrite}s coalesced into each synced write
 */
public record LogStorageMetrics(
    long writes,
    long entries,
    long bytes,
    long syncs,
    Histogram syncLatencyMicros,
    Histogram batchWrites) {

  /**
   * A histogram with fixed buckets: {@code counts.get(i)} observations were at most {@code
   * upperBounds.get(i)} and above the previous bound; the last count is everything above the last
   * bound (so {@code counts} has one more element than {@code upperBounds}).
   *
   * @param upperBounds inclusive upper bound of each bucket, ascending
   * @param counts observations per bucket, plus the overflow bucket
   * @param sum sum of all observations
   */
  public record Histogram(List<Long> upperBounds, List<Long> counts, long sum) {
    public Histogram {
      upperBounds = List.copyOf(upperBounds);
      counts = List.copyOf(counts);
      if (counts.size() != upperBounds.size() + 1) {
        throw new IllegalArgumentException(
            "a histogram needs one count per bound plus overflow: bounds="
                + upperBounds.size()
                + " counts="
                + counts.size());
      }
    }

    /** Number of observations. */
    public long count() {
      return counts.stream().mapToLong(Long::longValue).sum();
    }
  }
}
