package io.cairn.storage.internal;

import io.cairn.env.storage.CorruptionException;
import io.cairn.env.storage.SnapshotMeta;
import io.cairn.env.storage.SnapshotStore;
import io.cairn.env.storage.StorageException;
import io.cairn.env.Check;
import io.cairn.storage.rules.SnapshotRules;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
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
 * Snapshots of one Raft group in their own RocksDB (layout in {@link SnapshotCodec}).
 *
 * <p>Chunks are written unsynced under a fresh snapshot id. {@code publish} syncs the WAL (making
 * every chunk durable), then in one synced write batch records the published (lastIndex, lastTerm,
 * size) and deletes the previously published snapshot: a crash leaves either the old snapshot or
 * the complete new one. Chunks of snapshots never published are deleted when the store opens. Every
 * chunk carries a CRC32C, verified on read.
 *
 * <p>Thread-safe. A {@link SnapshotWriter} is used by one thread at a time.
 */
public final class RocksSnapshotStore implements SnapshotStore {
  private static final Logger LOG = LoggerFactory.getLogger(RocksSnapshotStore.class);

  private record Published(long id, SnapshotMeta meta) {}

  private final Path directory;
  private final Options options;
  private final RocksDB db;
  private final WriteOptions syncedWrite = new WriteOptions().setSync(true);
  private final WriteOptions unsyncedWrite = new WriteOptions();
  private final ReentrantReadWriteLock dbLock = new ReentrantReadWriteLock();
  private final Object publishLock = new Object();
  private final AtomicLong nextId;
  private volatile Published latest;
  private volatile boolean open = true;

  private RocksSnapshotStore(Path directory, Options options, RocksDB db) {
    this.directory = directory;
    this.options = options;
    this.db = db;
    long maxId = recover();
    this.nextId = new AtomicLong(maxId + 1);
  }

  /** Opens (creating if absent) the snapshot store in {@code directory}. */
  public static RocksSnapshotStore open(Path directory) {
    RocksDB.loadLibrary();
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new StorageException("cannot create snapshot directory " + directory, e);
    }
    Options options =
        new Options()
            .setCreateIfMissing(true)
            .setWalRecoveryMode(WALRecoveryMode.PointInTimeRecovery)
            .setKeepLogFileNum(2)
            .setInfoLogLevel(InfoLogLevel.WARN_LEVEL);
    try {
      RocksDB db = RocksDB.open(options, directory.toString());
      try {
        return new RocksSnapshotStore(directory, options, db);
      } catch (RuntimeException e) {
        db.close();
        throw e;
      }
    } catch (RocksDBException e) {
      options.close();
      throw RocksErrors.map("open snapshot store " + directory, e);
    } catch (RuntimeException e) {
      options.close();
      throw e;
    }
  }

  /** Finds the latest published snapshot, deletes leftovers; returns the highest id seen. */
  private long recover() {
    TreeMap<Long, SnapshotMeta> published = new TreeMap<>();
    TreeSet<Long> chunkIds = new TreeSet<>();
    try (RocksIterator it = db.newIterator()) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        byte[] key = it.key();
        if (SnapshotCodec.isPublishedKey(key)) {
          published.put(SnapshotCodec.idOf(key), SnapshotCodec.decodeMeta(it.value()));
        } else if (SnapshotCodec.isChunkKey(key)) {
          chunkIds.add(SnapshotCodec.idOf(key));
        }
      }
      it.status();
      if (!published.isEmpty()) {
        latest = new Published(published.lastKey(), published.lastEntry().getValue());
      }
      deleteLeftovers(published, chunkIds);
    } catch (RocksDBException e) {
      throw RocksErrors.map("recover snapshot store " + directory, e);
    }
    long maxId = published.isEmpty() ? 0 : published.lastKey();
    return chunkIds.isEmpty() ? maxId : Math.max(maxId, chunkIds.last());
  }

  private void deleteLeftovers(TreeMap<Long, SnapshotMeta> published, TreeSet<Long> chunkIds)
      throws RocksDBException {
    try (WriteBatch batch = new WriteBatch()) {
      for (long id : chunkIds) {
        if (latest == null || id != latest.id()) {
          deleteChunks(batch, id);
        }
      }
      for (long id : published.keySet()) {
        if (id != latest.id()) {
          batch.delete(SnapshotCodec.publishedKey(id));
        }
      }
      if (batch.count() > 0) {
        LOG.info("snapshot store dir={} deleting {} leftover records", directory, batch.count());
        db.write(syncedWrite, batch);
      }
    }
  }

  private static void deleteChunks(WriteBatch batch, long id) throws RocksDBException {
    batch.deleteRange(SnapshotCodec.chunkKey(id, 0), SnapshotCodec.chunkKey(id + 1, 0));
  }

  @Override
  public SnapshotWriter begin(long lastIndex, long lastTerm) {
    checkOpen();
    SnapshotRules.checkBegin(lastIndex, lastTerm);
    return new Writer(nextId.getAndIncrement(), lastIndex, lastTerm);
  }

  @Override
  public Optional<SnapshotMeta> latest() {
    checkOpen();
    Published now = latest;
    return now == null ? Optional.empty() : Optional.of(now.meta());
  }

  @Override
  public byte[] read(SnapshotMeta snapshot, long offset, int maxBytes) {
    checkOpen();
    SnapshotRules.checkRead(snapshot, offset, maxBytes);
    Published now = latest;
    if (now == null || !now.meta().equals(snapshot)) {
      throw new StorageException("snapshot " + snapshot + " is gone (replaced or never published)");
    }
    if (offset == snapshot.sizeBytes()) {
      return new byte[0];
    }
    dbLock.readLock().lock();
    try (RocksIterator it = db.newIterator()) {
      checkOpen();
      return readChunks(it, now, offset, maxBytes);
    } finally {
      dbLock.readLock().unlock();
    }
  }

  private byte[] readChunks(RocksIterator it, Published snapshot, long offset, int maxBytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long position = offset;
    long end = Math.min(snapshot.meta().sizeBytes(), offset + maxBytes);
    it.seekForPrev(SnapshotCodec.chunkKey(snapshot.id(), offset));
    while (position < end) {
      if (!it.isValid()
          || !SnapshotCodec.isChunkKey(it.key())
          || SnapshotCodec.idOf(it.key()) != snapshot.id()) {
        if (latest != snapshot) {
          throw new StorageException("snapshot " + snapshot.meta() + " was replaced while read");
        }
        throw new CorruptionException(
            snapshot.meta().lastIndex(), "snapshot chunk covering offset " + position + " missing");
      }
      long chunkOffset = SnapshotCodec.offsetOf(it.key());
      byte[] bytes =
          SnapshotCodec.decodeChunk(
              snapshot.id(), chunkOffset, it.value(), snapshot.meta().lastIndex());
      int from = (int) (position - chunkOffset);
      int length = (int) Math.min(bytes.length - from, end - position);
      out.write(bytes, from, length);
      position += length;
      it.next();
    }
    return out.toByteArray();
  }

  @Override
  public void close() {
    dbLock.writeLock().lock();
    try {
      if (!open) {
        return;
      }
      open = false;
      syncedWrite.close();
      unsyncedWrite.close();
      db.closeE();
    } catch (RocksDBException e) {
      LOG.warn(
          "closing snapshot store dir={} failed, the next open recovers it: {}",
          directory,
          e.getMessage());
    } finally {
      options.close();
      dbLock.writeLock().unlock();
    }
  }

  /** Whether the store is still open. */
  public boolean isOpen() {
    return open;
  }

  private void checkOpen() {
    Check.state(open, "snapshot store %s is closed", directory);
  }

  private enum WriterState {
    WRITING,
    PUBLISHED,
    ABORTED,
    FAILED
  }

  /** One snapshot being written under its own id. */
  private final class Writer implements SnapshotWriter {
    private final long id;
    private final long lastIndex;
    private final long lastTerm;
    private long size;
    private WriterState state = WriterState.WRITING;

    Writer(long id, long lastIndex, long lastTerm) {
      this.id = id;
      this.lastIndex = lastIndex;
      this.lastTerm = lastTerm;
    }

    @Override
    public void write(byte[] chunk) {
      checkWriting();
      SnapshotRules.checkChunk(chunk);
      if (chunk.length == 0) {
        return;
      }
      dbLock.readLock().lock();
      try {
        checkOpen();
        db.put(
            unsyncedWrite,
            SnapshotCodec.chunkKey(id, size),
            SnapshotCodec.encodeChunk(id, size, chunk));
        size += chunk.length;
      } catch (RocksDBException e) {
        state = WriterState.FAILED;
        throw RocksErrors.map("write snapshot chunk through " + lastIndex + " to " + directory, e);
      } finally {
        dbLock.readLock().unlock();
      }
    }

    @Override
    public SnapshotMeta publish() {
      checkWriting();
      SnapshotMeta meta = new SnapshotMeta(lastIndex, lastTerm, size);
      synchronized (publishLock) {
        Published previous = latest;
        try {
          SnapshotRules.checkPublish(lastIndex, latest());
        } catch (IllegalStateException e) {
          abort();
          throw e;
        }
        commitPublish(meta, previous);
        latest = new Published(id, meta);
      }
      state = WriterState.PUBLISHED;
      LOG.info(
          "snapshot published dir={} lastIndex={} lastTerm={} bytes={}",
          directory,
          lastIndex,
          lastTerm,
          size);
      return meta;
    }

    private void commitPublish(SnapshotMeta meta, Published previous) {
      dbLock.readLock().lock();
      try (WriteBatch batch = new WriteBatch()) {
        checkOpen();
        batch.put(SnapshotCodec.publishedKey(id), SnapshotCodec.encodeMeta(meta));
        if (previous != null) {
          batch.delete(SnapshotCodec.publishedKey(previous.id()));
          deleteChunks(batch, previous.id());
        }
        db.syncWal();
        db.write(syncedWrite, batch);
      } catch (RocksDBException e) {
        state = WriterState.FAILED;
        throw RocksErrors.map("publish snapshot through " + lastIndex + " in " + directory, e);
      } finally {
        dbLock.readLock().unlock();
      }
    }

    @Override
    public void abort() {
      if (state != WriterState.WRITING) {
        return;
      }
      state = WriterState.ABORTED;
      dbLock.readLock().lock();
      try (WriteBatch batch = new WriteBatch()) {
        if (open) {
          deleteChunks(batch, id);
          db.write(unsyncedWrite, batch);
        }
      } catch (RocksDBException e) {
        LOG.warn(
            "abort of snapshot id={} dir={} left chunks behind, deleted at next open: {}",
            id,
            directory,
            e.getMessage());
      } finally {
        dbLock.readLock().unlock();
      }
    }

    private void checkWriting() {
      Check.state(
          state == WriterState.WRITING, "snapshot writer through %s is %s", lastIndex, state);
    }
  }
}
