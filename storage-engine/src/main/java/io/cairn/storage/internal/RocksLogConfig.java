package io.cairn.storage.internal;

import io.cairn.env.Check;

/**
 * Bounds of the group commit in {@link RocksLogStorage} (STYLE.md §5: bound everything).
 *
 * @param queueChangesMax changes (writes and compactions) waiting for the writer thread before
 *     submitters wait (backpressure)
 * @param queueBytesMax payload bytes waiting before submitters wait; one larger change is admitted
 *     alone
 * @param batchChangesMax changes coalesced into one synced RocksDB write
 * @param batchBytesMax payload bytes coalesced into one synced RocksDB write (at least one change)
 */
public record RocksLogConfig(
    int queueChangesMax, long queueBytesMax, int batchChangesMax, long batchBytesMax) {
  /** Defaults sized for Raft on one node: a few thousand small writes in flight, 64 MiB at most. */
  public static final RocksLogConfig DEFAULTS =
      new RocksLogConfig(4096, 64L << 20, 1024, 16L << 20);

  public RocksLogConfig {
    Check.argument(queueChangesMax >= 1, "queueChangesMax must be >= 1, was %s", queueChangesMax);
    Check.argument(queueBytesMax >= 1, "queueBytesMax must be >= 1, was %s", queueBytesMax);
    Check.argument(batchChangesMax >= 1, "batchChangesMax must be >= 1, was %s", batchChangesMax);
    Check.argument(batchBytesMax >= 1, "batchBytesMax must be >= 1, was %s", batchBytesMax);
  }
}
