package io.cairn.env.storage;

import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Snapshots of the state machines, written chunk by chunk (a leader streams one through
 * InstallSnapshot) and published atomically: a reader sees either the previous snapshot or the
 * complete new one, never a partial one.
 */
@ProviderType
public interface SnapshotStore extends AutoCloseable {
  /** Starts a new snapshot that will cover the log up to {@code lastIndex} at {@code lastTerm}. */
  SnapshotWriter begin(long lastIndex, long lastTerm);

  /** The newest published snapshot, if any. */
  Optional<SnapshotMeta> latest();

  /**
   * Up to {@code maxBytes} of the snapshot's bytes from {@code offset}; empty at the end.
   *
   * @throws StorageException when the snapshot is gone (replaced) or unreadable
   */
  byte[] read(SnapshotMeta snapshot, long offset, int maxBytes);

  @Override
  void close();

  /** A snapshot being written; exactly one of {@link #publish} or {@link #abort} ends it. */
  interface SnapshotWriter {
    /** Appends the next chunk. */
    void write(byte[] chunk);

    /** Makes the snapshot durable and the latest; older snapshots may then be deleted. */
    SnapshotMeta publish();

    /** Discards everything written. */
    void abort();
  }
}
