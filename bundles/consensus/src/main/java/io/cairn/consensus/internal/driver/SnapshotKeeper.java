package io.cairn.consensus.internal.driver;

import io.cairn.consensus.internal.core.Message.InstallSnapshot;
import io.cairn.consensus.internal.core.RaftCore;
import io.cairn.consensus.internal.core.Role;
import io.cairn.consensus.internal.core.Snapshot;
import io.cairn.consensus.internal.wire.SnapshotTransfer;
import io.cairn.consensus.spi.StateMachine;
import io.cairn.env.Check;
import io.cairn.env.RandomSource;
import io.cairn.env.storage.LogEntry;
import io.cairn.env.storage.LogStorage;
import io.cairn.env.storage.LogWrite;
import io.cairn.env.storage.SnapshotMeta;
import io.cairn.env.storage.SnapshotStore;
import io.cairn.env.storage.StorageException;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's snapshot duties (Raft §7): when to snapshot, writing one combined snapshot of every
 * state machine through the {@link SnapshotStore} ({@link SnapshotFormat}) and compacting the log
 * behind it with a trailing margin, restoring machines from the latest snapshot, installing one
 * received from the leader, and the chunked transfer in both directions ({@link SnapshotSender},
 * {@link SnapshotReceiver}).
 *
 * <p>A namespace that has state (a section of the latest snapshot, or entries applied since) but no
 * registered machine defers the next snapshot: compacting the log would lose its entries.
 *
 * <p>Called only on the group's event loop (and, before the loop runs, by {@code
 * RaftDriver.start}).
 */
final class SnapshotKeeper {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotKeeper.class);

  private final RaftCore core;
  private final LogStorage storage;
  private final SnapshotStore store;
  private final SnapshotSettings settings;
  private final SnapshotSender sender;
  private final SnapshotReceiver receiver;
  private final Consumer<Throwable> storageFailed;
  /** The snapshot the core is based on (taken here or installed); null before the first. */
  private SnapshotMeta meta;
  private long entriesSince;
  private long bytesSince;
  /** Snapshots of this many bytes or more are stored off the loop. */
  static final int BACKGROUND_BYTES = 1 << 20;

  /** Stores large snapshots off the loop (one thread, created idle). */
  private final ExecutorService storer;
  /** Runs a task on the driver's loop. */
  private final Consumer<Runnable> onLoop;
  /** A snapshot is being stored by {@link #storer}. */
  private boolean storing;
  private volatile boolean closed;
  /** Draws the spread thresholds; null when the settings do not spread. */
  private final RandomSource spread;
  /** Entries and bytes applied since the last snapshot that trigger the next one. */
  private long entriesLimit;
  private long bytesLimit;
  private final Set<String> knownNamespaces = new TreeSet<>();
  private final Set<String> deferredFor = new HashSet<>();

  /**
   * @param send sends a chunk or an acknowledgement
   * @param storageFailed told (on any thread) when a log compaction failed; must stop the group
   */
  SnapshotKeeper(
      RaftCore core, LogStorage storage, SnapshotStore store, SnapshotSettings settings,
      RandomSource random, Consumer<SnapshotTransfer> send, Consumer<Throwable> storageFailed,
      Consumer<Runnable> onLoop) {
    this.core = core;
    this.storage = storage;
    this.store = store;
    this.settings = settings;
    this.sender = new SnapshotSender(store, settings, send);
    this.receiver = new SnapshotReceiver(store, settings, send);
    this.storageFailed = storageFailed;
    this.onLoop = onLoop;
    this.storer = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "cairn-snapshot-store-" + core.nodeId());
      thread.setDaemon(true);
      return thread;
    });
    this.spread = settings.spread() ? random : null;
    restartCounts();
  }

  /** Starts counting towards the next snapshot, with newly drawn limits when spread. */
  private void restartCounts() {
    entriesSince = 0;
    bytesSince = 0;
    entriesLimit = settings.snapshotEntries();
    bytesLimit = settings.snapshotBytes();
    if (spread != null) {
      entriesLimit = spread.nextLong(Math.max(1, entriesLimit / 2), entriesLimit + 1);
      bytesLimit = spread.nextLong(Math.max(1, bytesLimit / 2), bytesLimit + 1);
    }
  }

  /** The last index of the snapshot the core is based on, or 0. */
  long index() {
    return meta == null ? 0 : meta.lastIndex();
  }

  /**
   * Replaces every machine's state by the snapshot's (at start, or installed from the leader).
   * Namespaces with a section but no machine wait for theirs ({@link #restoreLate}).
   *
   * @throws StorageException when the snapshot cannot be read or a machine refuses it
   */
  void restore(SnapshotMeta snapshot, Map<String, StateMachine> machines) {
    Set<String> sections;
    try {
      sections = SnapshotFormat.restore(store, snapshot, machines, settings.chunkBytes());
    } catch (IOException e) {
      throw new StorageException(
          "cannot restore the state machines from the snapshot through " + snapshot.lastIndex(), e);
    }
    meta = snapshot;
    knownNamespaces.clear();
    knownNamespaces.addAll(sections);
    restartCounts();
    LOG.info("state machines restored node={} snapshotIndex={} namespaces={} registered={}",
        core.nodeId(), snapshot.lastIndex(), sections, new TreeSet<>(machines.keySet()));
  }

  /**
   * A machine registering late gets its namespace's section of the latest snapshot; returns the
   * first index to replay to it from the log.
   */
  long restoreLate(StateMachine machine) throws IOException {
    if (meta == null) {
      return storage.firstIndex();
    }
    SnapshotFormat.restore(store, meta, Map.of(machine.namespace(), machine),
        settings.chunkBytes());
    return meta.lastIndex() + 1;
  }

  /** Counts an applied entry; {@code namespace} is its command's, or null for other entries. */
  void onApplied(LogEntry entry, String namespace) {
    entriesSince++;
    bytesSince += entry.payload().length;
    if (namespace != null) {
      knownNamespaces.add(namespace);
    }
  }

  /**
   * Takes a snapshot through {@code applied} once enough was applied since the last one, unless a
   * namespace with state has no machine registered now.
   */
  void maybeTake(long applied, Map<String, StateMachine> machines) {
    if (storing || applied <= index()
        || (entriesSince < entriesLimit && bytesSince < bytesLimit)) {
      return;
    }
    Set<String> missing = new TreeSet<>(knownNamespaces);
    missing.removeAll(machines.keySet());
    if (!missing.isEmpty()) {
      if (deferredFor.addAll(missing)) {
        LOG.info("snapshot deferred node={} appliedIndex={}: no state machine registered for "
            + "namespaces {}", core.nodeId(), applied, missing);
      }
      return;
    }
    deferredFor.clear();
    take(applied, machines);
  }

  /**
   * Reads the machines' state at {@code index} (on the loop: it must not change meanwhile), then
   * stores and publishes it and compacts the log behind it. A small snapshot is stored inline; one
   * of {@link #BACKGROUND_BYTES} or more is stored by the keeper's own thread while the loop goes
   * on, and compaction follows on the loop once it is published. (Stored inline, 40-50 MB of
   * ZooKeeper tree paused a node's loop for 1.1-1.35 s, about three quarters of it in the store;
   * the node served nobody meanwhile.) No other snapshot starts while one is being stored.
   *
   * @throws StorageException when the store fails (the group must stop)
   */
  private void take(long index, Map<String, StateMachine> machines) {
    long started = System.nanoTime();
    long term = core.termAt(index);
    List<byte[]> chunks;
    try {
      chunks = SnapshotFormat.serialize(core.configurationAt(index), machines.values(),
          settings.chunkBytes());
    } catch (IOException e) {
      LOG.warn("snapshot through {} failed node={}; retrying after the next {} entries: {}",
          index, core.nodeId(), entriesLimit, e.getMessage());
      entriesSince = 0;
      bytesSince = 0;
      return;
    }
    long bytes = 0;
    for (byte[] chunk : chunks) {
      bytes += chunk.length;
    }
    restartCounts();
    if (bytes < BACKGROUND_BYTES) {
      compact(index, term, SnapshotFormat.store(store, index, term, chunks), started, 0);
      return;
    }
    storing = true;
    long serializedMs = (System.nanoTime() - started) / 1_000_000;
    storer.execute(() -> {
      SnapshotMeta taken = null;
      RuntimeException error = null;
      try {
        taken = SnapshotFormat.store(store, index, term, chunks);
      } catch (RuntimeException e) {
        error = e;
      }
      SnapshotMeta published = taken;
      RuntimeException failure = error;
      onLoop.accept(() -> onStored(index, term, published, failure, started, serializedMs));
    });
  }

  /** On the loop: a snapshot stored in the background is published, or was refused or failed. */
  private void onStored(long index, long term, SnapshotMeta taken, RuntimeException error,
      long started, long serializedMs) {
    storing = false;
    if (closed) {
      return;
    }
    if (error instanceof IllegalStateException) {
      // The store holds a newer snapshot: one installed from the leader meanwhile.
      LOG.info("snapshot through {} not published node={}: {}", index, core.nodeId(),
          error.getMessage());
      return;
    }
    if (error != null) {
      storageFailed.accept(error);
      return;
    }
    if (meta != null && meta.lastIndex() >= index) {
      return; // A snapshot installed from the leader meanwhile already emptied the log.
    }
    compact(index, term, taken, started, serializedMs);
  }

  /** The snapshot through {@code index} is published: compact the core and the log behind it. */
  private void compact(long index, long term, SnapshotMeta taken, long started,
      long loopMs) {
    long through = index - settings.trailingEntries();
    long storageTerm = through >= storage.firstIndex() ? storage.term(through) : -1;
    core.compact(index, through, new byte[0]);
    meta = taken;
    if (storageTerm >= 0) {
      storage.compactPrefix(through, storageTerm).whenComplete((done, error) -> {
        if (error != null) {
          storageFailed.accept(error);
        }
      });
    }
    long totalMs = (System.nanoTime() - started) / 1_000_000;
    LOG.info("snapshot taken node={} index={} term={} bytes={} logCompactedThrough={} ms={} "
        + "loopMs={} nextAfterEntries={}", core.nodeId(), index, term, taken.sizeBytes(),
        Math.max(0, through), totalMs, loopMs == 0 ? totalMs : loopMs, entriesLimit);
  }

  /**
   * The core accepted a snapshot from the leader (already published by the receiver): empty the
   * log up to it — truncating only after {@code submittedCommit}, the highest commit index ever
   * submitted, so a hard state in flight never points past the log — then restore the machines.
   *
   * @param trackWrite counts each storage change among the writes later messages wait for
   */
  void install(Snapshot snapshot, long submittedCommit, Map<String, StateMachine> machines,
      Consumer<CompletionStage<?>> trackWrite) {
    SnapshotMeta published = store.latest().orElse(null);
    Check.state(published != null && published.lastIndex() == snapshot.index()
        && published.lastTerm() == snapshot.term(),
        "the core installed the snapshot through %s but the store holds %s", snapshot.index(),
        published);
    long from = Math.max(storage.firstIndex(), submittedCommit + 1);
    if (from <= storage.lastIndex()) {
      trackWrite.accept(storage.write(new LogWrite(null, from, List.of())));
    }
    trackWrite.accept(storage.compactPrefix(snapshot.index(), snapshot.term()));
    restore(published, machines);
  }

  /** The core wants its snapshot sent to a follower: stream it from the store. */
  void send(InstallSnapshot request, long tick) {
    sender.start(request, meta, tick);
  }

  /**
   * A chunk (follower) or its acknowledgement (leader).
   *
   * @return a complete snapshot to step into the core, or null
   */
  InstallSnapshot onTransfer(SnapshotTransfer transfer, long tick) {
    if (transfer instanceof SnapshotTransfer.Ack ack) {
      if (core.role() == Role.LEADER) {
        sender.onAck(ack, tick);
      }
      return null;
    }
    return receiver.onChunk((SnapshotTransfer.Chunk) transfer, core, tick);
  }

  void tick(long tick) {
    sender.tick(tick);
    receiver.tick(tick);
  }

  /** This node stopped leading: its transfers are void. */
  void stoppedLeading() {
    sender.clear();
  }

  /** Discards a transfer being received. */
  /** Stops: waits (bounded) for a snapshot being stored, so the store can then be closed. */
  void close() {
    closed = true;
    receiver.abort();
    storer.shutdown();
    try {
      if (!storer.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("a snapshot was still being stored 30 s after close node={}", core.nodeId());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
