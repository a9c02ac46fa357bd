package io.cairn.storage.internal;

import io.cairn.env.storage.LogWrite;
import java.util.concurrent.CompletableFuture;

/**
 * A change submitted to {@link RocksLogStorage} and waiting for the writer thread: a {@link
 * LogWrite}, or a prefix compaction when {@code write} is null. {@code sequence} is the submission
 * order; completions fire in it.
 *
 * @param sequence submission number, from 1, strictly increasing
 * @param write the write, or null for a compaction
 * @param compactThrough last index to drop (compaction only)
 * @param compactTerm term of that index (compaction only)
 * @param newLastIndex the last index once this change is applied (what the write completes with)
 * @param payloadBytes payload bytes carried, for the queue's byte bound and the metrics
 * @param done completed with {@code newLastIndex} once durable
 */
record PendingChange(
    long sequence,
    LogWrite write,
    long compactThrough,
    long compactTerm,
    long newLastIndex,
    long payloadBytes,
    CompletableFuture<Long> done) {

  static PendingChange ofWrite(long sequence, LogWrite write, long newLastIndex) {
    long bytes = 0;
    for (var entry : write.entries()) {
      bytes += entry.payload().length;
    }
    return new PendingChange(sequence, write, 0, 0, newLastIndex, bytes, new CompletableFuture<>());
  }

  static PendingChange ofCompaction(long sequence, long through, long term, long lastIndex) {
    return new PendingChange(
        sequence, null, through, term, lastIndex, 0, new CompletableFuture<>());
  }

  boolean isCompaction() {
    return write == null;
  }
}
