package io.cairn.storage.sim;

import io.cairn.env.storage.HardState;
import io.cairn.env.storage.LogEntry;
import io.cairn.env.storage.LogWrite;
import io.cairn.env.Check;
import io.cairn.storage.rules.LogRules;
import java.util.ArrayList;
import java.util.List;

/**
 * A materialised log: the compaction point, the entries after it, and the hard state. Used twice by
 * the simulation: once for what the disk holds durably and once for what an open handle shows
 * (durable plus submitted). Single-threaded; mutable.
 */
final class SimLogState {
  private long compactIndex;
  private long compactTerm;
  private final ArrayList<LogEntry> entries;
  private HardState hardState;

  SimLogState() {
    this(0, 0, new ArrayList<>(), HardState.INITIAL);
  }

  private SimLogState(
      long compactIndex, long compactTerm, ArrayList<LogEntry> entries, HardState hardState) {
    this.compactIndex = compactIndex;
    this.compactTerm = compactTerm;
    this.entries = entries;
    this.hardState = hardState;
  }

  SimLogState copy() {
    return new SimLogState(compactIndex, compactTerm, new ArrayList<>(entries), hardState);
  }

  long firstIndex() {
    return compactIndex + 1;
  }

  long lastIndex() {
    return compactIndex + entries.size();
  }

  HardState hardState() {
    return hardState;
  }

  LogRules.Bounds bounds() {
    return new LogRules.Bounds(firstIndex(), lastIndex());
  }

  /** The term at a stored index or at the compaction point. */
  long term(long index) {
    if (index == compactIndex) {
      return compactTerm;
    }
    return entry(index).term();
  }

  /** The entry at a stored index. */
  LogEntry entry(long index) {
    if (index <= compactIndex || index > lastIndex()) {
      throw new IndexOutOfBoundsException(
          "index " + index + " outside [" + firstIndex() + ", " + lastIndex() + "]");
    }
    return entries.get((int) (index - compactIndex - 1));
  }

  /** The entry at {@code index}, or null when it is not stored. */
  LogEntry entryOrNull(long index) {
    if (index <= compactIndex || index > lastIndex()) {
      return null;
    }
    return entries.get((int) (index - compactIndex - 1));
  }

  /** Applies a write already checked by {@link LogRules#checkWrite}. */
  void apply(LogWrite write) {
    if (write.truncateFrom() != 0) {
      while (lastIndex() >= write.truncateFrom()) {
        entries.remove(entries.size() - 1);
      }
    }
    List<LogEntry> appended = write.entries();
    if (!appended.isEmpty()) {
      Check.invariant(
          appended.get(0).index() == lastIndex() + 1,
          "entry %s does not follow %s",
          appended.get(0).index(),
          lastIndex());
      entries.addAll(appended);
    }
    if (write.hardState() != null) {
      hardState = write.hardState();
    }
  }

  /** Applies a compaction already checked by {@link LogRules#checkCompaction}. */
  void compact(long throughIndex, long term) {
    if (throughIndex <= compactIndex) {
      return;
    }
    if (throughIndex >= lastIndex()) {
      entries.clear();
    } else {
      entries.subList(0, (int) (throughIndex - compactIndex)).clear();
    }
    compactIndex = throughIndex;
    compactTerm = term;
  }
}
