package io.cairn.storage.rules;

import io.cairn.env.Check;
import io.cairn.env.storage.LogEntry;
import io.cairn.env.storage.LogWrite;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * The shape rules every {@link io.cairn.env.storage.LogStorage} implementation enforces before it
 * accepts a write, so that Rocks and Sim reject exactly the same inputs (the contract test checks
 * both). Pure functions over the log's current bounds.
 */
public final class LogRules {
  private LogRules() {}

  /**
   * The bounds of a log as a writer sees them.
   *
   * @param firstIndex first stored index (compaction point + 1)
   * @param lastIndex last index, {@code firstIndex - 1} when empty
   */
  public record Bounds(long firstIndex, long lastIndex) {}

  /**
   * Checks {@code write} against the current bounds and returns the last index after it.
   *
   * @param termAt the term of a stored index in {@code [firstIndex - 1, lastIndex]}
   * @throws IllegalArgumentException when the write would leave a gap, truncate into the compacted
   *     prefix, or append entries whose terms go backwards
   */
  public static long checkWrite(LogWrite write, Bounds bounds, LongUnaryOperator termAt) {
    long last = bounds.lastIndex();
    if (write.truncateFrom() != 0) {
      Check.argument(
          write.truncateFrom() >= bounds.firstIndex() && write.truncateFrom() <= last + 1,
          "truncateFrom %s outside [firstIndex %s, lastIndex + 1 = %s]",
          write.truncateFrom(),
          bounds.firstIndex(),
          last + 1);
      last = write.truncateFrom() - 1;
    }
    List<LogEntry> entries = write.entries();
    if (entries.isEmpty()) {
      return last;
    }
    Check.argument(
        entries.get(0).index() == last + 1,
        "first entry %s must follow last index %s (truncateFrom %s)",
        entries.get(0).index(),
        last,
        write.truncateFrom());
    long previousTerm = termAt.applyAsLong(last);
    for (LogEntry entry : entries) {
      Check.argument(
          entry.term() >= previousTerm,
          "entry %s has term %s below the term %s before it",
          entry.index(),
          entry.term(),
          previousTerm);
      previousTerm = entry.term();
    }
    return entries.get(entries.size() - 1).index();
  }

  /** Checks a compaction request; compacting past the last index empties the log. */
  public static void checkCompaction(
      long throughIndex, long term, Bounds bounds, LongUnaryOperator termAt) {
    Check.argument(
        throughIndex >= bounds.firstIndex() - 1,
        "compaction through %s is below the compaction point %s",
        throughIndex,
        bounds.firstIndex() - 1);
    Check.argument(term >= 0, "compaction term must be >= 0, was %s", term);
    if (throughIndex >= bounds.firstIndex() && throughIndex <= bounds.lastIndex()) {
      long stored = termAt.applyAsLong(throughIndex);
      Check.argument(
          stored == term,
          "compaction through %s names term %s but the stored entry has term %s",
          throughIndex,
          term,
          stored);
    }
  }

  /** The effective {@code maxBytes} rule of {@code read}: at least one entry, then stop. */
  public static boolean fits(int taken, long bytesSoFar, long maxBytes) {
    return taken == 0 || bytesSoFar <= maxBytes;
  }
}
