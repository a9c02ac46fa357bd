package io.cairn.storage.sim;

import io.cairn.env.Check;
import java.util.TreeSet;

/**
 * The simulated device under one node's log: what survives a crash. A node opens it with {@link
 * #open()}, crashes the handle with {@link SimLogStorage#crash(SimCrash)}, and opens it again to
 * recover. At most one handle is open at a time.
 *
 * <p>Also the place to inject faults that live on the medium: {@link #corruptEntry(long)} makes a
 * stored entry fail its checksum on every later read until it is truncated or compacted away.
 *
 * <p>Single-threaded: only the simulator's thread may call it. Never starts a thread.
 */
public final class SimLogDisk {
  private final SimLogState durable = new SimLogState();
  private final TreeSet<Long> corrupt = new TreeSet<>();
  private SimLogStorage openHandle;
  private long tornWritesDiscarded;
  private long syncs;

  /** Opens the log as it is on the disk (the recovery after a crash, or a fresh log). */
  public SimLogStorage open() {
    Check.state(openHandle == null, "the simulated log is already open");
    openHandle = new SimLogStorage(this, durable.copy());
    return openHandle;
  }

  /**
   * Makes the durable copy of the entry at {@code index} fail its checksum: reads of it raise
   * {@link io.cairn.env.storage.CorruptionException} naming the index.
   */
  public void corruptEntry(long index) {
    Check.argument(
        durable.entryOrNull(index) != null,
        "cannot corrupt index %s: not stored durably in [%s, %s]",
        index,
        durable.firstIndex(),
        durable.lastIndex());
    corrupt.add(index);
  }

  /** Number of torn writes recovery has found and discarded so far. */
  public long tornWritesDiscarded() {
    return tornWritesDiscarded;
  }

  /** Number of syncs that made at least one write durable. */
  public long syncs() {
    return syncs;
  }

  /** Durable first index (for checkers that look at the disk directly). */
  public long durableFirstIndex() {
    return durable.firstIndex();
  }

  /** Durable last index (for checkers that look at the disk directly). */
  public long durableLastIndex() {
    return durable.lastIndex();
  }

  SimLogState durable() {
    return durable;
  }

  boolean isCorrupt(long index, Object viewEntry) {
    return corrupt.contains(index) && durable.entryOrNull(index) == viewEntry;
  }

  void applyDurable(SimLogStorage.Op op) {
    op.applyTo(durable);
    corrupt.removeIf(i -> durable.entryOrNull(i) == null);
    corrupt.removeIf(i -> op.overwrites(i));
  }

  void countSync() {
    syncs++;
  }

  void countTorn() {
    tornWritesDiscarded++;
  }

  void release(SimLogStorage handle) {
    Check.state(openHandle == handle, "releasing a handle that is not the open one");
    openHandle = null;
  }
}
