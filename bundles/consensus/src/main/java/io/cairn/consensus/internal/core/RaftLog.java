package io.cairn.consensus.internal.core;

import io.cairn.env.Check;
import io.cairn.env.storage.LogEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * The core's in-memory view of the log: every entry after the compaction point, and the marks
 * that drive persistence and application.
 *
 * <pre>
 *   compaction point  applied      persisted       committed?      lastIndex
 *        |...............|............|.................|..............|
 *                                      unstableFrom: first index not yet handed to the driver
 * </pre>
 *
 * Invariants (checked): {@code applied <= min(committed, persisted)}, {@code committed <=
 * lastIndex}, entries are contiguous, and a truncation never reaches a committed entry (Raft §5.3:
 * committed entries are never overwritten). Called only on the group's event loop.
 */
final class RaftLog {
  private long compactedIndex;
  private long compactedTerm;
  private final ArrayList<LogEntry> entries = new ArrayList<>();
  private long committed;
  private long persisted;
  private long applied;
  private long unstableFrom;
  private long truncateFrom;

  RaftLog(long compactedIndex, long compactedTerm, List<LogEntry> restored, long committed) {
    this.compactedIndex = compactedIndex;
    this.compactedTerm = compactedTerm;
    for (LogEntry entry : restored) {
      Check.argument(
          entry.index() == compactedIndex + 1 + entries.size(),
          "restored entries must follow the compaction point %s contiguously, got index %s",
          compactedIndex,
          entry.index());
      entries.add(entry);
    }
    this.persisted = lastIndex();
    this.unstableFrom = lastIndex() + 1;
    this.applied = compactedIndex;
    Check.argument(
        committed <= lastIndex(), "restored commit %s beyond last index %s", committed, lastIndex());
    this.committed = Math.max(committed, compactedIndex);
  }

  /** The index of the last CONFIGURATION entry at or before {@code from} still stored, or 0. */
  long lastConfigurationIndex(long from) {
    for (long index = from; index >= firstIndex(); index--) {
      if (EntryKind.of(entry(index)) == EntryKind.CONFIGURATION) {
        return index;
      }
    }
    return 0;
  }

  long firstIndex() {
    return compactedIndex + 1;
  }

  long lastIndex() {
    return compactedIndex + entries.size();
  }

  long lastTerm() {
    return term(lastIndex());
  }

  long committed() {
    return committed;
  }

  long persisted() {
    return persisted;
  }

  long applied() {
    return applied;
  }

  /**
   * The term at {@code index}, or -1 when the index is beyond the log or compacted away. Index 0,
   * the empty prefix, has term 0 in every log.
   */
  long term(long index) {
    if (index == 0) {
      return 0;
    }
    if (index == compactedIndex) {
      return compactedTerm;
    }
    if (index < compactedIndex || index > lastIndex()) {
      return -1;
    }
    return entries.get((int) (index - compactedIndex - 1)).term();
  }

  LogEntry entry(long index) {
    Check.argument(
        index > compactedIndex && index <= lastIndex(),
        "entry %s outside [%s, %s]",
        index,
        firstIndex(),
        lastIndex());
    return entries.get((int) (index - compactedIndex - 1));
  }

  boolean matchTerm(long index, long term) {
    return term(index) == term;
  }

  /** The election restriction (Raft §5.4.1): is a log ending at (index, term) at least as new? */
  boolean isUpToDate(long index, long term) {
    return term > lastTerm() || (term == lastTerm() && index >= lastIndex());
  }

  /** Appends entries created by this node as leader. */
  void appendLocal(LogEntry entry) {
    Check.argument(
        entry.index() == lastIndex() + 1, "local entry %s must follow %s", entry.index(), lastIndex());
    entries.add(entry);
  }

  /**
   * Appends entries received from the leader after {@code prevIndex} (already matched), dropping
   * the first conflicting entry and everything after it (Raft §5.3, Figure 2 receiver steps 3–4).
   *
   * @return the index of the last entry the leader sent
   */
  long appendFromLeader(long prevIndex, List<LogEntry> received) {
    for (LogEntry entry : received) {
      long index = entry.index();
      if (index <= compactedIndex) {
        continue;
      }
      long existing = term(index);
      if (existing == entry.term()) {
        continue;
      }
      if (existing != -1) {
        truncateSuffix(index);
      }
      Check.invariant(
          index == lastIndex() + 1, "entry %s from the leader does not follow %s", index,
          lastIndex());
      entries.add(entry);
    }
    return prevIndex + received.size();
  }

  private void truncateSuffix(long from) {
    Check.invariant(
        from > committed, "truncating from %s would drop committed entries up to %s", from,
        committed);
    while (lastIndex() >= from) {
      entries.remove(entries.size() - 1);
    }
    if (from < unstableFrom) {
      truncateFrom = truncateFrom == 0 ? from : Math.min(truncateFrom, from);
      unstableFrom = from;
    }
    persisted = Math.min(persisted, from - 1);
  }

  /**
   * A fast back-off hint for a rejected append (Raft §5.3): the highest index at or below {@code
   * prevIndex} whose term is at most {@code prevTerm}. Entries above it cannot match.
   */
  long rejectHint(long prevIndex, long prevTerm) {
    long index = Math.min(prevIndex, lastIndex());
    while (index > compactedIndex && term(index) > prevTerm) {
      index--;
    }
    return index;
  }

  /** Entries from {@code from} on, at most {@code maxCount} and about {@code maxBytes}. */
  List<LogEntry> slice(long from, int maxCount, long maxBytes) {
    List<LogEntry> out = new ArrayList<>();
    long bytes = 0;
    for (long index = from; index <= lastIndex() && out.size() < maxCount; index++) {
      LogEntry entry = entry(index);
      bytes += entry.payload().length;
      if (!out.isEmpty() && bytes > maxBytes) {
        break;
      }
      out.add(entry);
    }
    return out;
  }

  /** Raises the commit index; never lowers it. */
  boolean commitTo(long index) {
    if (index <= committed) {
      return false;
    }
    Check.invariant(index <= lastIndex(), "commit %s beyond last index %s", index, lastIndex());
    committed = index;
    return true;
  }

  boolean hasUnstable() {
    return truncateFrom != 0 || unstableFrom <= lastIndex();
  }

  /** The truncation point of the pending write, or 0. */
  long pendingTruncateFrom() {
    return truncateFrom;
  }

  /** Hands every not-yet-handed-out entry to the driver for persistence. */
  List<LogEntry> takeUnstable() {
    List<LogEntry> out = new ArrayList<>();
    for (long index = unstableFrom; index <= lastIndex(); index++) {
      out.add(entry(index));
    }
    unstableFrom = lastIndex() + 1;
    truncateFrom = 0;
    return out;
  }

  /**
   * Records that a write ending at (index, term) is durable. A completion for entries since
   * replaced by a truncation no longer matches the term and is ignored.
   */
  void persistedTo(long index, long term) {
    if (index > persisted && index < unstableFrom && matchTerm(index, term)) {
      persisted = index;
    }
  }

  /**
   * Drops every entry up to {@code index}, which must be applied (a snapshot covers it, Raft §7).
   */
  void compact(long index) {
    Check.argument(
        index <= applied && index <= persisted,
        "cannot compact to %s beyond applied %s or persisted %s", index, applied, persisted);
    if (index <= compactedIndex) {
      return;
    }
    long termAtIndex = term(index);
    entries.subList(0, (int) (index - compactedIndex)).clear();
    compactedIndex = index;
    compactedTerm = termAtIndex;
  }

  /**
   * Replaces the log by a snapshot received from the leader (Raft §7): everything up to {@code
   * index} is committed and applied by installing it. Only called when the log does not hold the
   * snapshot's last entry (Figure 13 step 7: discard the entire log); when it does, the core just
   * advances the commit index instead.
   */
  void restore(long index, long term) {
    Check.invariant(index > committed, "snapshot %s not beyond commit %s", index, committed);
    Check.invariant(!matchTerm(index, term), "snapshot %s matches the log: fast-forward", index);
    entries.clear();
    compactedIndex = index;
    compactedTerm = term;
    committed = index;
    applied = index;
    persisted = index;
    unstableFrom = index + 1;
    truncateFrom = 0;
  }

  /** Committed entries that are also durable here and not yet handed out for applying. */
  List<LogEntry> takeApplicable() {
    long upTo = Math.min(committed, persisted);
    List<LogEntry> out = new ArrayList<>();
    for (long index = applied + 1; index <= upTo; index++) {
      out.add(entry(index));
    }
    applied = Math.max(applied, upTo);
    return out;
  }
}
