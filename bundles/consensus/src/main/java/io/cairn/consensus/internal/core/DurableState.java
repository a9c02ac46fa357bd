package io.cairn.consensus.internal.core;

import io.cairn.env.storage.HardState;
import io.cairn.env.storage.LogEntry;
import java.util.List;

/**
 * What a node recovers from durable storage when it starts: the hard state, the latest snapshot
 * (the compaction point) and the log after it.
 *
 * @param hardState term, vote and commit index last synced
 * @param snapshot the latest published snapshot, or null when the log was never compacted
 * @param entries the stored entries, contiguous from the snapshot's index + 1 (or from 1)
 */
public record DurableState(HardState hardState, Snapshot snapshot, List<LogEntry> entries) {
  public static final DurableState EMPTY = new DurableState(HardState.INITIAL, null, List.of());

  public DurableState {
    entries = List.copyOf(entries);
  }

  long compactedIndex() {
    return snapshot == null ? 0 : snapshot.index();
  }

  long compactedTerm() {
    return snapshot == null ? 0 : snapshot.term();
  }
}
