package io.cairn.simulation;

import io.cairn.consensus.internal.core.DurableState;
import io.cairn.consensus.internal.core.Snapshot;
import io.cairn.env.RandomSource;
import io.cairn.env.storage.HardState;
import io.cairn.env.storage.LogEntry;
import io.cairn.env.storage.LogWrite;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * In-memory durable log with the crash fault model of {@link DurableLog}. Stricter than a real
 * disk on purpose: every write must append right after the (truncated) last index, a term never
 * goes back, a vote never changes within a term, and the durable commit index never exceeds the
 * durable log, so a core that hands out a bad write fails at once.
 */
final class SimDurableLog implements DurableLog {
  private final RandomSource random;
  private HardState hardState = HardState.INITIAL;
  private Snapshot snapshot;
  private final List<LogEntry> entries = new ArrayList<>();
  private final ArrayDeque<Object> unsynced = new ArrayDeque<>();
  private long submitted;
  private long synced;

  SimDurableLog(RandomSource random) {
    this.random = random;
  }

  @Override
  public long submit(LogWrite write) {
    unsynced.addLast(write);
    return ++submitted;
  }

  @Override
  public long submitSnapshot(Snapshot installed) {
    unsynced.addLast(installed);
    return ++submitted;
  }

  @Override
  public void compact(Snapshot published) {
    long dropThrough = published.index() - snapshotIndex();
    if (dropThrough <= 0) {
      return;
    }
    if (dropThrough > entries.size()) {
      throw new SimulationFailure(
          "compaction to " + published.index() + " beyond the durable log " + lastIndex());
    }
    if (entries.get((int) dropThrough - 1).term() != published.term()) {
      throw new SimulationFailure("snapshot " + published.index() + " has the wrong term");
    }
    entries.subList(0, (int) dropThrough).clear();
    snapshot = published;
  }

  @Override
  public void syncThrough(long seq) {
    while (synced < seq && !unsynced.isEmpty()) {
      Object next = unsynced.removeFirst();
      if (next instanceof LogWrite write) {
        apply(write);
      } else {
        install((Snapshot) next);
      }
      synced++;
    }
  }

  @Override
  public void crash() {
    int survivors = unsynced.isEmpty() ? 0 : random.nextInt(unsynced.size() + 1);
    syncThrough(synced + survivors);
    unsynced.clear();
    submitted = synced;
  }

  @Override
  public DurableState recover() {
    return new DurableState(hardState, snapshot, entries);
  }

  private long snapshotIndex() {
    return snapshot == null ? 0 : snapshot.index();
  }

  private long lastIndex() {
    return snapshotIndex() + entries.size();
  }

  private void install(Snapshot installed) {
    if (installed.index() <= hardState.commitIndex()) {
      throw new SimulationFailure(
          "installing snapshot " + installed.index() + " over commit " + hardState.commitIndex());
    }
    entries.clear();
    snapshot = installed;
  }

  /** Stricter than a disk: a term never goes back and a vote is never changed within a term. */
  private static void checkVote(HardState before, HardState after) {
    boolean termBack = after.term() < before.term();
    boolean voteChanged =
        after.term() == before.term() && before.votedFor() != 0
            && after.votedFor() != before.votedFor();
    if (termBack || voteChanged) {
      throw new SimulationFailure("durable hard state went from " + before + " to " + after);
    }
  }

  private void apply(LogWrite write) {
    if (write.truncateFrom() != 0) {
      if (write.truncateFrom() > lastIndex() + 1 || write.truncateFrom() <= snapshotIndex()) {
        throw new SimulationFailure(
            "truncate from " + write.truncateFrom() + " outside the durable log ("
                + snapshotIndex() + ", " + lastIndex() + "]");
      }
      while (lastIndex() >= write.truncateFrom()) {
        entries.remove(entries.size() - 1);
      }
    }
    for (LogEntry entry : write.entries()) {
      if (entry.index() != lastIndex() + 1) {
        throw new SimulationFailure(
            "write appends index " + entry.index() + " after durable last index " + lastIndex());
      }
      entries.add(entry);
    }
    if (write.hardState() != null) {
      if (write.hardState().commitIndex() > lastIndex()) {
        throw new SimulationFailure(
            "durable commit index " + write.hardState().commitIndex() + " beyond durable log "
                + lastIndex());
      }
      checkVote(hardState, write.hardState());
      hardState = write.hardState();
    }
  }
}
