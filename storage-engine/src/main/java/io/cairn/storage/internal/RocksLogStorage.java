package io.cairn.storage.internal;

import io.cairn.env.storage.CorruptionException;
import io.cairn.env.storage.HardState;
import io.cairn.env.storage.LogEntry;
import io.cairn.env.storage.LogStorage;
import io.cairn.env.storage.LogStorageMetrics;
import io.cairn.env.storage.LogWrite;
import io.cairn.env.storage.StorageException;
import io.cairn.env.Check;
import io.cairn.storage.rules.LogRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicated log of one Raft group in its own RocksDB, with group commit.
 *
 * <p>Threading: any thread may call it. Submitters ({@link #write}, {@link #compactPrefix}) are
 * serialised by a submit lock: they check the change, record it in the {@link SubmittedView} (so
 * reads see it at once) and put it on a bounded {@link CommitQueue}, waiting when it is full. One
 * writer thread takes everything queued, encodes it into one {@link WriteBatch} and makes it
 * durable with one synced write (one fdatasync of RocksDB's WAL). The changes then complete in
 * submission order, through the {@link Completer}: inline on the writer thread for a small batch,
 * otherwise on the completer thread while the writer already syncs the next batch. Nothing
 * completes before its sync. Completion callbacks run on those threads: they must not block, and
 * must not call {@link #write} synchronously (hop to the caller's own executor).
 *
 * <p>Failure: the first write error fails the log for good (fail-stop): the batch and everything
 * queued complete exceptionally and every later call throws {@link StorageException}. The owner
 * closes and reopens; RocksDB's WAL recovery (point in time) brings back exactly the synced writes,
 * each all-or-nothing.
 *
 * <p>Layout and checksums: see {@link EntryCodec}. Every entry is verified when read.
 */
public final class RocksLogStorage implements LogStorage {
  private static final Logger LOG = LoggerFactory.getLogger(RocksLogStorage.class);

  private enum Lifecycle {
    OPEN,
    FAILED,
    CLOSED
  }

  private final Path directory;
  private final RocksLogConfig config;
  private final Options options;
  private final RocksDB db;
  private final WriteOptions syncedWrite;
  private final SubmittedView view;
  private final CommitQueue queue;
  private final WriteMetrics metrics = new WriteMetrics();
  private final Object submitLock = new Object();
  private final ReentrantReadWriteLock dbLock = new ReentrantReadWriteLock();
  private final Thread writer;
  private final Completer completer;
  private long submitSequence;
  private volatile HardState durableHardState;
  private volatile Lifecycle lifecycle = Lifecycle.OPEN;
  private volatile StorageException failure;
  private volatile RocksDBException injectedFailure;

  private RocksLogStorage(Path directory, RocksLogConfig config, Options options, RocksDB db) {
    this.directory = directory;
    this.config = config;
    this.options = options;
    this.db = db;
    this.syncedWrite = new WriteOptions().setSync(true);
    this.queue = new CommitQueue(config.queueChangesMax(), config.queueBytesMax());
    Recovered recovered = recover(db);
    this.view =
        new SubmittedView(recovered.firstIndex(), recovered.lastIndex(), recovered.compactTerm());
    this.durableHardState = recovered.hardState();
    this.writer = new Thread(this::runWriter, "cairn-log-writer-" + directory.getFileName());
    this.writer.setDaemon(true);
    this.completer = new Completer("cairn-log-completer-" + directory.getFileName());
  }

  /**
   * Opens (creating if absent) the log stored in {@code directory} and starts its writer thread.
   *
   * @throws StorageException when RocksDB cannot open the directory
   * @throws CorruptionException when the stored log fails its checks
   */
  public static RocksLogStorage open(Path directory, RocksLogConfig config) {
    RocksDB.loadLibrary();
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new StorageException("cannot create log directory " + directory, e);
    }
    Options options =
        new Options()
            .setCreateIfMissing(true)
            .setWalRecoveryMode(WALRecoveryMode.PointInTimeRecovery)
            // Reuse obsolete WAL files instead of creating new ones: an overwrite inside a file's
            // existing size needs no inode update, so each synced write's fdatasync skips the
            // journal commit. Measured here (bench RocksSyncProbe-style, 8 x 300 B per synced
            // write): p50 0.186 -> 0.124 ms, +47% synced writes/s. RocksDB 11 keeps it with
            // point-in-time recovery (it refuses it only for the tolerate-tail and absolute modes).
            .setRecycleLogFileNum(4)
            .setKeepLogFileNum(2)
            .setInfoLogLevel(InfoLogLevel.WARN_LEVEL);
    RocksDB db;
    try {
      db = RocksDB.open(options, directory.toString());
    } catch (RocksDBException e) {
      options.close();
      throw RocksErrors.map("open log " + directory, e);
    }
    try {
      RocksLogStorage storage = new RocksLogStorage(directory, config, options, db);
      storage.completer.start();
      storage.writer.start();
      LOG.info(
          "log opened dir={} firstIndex={} lastIndex={}",
          directory,
          storage.view.firstIndex(),
          storage.view.lastIndex());
      return storage;
    } catch (RuntimeException e) {
      db.close();
      options.close();
      throw e;
    }
  }

  private record Recovered(
      long firstIndex, long lastIndex, long compactTerm, HardState hardState) {}

  /** Reads the compaction point, the hard state and the bounds; verifies both ends of the log. */
  private static Recovered recover(RocksDB db) {
    try {
      long[] compaction = EntryCodec.decodeCompaction(db.get(EntryCodec.COMPACTION_KEY));
      HardState hard = EntryCodec.decodeHardState(db.get(EntryCodec.HARD_STATE_KEY));
      long first = compaction[0] + 1;
      long last = first - 1;
      try (RocksIterator it = db.newIterator()) {
        it.seekForPrev(EntryCodec.entryKey(Long.MAX_VALUE));
        if (it.isValid() && EntryCodec.isEntryKey(it.key())) {
          last = Math.max(last, EntryCodec.indexOf(it.key()));
        }
        it.status();
      }
      if (last >= first) {
        EntryCodec.decodeEntry(first, db.get(EntryCodec.entryKey(first)));
        EntryCodec.decodeEntry(last, db.get(EntryCodec.entryKey(last)));
      }
      return new Recovered(first, last, compaction[1], hard);
    } catch (RocksDBException e) {
      throw RocksErrors.map("recover log", e);
    }
  }

  @Override
  public long firstIndex() {
    checkUsable();
    return view.firstIndex();
  }

  @Override
  public long lastIndex() {
    checkUsable();
    return view.lastIndex();
  }

  @Override
  public long term(long index) {
    checkUsable();
    LogRules.Bounds bounds = view.bounds();
    if (index == bounds.firstIndex() - 1) {
      return view.compactTerm();
    }
    return entry(index, bounds).term();
  }

  @Override
  public HardState hardState() {
    checkUsable();
    return durableHardState;
  }

  @Override
  public List<LogEntry> read(long fromIndex, long toIndexExclusive, long maxBytes) {
    checkUsable();
    LogRules.Bounds bounds = view.bounds();
    checkRange(fromIndex, toIndexExclusive, bounds);
    TreeMap<Long, LogEntry> overlaid = view.overlaid(fromIndex, toIndexExclusive);
    if (overlaid.isEmpty()) {
      return scan(fromIndex, toIndexExclusive, maxBytes);
    }
    List<LogEntry> out = new ArrayList<>();
    long bytes = 0;
    for (long index = fromIndex; index < toIndexExclusive; index++) {
      LogEntry entry = overlaid.get(index);
      if (entry == null) {
        entry = stored(index);
      }
      bytes += entry.payload().length;
      if (!LogRules.fits(out.size(), bytes, maxBytes)) {
        break;
      }
      out.add(entry);
    }
    return out;
  }

  /** Reads a range that RocksDB holds entirely, with one iterator. */
  private List<LogEntry> scan(long fromIndex, long toIndexExclusive, long maxBytes) {
    List<LogEntry> out = new ArrayList<>();
    dbLock.readLock().lock();
    try (RocksIterator it = db.newIterator()) {
      checkUsable();
      it.seek(EntryCodec.entryKey(fromIndex));
      long bytes = 0;
      for (long index = fromIndex; index < toIndexExclusive; index++, it.next()) {
        if (!it.isValid() || !Arrays.equals(it.key(), EntryCodec.entryKey(index))) {
          it.status();
          throw new CorruptionException(index, "entry missing inside the stored range");
        }
        LogEntry entry = EntryCodec.decodeEntry(index, it.value());
        bytes += entry.payload().length;
        if (!LogRules.fits(out.size(), bytes, maxBytes)) {
          break;
        }
        out.add(entry);
      }
      return out;
    } catch (RocksDBException e) {
      throw RocksErrors.map("read log " + directory, e);
    } finally {
      dbLock.readLock().unlock();
    }
  }

  private LogEntry entry(long index, LogRules.Bounds bounds) {
    if (index < bounds.firstIndex() || index > bounds.lastIndex()) {
      throw new IndexOutOfBoundsException(
          "index " + index + " outside [" + bounds.firstIndex() + ", " + bounds.lastIndex() + "]");
    }
    LogEntry overlaid = view.overlaid(index);
    return overlaid != null ? overlaid : stored(index);
  }

  private LogEntry stored(long index) {
    dbLock.readLock().lock();
    try {
      checkUsable();
      return EntryCodec.decodeEntry(index, db.get(EntryCodec.entryKey(index)));
    } catch (RocksDBException e) {
      throw RocksErrors.map("read entry " + index + " of " + directory, e);
    } finally {
      dbLock.readLock().unlock();
    }
  }

  private static void checkRange(long from, long toExclusive, LogRules.Bounds bounds) {
    if (from < bounds.firstIndex() || toExclusive > bounds.lastIndex() + 1 || from > toExclusive) {
      throw new IndexOutOfBoundsException(
          "read ["
              + from
              + ", "
              + toExclusive
              + ") outside ["
              + bounds.firstIndex()
              + ", "
              + (bounds.lastIndex() + 1)
              + ")");
    }
  }

  @Override
  public CompletionStage<Long> write(LogWrite write) {
    Check.argument(write != null, "write must not be null");
    PendingChange change;
    synchronized (submitLock) {
      checkUsable();
      long newLast = LogRules.checkWrite(write, view.bounds(), this::term);
      change = PendingChange.ofWrite(++submitSequence, write, newLast);
      view.submitted(write, newLast, change.sequence());
      enqueue(change);
    }
    return change.done().minimalCompletionStage();
  }

  @Override
  public CompletionStage<Void> compactPrefix(long throughIndex, long term) {
    PendingChange change;
    synchronized (submitLock) {
      checkUsable();
      LogRules.Bounds bounds = view.bounds();
      LogRules.checkCompaction(throughIndex, term, bounds, this::term);
      long newLast = Math.max(bounds.lastIndex(), throughIndex);
      change = PendingChange.ofCompaction(++submitSequence, throughIndex, term, newLast);
      view.compacted(throughIndex, term);
      enqueue(change);
    }
    return change.done().thenApply(last -> (Void) null);
  }

  /** Queues a change already in the view; called with the submit lock held. */
  private void enqueue(PendingChange change) {
    boolean queued;
    try {
      queued = queue.put(change);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failStop(
          new StorageException(
              "interrupted while waiting for room in the commit queue of " + directory),
          List.of(change));
      return;
    }
    if (!queued) {
      StorageException error = failure;
      change
          .done()
          .completeExceptionally(
              error != null
                  ? new StorageException("log failed earlier; reopen it", error)
                  : new IllegalStateException("log " + directory + " is closing"));
    }
  }

  /** The writer thread: one synced RocksDB write per batch, until closed or failed. */
  private void runWriter() {
    try {
      while (true) {
        List<PendingChange> batch =
            queue.takeBatch(config.batchChangesMax(), config.batchBytesMax());
        if (batch.isEmpty() || !commit(batch)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failStop(new StorageException("log writer of " + directory + " was interrupted"), List.of());
    }
  }

  /** Makes {@code batch} durable with one synced write; returns false when the log failed. */
  private boolean commit(List<PendingChange> batch) {
    long entries = 0;
    long bytes = 0;
    HardState hard = null;
    try (WriteBatch writeBatch = new WriteBatch()) {
      for (PendingChange change : batch) {
        encode(change, writeBatch);
        if (!change.isCompaction()) {
          entries += change.write().entries().size();
          bytes += change.payloadBytes();
          hard = change.write().hardState() != null ? change.write().hardState() : hard;
        }
      }
      long start = System.nanoTime();
      RocksDBException injected = injectedFailure;
      if (injected != null) {
        injectedFailure = null;
        throw injected;
      }
      db.write(syncedWrite, writeBatch);
      metrics.recordSync(System.nanoTime() - start, batch.size(), entries, bytes);
    } catch (RocksDBException e) {
      failStop(
          RocksErrors.map("synced write of " + batch.size() + " changes to " + directory, e),
          batch);
      return false;
    }
    if (hard != null) {
      durableHardState = hard;
    }
    view.written(batch.get(batch.size() - 1).sequence());
    completer.deliver(batch, null);
    return true;
  }

  private static void encode(PendingChange change, WriteBatch batch) throws RocksDBException {
    if (change.isCompaction()) {
      batch.deleteRange(EntryCodec.entryKey(0), EntryCodec.entryKey(change.compactThrough() + 1));
      batch.put(
          EntryCodec.COMPACTION_KEY,
          EntryCodec.encodeCompaction(change.compactThrough(), change.compactTerm()));
      return;
    }
    LogWrite write = change.write();
    if (write.truncateFrom() != 0) {
      batch.deleteRange(
          EntryCodec.entryKey(write.truncateFrom()), EntryCodec.entryKey(Long.MAX_VALUE));
    }
    for (LogEntry entry : write.entries()) {
      batch.put(EntryCodec.entryKey(entry.index()), EntryCodec.encodeEntry(entry));
    }
    if (write.hardState() != null) {
      batch.put(EntryCodec.HARD_STATE_KEY, EntryCodec.encodeHardState(write.hardState()));
    }
  }

  /** Fails the log for good: {@code batch} and everything queued complete with {@code error}. */
  private void failStop(StorageException error, List<PendingChange> batch) {
    synchronized (this) {
      if (lifecycle == Lifecycle.OPEN) {
        failure = error;
        lifecycle = Lifecycle.FAILED;
        LOG.error("log failed, stopping writes dir={} error={}", directory, error.getMessage());
      }
    }
    List<PendingChange> failed = new ArrayList<>(batch);
    failed.addAll(queue.closeAndDrain());
    completer.deliver(failed, error);
  }

  private void checkUsable() {
    Lifecycle now = lifecycle;
    if (now == Lifecycle.FAILED) {
      throw new StorageException("log " + directory + " failed earlier; reopen it", failure);
    }
    Check.state(now == Lifecycle.OPEN, "log %s is closed", directory);
  }

  /** The write metrics of this log (counters and histograms), for {@code /metrics}. */
  public LogStorageMetrics metrics() {
    return metrics.snapshot();
  }

  /** Whether the log is still open (it may have failed: then every call but close throws). */
  public boolean isOpen() {
    return lifecycle != Lifecycle.CLOSED;
  }

  /** The directory holding this log's RocksDB. */
  public Path directory() {
    return directory;
  }

  /** Test seam: the next synced write fails with {@code error} instead of reaching RocksDB. */
  void injectNextWriteFailure(RocksDBException error) {
    injectedFailure = error;
  }

  /**
   * Closes cleanly: stops taking changes, lets the writer make everything queued durable and
   * complete it, then closes RocksDB. Idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (lifecycle == Lifecycle.CLOSED) {
        return;
      }
      lifecycle = Lifecycle.CLOSED;
    }
    queue.close();
    joinWriter();
    completer.stop();
    dbLock.writeLock().lock();
    try {
      syncedWrite.close();
      db.closeE();
    } catch (RocksDBException e) {
      LOG.warn(
          "closing log dir={} failed, the next open recovers it: {}", directory, e.getMessage());
    } finally {
      options.close();
      dbLock.writeLock().unlock();
    }
    LOG.info("log closed dir={}", directory);
  }

  private void joinWriter() {
    boolean interrupted = false;
    while (writer.isAlive()) {
      try {
        writer.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
