package io.cairn.simulation;

import io.cairn.consensus.internal.core.DurableState;
import io.cairn.consensus.internal.core.Snapshot;
import io.cairn.env.RandomSource;
import io.cairn.env.storage.LogEntry;
import io.cairn.env.storage.LogWrite;
import io.cairn.storage.sim.SimCrash;
import io.cairn.storage.sim.SimLogDisk;
import io.cairn.storage.sim.SimLogStorage;
import java.util.ArrayDeque;
import java.util.List;

/**
 * {@link DurableLog} on storage-engine's deterministic {@link SimLogStorage} (its written fault
 * model: unsynced writes lost or partly kept, torn last write discarded). The log and hard state
 * live there; snapshot bytes live here and become durable with the compaction that publishes them
 * (a snapshot file synced before the log is compacted, as a real node would do it).
 *
 * <p>One {@link DurableLog} sequence number may stand for several storage changes (installing a
 * snapshot is a compaction plus, when needed, a truncation); syncs and crashes work change by
 * change, in order. Single-threaded.
 */
final class EngineDurableLog implements DurableLog {
  /** One queued storage change; {@code snapshot} is set when it publishes one. */
  private record Change(long seq, Snapshot snapshot) {}

  private final RandomSource random;
  private final SimLogDisk disk = new SimLogDisk();
  private final ArrayDeque<Change> unsynced = new ArrayDeque<>();
  private SimLogStorage storage = disk.open();
  private Snapshot snapshot;
  private long submitted;
  private long submittedCommit;

  EngineDurableLog(RandomSource random) {
    this.random = random;
  }

  @Override
  public long submit(LogWrite write) {
    storage.write(write);
    if (write.hardState() != null) {
      submittedCommit = Math.max(submittedCommit, write.hardState().commitIndex());
    }
    unsynced.add(new Change(++submitted, null));
    return submitted;
  }

  /**
   * Installs a received snapshot: first drop the uncommitted suffix (it may conflict with the
   * snapshot, and a compaction checks the term it names), then compact through the snapshot. A
   * crash between the two loses only uncommitted entries; the snapshot counts as durable only once
   * the compaction is. The suffix starts after the highest commit index ever submitted, not the
   * durable one: a hard state still in flight must never point past the truncated log (seed
   * 0x341af90ae1f2aa11 found this).
   */
  @Override
  public long submitSnapshot(Snapshot installed) {
    long seq = ++submitted;
    long from = Math.max(storage.firstIndex(), submittedCommit + 1);
    if (from <= storage.lastIndex()) {
      storage.write(new LogWrite(null, from, List.of()));
      unsynced.add(new Change(seq, null));
    }
    storage.compactPrefix(installed.index(), installed.term());
    unsynced.add(new Change(seq, installed));
    return seq;
  }

  @Override
  public void compact(Snapshot published) {
    if (!unsynced.isEmpty()) {
      throw new SimulationFailure("compaction while writes are in flight");
    }
    if (published.index() <= storage.firstIndex() - 1) {
      return;
    }
    storage.compactPrefix(published.index(), published.term());
    storage.sync();
    snapshot = published;
  }

  @Override
  public void syncThrough(long seq) {
    int changes = 0;
    for (Change change : unsynced) {
      if (change.seq() > seq) {
        break;
      }
      changes++;
    }
    if (changes == 0) {
      return;
    }
    storage.sync(changes);
    for (int i = 0; i < changes; i++) {
      publish(unsynced.poll());
    }
  }

  @Override
  public void crash() {
    SimCrash crash = SimCrash.random(random, unsynced.size());
    int durable = crash.tearLast() ? crash.unsyncedKept() - 1 : crash.unsyncedKept();
    for (int i = 0; i < durable; i++) {
      publish(unsynced.poll());
    }
    unsynced.clear();
    storage.crash(crash);
    storage = disk.open();
    submitted = 0;
    submittedCommit = storage.hardState().commitIndex();
  }

  private void publish(Change change) {
    if (change.snapshot() != null) {
      snapshot = change.snapshot();
    }
  }

  @Override
  public DurableState recover() {
    long compactedIndex = storage.firstIndex() - 1;
    long snapshotIndex = snapshot == null ? 0 : snapshot.index();
    if (compactedIndex != snapshotIndex) {
      throw new SimulationFailure(
          "the log is compacted through " + compactedIndex + " but the durable snapshot is at "
              + snapshotIndex);
    }
    List<LogEntry> entries =
        storage.lastIndex() < storage.firstIndex()
            ? List.of()
            : storage.read(storage.firstIndex(), storage.lastIndex() + 1, Long.MAX_VALUE);
    return new DurableState(storage.hardState(), snapshot, entries);
  }
}
