package io.cairn.env.storage;

/**
 * One entry of the replicated log. The payload is opaque here; the consensus layer gives it
 * meaning. Instances are treated as immutable: callers must not mutate {@code payload}.
 *
 * @param index position in the log, starting at 1
 * @param term the leader term that created the entry, at least 1
 * @param payload the entry's bytes
 */
public record LogEntry(long index, long term, byte[] payload) {
  public LogEntry {
    if (index < 1) {
      throw new IllegalArgumentException("entry index must be >= 1, was " + index);
    }
    if (term < 1) {
      throw new IllegalArgumentException("entry term must be >= 1, was " + term);
    }
    if (payload == null) {
      throw new IllegalArgumentException("entry " + index + " has a null payload");
    }
  }
}
