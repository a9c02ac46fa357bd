package io.cairn.storage.internal;

import io.cairn.env.storage.LogEntry;
import io.cairn.env.storage.LogWrite;
import io.cairn.storage.rules.LogRules;
import java.util.Map;
import java.util.TreeMap;

/**
 * What readers of {@link RocksLogStorage} see: the log as submitted, durable or not (the contract
 * lets a leader replicate entries while they are being persisted).
 *
 * <p>It is RocksDB plus an overlay of the entries submitted but not yet written by the writer
 * thread. An entry leaves the overlay once the batch carrying it is in RocksDB, so an index inside
 * {@code [firstIndex, lastIndex]} that is not in the overlay is in RocksDB. A truncation removes
 * the overlay entries it drops at once; the RocksDB copies it deletes are out of range until they
 * are replaced.
 *
 * <p>Thread-safe: every method holds the object's monitor, briefly. Lock order: the storage's
 * submit lock, then this.
 */
final class SubmittedView {
  private long firstIndex;
  private long lastIndex;
  private long compactTerm;
  private final TreeMap<Long, Overlaid> overlay = new TreeMap<>();

  private record Overlaid(LogEntry entry, long sequence) {}

  SubmittedView(long firstIndex, long lastIndex, long compactTerm) {
    this.firstIndex = firstIndex;
    this.lastIndex = lastIndex;
    this.compactTerm = compactTerm;
  }

  synchronized long firstIndex() {
    return firstIndex;
  }

  synchronized long lastIndex() {
    return lastIndex;
  }

  synchronized long compactTerm() {
    return compactTerm;
  }

  synchronized LogRules.Bounds bounds() {
    return new LogRules.Bounds(firstIndex, lastIndex);
  }

  /** The submitted-but-unwritten entry at {@code index}, or null when RocksDB has it. */
  synchronized LogEntry overlaid(long index) {
    Overlaid found = overlay.get(index);
    return found == null ? null : found.entry();
  }

  /** Copies the overlaid entries in {@code [from, toExclusive)}. */
  synchronized TreeMap<Long, LogEntry> overlaid(long from, long toExclusive) {
    TreeMap<Long, LogEntry> out = new TreeMap<>();
    for (Map.Entry<Long, Overlaid> e : overlay.subMap(from, toExclusive).entrySet()) {
      out.put(e.getKey(), e.getValue().entry());
    }
    return out;
  }

  /** Records a write checked by {@link LogRules#checkWrite}, as submission {@code sequence}. */
  synchronized void submitted(LogWrite write, long newLastIndex, long sequence) {
    if (write.truncateFrom() != 0) {
      overlay.tailMap(write.truncateFrom(), true).clear();
    }
    for (LogEntry entry : write.entries()) {
      overlay.put(entry.index(), new Overlaid(entry, sequence));
    }
    lastIndex = newLastIndex;
  }

  /** Records a compaction checked by {@link LogRules#checkCompaction}. */
  synchronized void compacted(long throughIndex, long term) {
    if (throughIndex < firstIndex) {
      return;
    }
    overlay.headMap(throughIndex, true).clear();
    firstIndex = throughIndex + 1;
    lastIndex = Math.max(lastIndex, throughIndex);
    compactTerm = term;
  }

  /** Drops from the overlay every entry written by submissions up to {@code sequence}. */
  synchronized void written(long sequence) {
    overlay.values().removeIf(o -> o.sequence() <= sequence);
  }

  synchronized int overlaySize() {
    return overlay.size();
  }
}
