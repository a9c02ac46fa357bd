package io.cairn.consensus.internal.driver;

import io.cairn.consensus.internal.core.DurableState;
import io.cairn.consensus.internal.core.Snapshot;
import io.cairn.env.Check;
import io.cairn.env.storage.HardState;
import io.cairn.env.storage.LogEntry;
import io.cairn.env.storage.LogStorage;
import io.cairn.env.storage.LogWrite;
import io.cairn.env.storage.SnapshotMeta;
import io.cairn.env.storage.SnapshotStore;
import io.cairn.env.storage.StorageException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the log and the latest snapshot into agreement when a node starts, and reads what the
 * core recovers from them ({@link DurableState}). The snapshot store publishes before the log is
 * compacted, so a crash can leave a snapshot newer than the compaction point: then either the log
 * still holds the snapshot's last entry (the entries after it are kept) or it is older than the
 * snapshot and is emptied up to it. Only entries after the highest durable commit index are ever
 * truncated, so the hard state never points past the log (the rule the simulator found for
 * installing snapshots, bundles/simulation/README.md).
 *
 * <p>Called once, on the thread that starts the driver, before the loop runs.
 */
final class SnapshotRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotRecovery.class);

  /** What was recovered: the core's durable state and the snapshot it starts from (or null). */
  record Recovered(DurableState durable, SnapshotMeta meta) {}

  private SnapshotRecovery() {}

  static Recovered recover(LogStorage storage, SnapshotStore snapshots, int chunkBytes) {
    SnapshotMeta meta = snapshots == null ? null : snapshots.latest().orElse(null);
    HardState hard = storage.hardState();
    if (meta == null) {
      Check.state(storage.firstIndex() == 1,
          "the log is compacted through %s but there is no snapshot", storage.firstIndex() - 1);
      return new Recovered(new DurableState(hard, null, readFrom(storage, 1)), null);
    }
    SnapshotFormat.Header header;
    try {
      header = SnapshotFormat.readHeader(snapshots, meta, chunkBytes);
    } catch (IOException e) {
      throw new StorageException("cannot read the snapshot through " + meta.lastIndex(), e);
    }
    reconcile(storage, hard, meta);
    Snapshot snapshot =
        new Snapshot(meta.lastIndex(), meta.lastTerm(), header.configuration(), new byte[0]);
    List<LogEntry> entries = readFrom(storage, meta.lastIndex() + 1);
    LOG.info("recovered snapshot index={} term={} bytes={} entriesAfter={}", meta.lastIndex(),
        meta.lastTerm(), meta.sizeBytes(), entries.size());
    return new Recovered(new DurableState(hard, snapshot, entries), meta);
  }

  /** Makes the log continue the snapshot through {@code meta}; waits for the storage. */
  private static void reconcile(LogStorage storage, HardState hard, SnapshotMeta meta) {
    long index = meta.lastIndex();
    long compacted = storage.firstIndex() - 1;
    Check.state(index >= compacted,
        "the log is compacted through %s, beyond the latest snapshot through %s", compacted, index);
    if (index == compacted
        || (storage.lastIndex() >= index && storage.term(index) == meta.lastTerm())) {
      return;
    }
    Check.state(hard.commitIndex() < index || storage.lastIndex() < index,
        "committed entry %s has term %s but the snapshot through it has term %s", index,
        storage.lastIndex() >= index ? storage.term(index) : -1, meta.lastTerm());
    long from = Math.max(storage.firstIndex(), hard.commitIndex() + 1);
    if (from <= storage.lastIndex()) {
      await(storage.write(new LogWrite(null, from, List.of())));
    }
    await(storage.compactPrefix(index, meta.lastTerm()));
    LOG.info("log emptied up to the snapshot through {} (it was compacted through {})", index,
        compacted);
  }

  private static List<LogEntry> readFrom(LogStorage storage, long from) {
    long first = Math.max(from, storage.firstIndex());
    return storage.lastIndex() < first
        ? List.of()
        : storage.read(first, storage.lastIndex() + 1, Long.MAX_VALUE);
  }

  private static void await(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().join();
    } catch (CompletionException e) {
      throw new StorageException("reconciling the log with the snapshot failed", e.getCause());
    }
  }
}
