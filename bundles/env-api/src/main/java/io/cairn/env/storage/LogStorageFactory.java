package io.cairn.env.storage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Opens the durable storage of Raft groups under one node's data directory. Registered as an OSGi
 * service by storage-engine; consensus opens its group's log and snapshots through it.
 *
 * <p>Each group has at most one open {@link LogStorage} and one open {@link SnapshotStore} at a
 * time; the caller owns what it opens and closes it. When the service goes away (the component
 * deactivates) whatever is still open is closed. Thread-safe.
 */
@ProviderType
public interface LogStorageFactory {
  /**
   * Opens (creating if absent) the log of {@code group}.
   *
   * @param group a group name: 1 to 64 characters from {@code [a-z0-9_-]}
   * @throws IllegalStateException when the group's log is already open
   * @throws StorageException when the stored log cannot be opened or fails its checks
   */
  LogStorage openLog(String group);

  /** Opens (creating if absent) the snapshot store of {@code group}; same rules as the log. */
  SnapshotStore openSnapshots(String group);

  /** Counters and histograms of the group's open log, for {@code /metrics}. */
  LogStorageMetrics metrics(String group);
}
