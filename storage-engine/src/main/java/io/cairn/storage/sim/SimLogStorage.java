package io.cairn.storage.sim;

import io.cairn.env.storage.CorruptionException;
import io.cairn.env.storage.HardState;
import io.cairn.env.storage.LogEntry;
import io.cairn.env.storage.LogStorage;
import io.cairn.env.storage.LogWrite;
import io.cairn.env.storage.StorageException;
import io.cairn.env.storage.StorageFullException;
import io.cairn.env.Check;
import io.cairn.storage.rules.LogRules;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A deterministic, single-threaded {@link LogStorage} for the simulator, with the written fault
 * model of storage-engine/README.md.
 *
 * <p>Nothing happens by itself: {@link #write} and {@link #compactPrefix} only queue the change
 * (reads see it at once, as the contract requires) and return an incomplete stage. The simulator
 * decides when the device catches up by calling {@link #sync()} (or {@link #sync(int)} for part of
 * the queue); completions then run inline, in submission order, on the simulator's thread. {@link
 * #crash(SimCrash)} ends the handle and keeps on the {@link SimLogDisk} only what the crash allows;
 * the node then recovers with {@link SimLogDisk#open()}.
 *
 * <p>Faults: unsynced writes lost (or partly kept) on crash, a torn last write discarded by
 * recovery, corrupt reads ({@link SimLogDisk#corruptEntry}), and a failing sync ({@link
 * #failNextSync}) after which the handle is failed for good (fail-stop).
 *
 * <p>Not thread-safe; never starts a thread, never reads a clock.
 */
public final class SimLogStorage implements LogStorage {
  private enum Lifecycle {
    OPEN,
    FAILED,
    CRASHED,
    CLOSED
  }

  private final SimLogDisk disk;
  private final SimLogState view;
  private final ArrayDeque<Op> pending = new ArrayDeque<>();
  private Lifecycle lifecycle = Lifecycle.OPEN;
  private StorageException failure;
  private StorageException nextSyncFailure;

  SimLogStorage(SimLogDisk disk, SimLogState view) {
    this.disk = disk;
    this.view = view;
  }

  @Override
  public long firstIndex() {
    checkUsable();
    return view.firstIndex();
  }

  @Override
  public long lastIndex() {
    checkUsable();
    return view.lastIndex();
  }

  @Override
  public long term(long index) {
    checkUsable();
    if (index == view.firstIndex() - 1) {
      return view.term(index);
    }
    return verified(index).term();
  }

  @Override
  public List<LogEntry> read(long fromIndex, long toIndexExclusive, long maxBytes) {
    checkUsable();
    checkRange(fromIndex, toIndexExclusive, view.firstIndex(), view.lastIndex());
    List<LogEntry> out = new ArrayList<>();
    long bytes = 0;
    for (long index = fromIndex; index < toIndexExclusive; index++) {
      LogEntry entry = verified(index);
      bytes += entry.payload().length;
      if (!LogRules.fits(out.size(), bytes, maxBytes)) {
        break;
      }
      out.add(entry);
    }
    return out;
  }

  @Override
  public HardState hardState() {
    checkUsable();
    return disk.durable().hardState();
  }

  @Override
  public CompletionStage<Long> write(LogWrite write) {
    checkUsable();
    long newLast = LogRules.checkWrite(write, view.bounds(), view::term);
    view.apply(write);
    CompletableFuture<Long> done = new CompletableFuture<>();
    pending.add(new Op(write, 0, 0, done, null, newLast));
    return done;
  }

  @Override
  public CompletionStage<Void> compactPrefix(long throughIndex, long term) {
    checkUsable();
    LogRules.checkCompaction(throughIndex, term, view.bounds(), view::term);
    view.compact(throughIndex, term);
    CompletableFuture<Void> done = new CompletableFuture<>();
    pending.add(new Op(null, throughIndex, term, null, done, 0));
    return done;
  }

  /** Number of submitted writes and compactions not yet durable. */
  public int pendingCount() {
    return pending.size();
  }

  /** Makes every pending change durable and completes it, in order; returns how many. */
  public int sync() {
    return sync(Integer.MAX_VALUE);
  }

  /**
   * Makes the oldest {@code maxChanges} pending changes durable (one device sync) and completes
   * them in order. If a failure was armed with {@link #failNextSync}, nothing reaches the disk,
   * every pending change fails with it, and the handle is failed.
   *
   * @return number of changes completed
   */
  public int sync(int maxChanges) {
    checkUsable();
    Check.argument(maxChanges >= 1, "maxChanges must be >= 1, was %s", maxChanges);
    if (pending.isEmpty()) {
      return 0;
    }
    if (nextSyncFailure != null) {
      fail(nextSyncFailure);
      return 0;
    }
    List<Op> synced = new ArrayList<>();
    while (!pending.isEmpty() && synced.size() < maxChanges) {
      Op op = pending.poll();
      disk.applyDurable(op);
      synced.add(op);
    }
    disk.countSync();
    for (Op op : synced) {
      op.complete();
    }
    return synced.size();
  }

  /**
   * Arms a device error for the next {@link #sync}: {@code diskFull} raises {@link
   * StorageFullException}, otherwise a plain {@link StorageException} (an I/O error).
   */
  public void failNextSync(boolean diskFull) {
    checkUsable();
    nextSyncFailure =
        diskFull
            ? new StorageFullException("simulated disk full", null)
            : new StorageException("simulated I/O error on sync");
  }

  /**
   * Crashes the node: the handle ends, pending changes never complete, and the disk keeps what
   * {@code crash} allows (see {@link SimCrash}). Open the disk again to recover.
   */
  public void crash(SimCrash crash) {
    Check.state(
        lifecycle == Lifecycle.OPEN || lifecycle == Lifecycle.FAILED,
        "crash of a %s log",
        lifecycle);
    int kept = Math.min(crash.unsyncedKept(), pending.size());
    boolean torn = crash.tearLast() && kept > 0;
    int applied = torn ? kept - 1 : kept;
    for (int i = 0; i < applied; i++) {
      disk.applyDurable(pending.poll());
    }
    if (torn) {
      disk.countTorn();
    }
    pending.clear();
    lifecycle = Lifecycle.CRASHED;
    disk.release(this);
  }

  /** Closes cleanly: pending changes are synced and completed first (unless a sync fails). */
  @Override
  public void close() {
    if (lifecycle == Lifecycle.CRASHED || lifecycle == Lifecycle.CLOSED) {
      return;
    }
    if (lifecycle == Lifecycle.OPEN) {
      sync();
    }
    lifecycle = Lifecycle.CLOSED;
    disk.release(this);
  }

  private void fail(StorageException error) {
    failure = error;
    lifecycle = Lifecycle.FAILED;
    nextSyncFailure = null;
    while (!pending.isEmpty()) {
      pending.poll().fail(error);
    }
  }

  private LogEntry verified(long index) {
    LogEntry entry = view.entry(index);
    if (disk.isCorrupt(index, entry)) {
      throw new CorruptionException(index, "simulated checksum mismatch");
    }
    return entry;
  }

  private void checkUsable() {
    if (lifecycle == Lifecycle.FAILED) {
      throw new StorageException("log storage failed earlier; reopen it", failure);
    }
    Check.state(lifecycle == Lifecycle.OPEN, "log storage is %s", lifecycle);
  }

  static void checkRange(long from, long toExclusive, long first, long last) {
    if (from < first || toExclusive > last + 1 || from > toExclusive) {
      throw new IndexOutOfBoundsException(
          "read [" + from + ", " + toExclusive + ") outside [" + first + ", " + (last + 1) + ")");
    }
  }

  /** A submitted change: a write, or a compaction when {@code write} is null. */
  record Op(
      LogWrite write,
      long throughIndex,
      long term,
      CompletableFuture<Long> written,
      CompletableFuture<Void> compacted,
      long newLastIndex) {
    void applyTo(SimLogState state) {
      if (write != null) {
        state.apply(write);
      } else {
        state.compact(throughIndex, term);
      }
    }

    boolean overwrites(long index) {
      return write != null && write.truncateFrom() != 0 && index >= write.truncateFrom();
    }

    void complete() {
      if (write != null) {
        written.complete(newLastIndex);
      } else {
        compacted.complete(null);
      }
    }

    void fail(StorageException error) {
      if (write != null) {
        written.completeExceptionally(error);
      } else {
        compacted.completeExceptionally(error);
      }
    }
  }
}
