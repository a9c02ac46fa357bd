package io.cairn.storage.sim;

import io.cairn.env.storage.CorruptionException;
import io.cairn.env.storage.SnapshotMeta;
import io.cairn.env.storage.SnapshotStore;
import io.cairn.env.storage.StorageException;
import io.cairn.env.Check;
import io.cairn.storage.rules.SnapshotRules;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A deterministic {@link SnapshotStore} for the simulator. Chunks are kept in memory until {@code
 * publish}, which is durable at once (the interface makes it synchronous); a {@link #crash()} loses
 * every snapshot still being written. Only the latest published snapshot is kept, so reading a
 * replaced one fails with {@link StorageException}, as it may in production.
 *
 * <p>Not thread-safe; never starts a thread.
 */
public final class SimSnapshotStore implements SnapshotStore {
  private final SimSnapshotDisk disk;
  private final List<Writer> writers = new ArrayList<>();
  private boolean open = true;

  SimSnapshotStore(SimSnapshotDisk disk) {
    this.disk = disk;
  }

  @Override
  public SnapshotWriter begin(long lastIndex, long lastTerm) {
    checkOpen();
    SnapshotRules.checkBegin(lastIndex, lastTerm);
    Writer writer = new Writer(lastIndex, lastTerm);
    writers.add(writer);
    return writer;
  }

  @Override
  public Optional<SnapshotMeta> latest() {
    checkOpen();
    return Optional.ofNullable(disk.published());
  }

  @Override
  public byte[] read(SnapshotMeta snapshot, long offset, int maxBytes) {
    checkOpen();
    SnapshotRules.checkRead(snapshot, offset, maxBytes);
    if (!snapshot.equals(disk.published())) {
      throw new StorageException("snapshot " + snapshot + " is gone (replaced or never published)");
    }
    if (disk.isCorrupt()) {
      throw new CorruptionException(snapshot.lastIndex(), "simulated snapshot checksum mismatch");
    }
    byte[] bytes = disk.publishedBytes();
    int from = (int) offset;
    int to = (int) Math.min(bytes.length, offset + maxBytes);
    return Arrays.copyOfRange(bytes, from, to);
  }

  /** Crashes the node: snapshots being written are lost; the published one survives. */
  public void crash() {
    Check.state(open, "crash of a closed snapshot store");
    endWriters();
    open = false;
    disk.release(this);
  }

  /** Closes the store; snapshots still being written are discarded. */
  @Override
  public void close() {
    if (open) {
      endWriters();
      open = false;
      disk.release(this);
    }
  }

  private void endWriters() {
    for (Writer writer : writers) {
      writer.state = WriterState.LOST;
    }
    writers.clear();
  }

  private void checkOpen() {
    Check.state(open, "snapshot store is closed");
  }

  private enum WriterState {
    WRITING,
    PUBLISHED,
    ABORTED,
    LOST
  }

  /** One snapshot being written; its bytes live only in memory until publish. */
  private final class Writer implements SnapshotWriter {
    private final long lastIndex;
    private final long lastTerm;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private WriterState state = WriterState.WRITING;

    Writer(long lastIndex, long lastTerm) {
      this.lastIndex = lastIndex;
      this.lastTerm = lastTerm;
    }

    @Override
    public void write(byte[] chunk) {
      checkWriting();
      SnapshotRules.checkChunk(chunk);
      bytes.write(chunk, 0, chunk.length);
    }

    @Override
    public SnapshotMeta publish() {
      checkWriting();
      try {
        SnapshotRules.checkPublish(lastIndex, Optional.ofNullable(disk.published()));
      } catch (IllegalStateException e) {
        abort();
        throw e;
      }
      SnapshotMeta meta = new SnapshotMeta(lastIndex, lastTerm, bytes.size());
      disk.publish(meta, bytes.toByteArray());
      state = WriterState.PUBLISHED;
      writers.remove(this);
      return meta;
    }

    @Override
    public void abort() {
      if (state == WriterState.WRITING) {
        state = WriterState.ABORTED;
        writers.remove(this);
      }
    }

    private void checkWriting() {
      Check.state(
          state == WriterState.WRITING, "snapshot writer through %s is %s", lastIndex, state);
    }
  }
}
