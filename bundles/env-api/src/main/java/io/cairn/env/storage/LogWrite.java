package io.cairn.env.storage;

import java.util.List;

/**
 * One atomic, durable change to the log: optionally drop the suffix from {@code truncateFrom}
 * (conflicting entries), then append {@code entries}, and save {@code hardState} if present — all
 * in one write, so a crash leaves either all of it or none.
 *
 * @param hardState the new hard state, or null to keep the current one
 * @param truncateFrom first index to delete before appending, or 0 for no truncation
 * @param entries contiguous entries to append; the first follows the (truncated) last index
 */
public record LogWrite(HardState hardState, long truncateFrom, List<LogEntry> entries) {
  public LogWrite {
    entries = List.copyOf(entries);
    if (truncateFrom < 0) {
      throw new IllegalArgumentException("truncateFrom must be >= 0, was " + truncateFrom);
    }
    for (int i = 1; i < entries.size(); i++) {
      if (entries.get(i).index() != entries.get(i - 1).index() + 1) {
        throw new IllegalArgumentException(
            "entries must be contiguous: " + entries.get(i - 1).index() + " then "
                + entries.get(i).index());
      }
    }
  }

  public static LogWrite append(List<LogEntry> entries) {
    return new LogWrite(null, 0, entries);
  }

  public static LogWrite hardState(HardState hardState) {
    return new LogWrite(hardState, 0, List.of());
  }
}
