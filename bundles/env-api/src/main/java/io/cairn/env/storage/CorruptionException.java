package io.cairn.env.storage;

/** Stored bytes failed their checksum or could not be decoded; names where. */
public class CorruptionException extends StorageException {
  private static final long serialVersionUID = 1L;
  private final long index;

  public CorruptionException(long index, String message) {
    super("corrupt log entry at index " + index + ": " + message);
    this.index = index;
  }

  /** The log index (or snapshot index) whose bytes are corrupt. */
  public long index() {
    return index;
  }
}
