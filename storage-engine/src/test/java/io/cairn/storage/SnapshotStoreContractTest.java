package io.cairn.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.env.storage.CorruptionException;
import io.cairn.env.storage.SnapshotMeta;
import io.cairn.env.storage.SnapshotStore;
import io.cairn.env.storage.SnapshotStore.SnapshotWriter;
import io.cairn.env.storage.StorageException;
import java.io.ByteArrayOutputStream;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@link SnapshotStore} contract, run against Rocks (real disk) and Sim. */
public abstract class SnapshotStoreContractTest {
  /** The store under test; replaced by {@link #reopen()}. */
  protected SnapshotStore store;

  /** Opens the store on the subclass's medium, which persists across {@link #reopen()}. */
  protected abstract SnapshotStore open();

  /** Damages the stored bytes of the published snapshot; the store is closed while called. */
  protected abstract void corruptPublished();

  @BeforeEach
  void openStore() {
    store = open();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  protected void reopen() {
    store.close();
    store = open();
  }

  private static byte[] bytes(int size, int seed) {
    byte[] out = new byte[size];
    for (int i = 0; i < size; i++) {
      out[i] = (byte) (i * 31 + seed);
    }
    return out;
  }

  private SnapshotMeta writeSnapshot(long lastIndex, long lastTerm, byte[] data, int chunkBytes) {
    SnapshotWriter writer = store.begin(lastIndex, lastTerm);
    for (int from = 0; from < data.length; from += chunkBytes) {
      byte[] chunk = new byte[Math.min(chunkBytes, data.length - from)];
      System.arraycopy(data, from, chunk, 0, chunk.length);
      writer.write(chunk);
    }
    return writer.publish();
  }

  private byte[] readAll(SnapshotMeta meta, int maxBytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long offset = 0;
    while (true) {
      byte[] part = store.read(meta, offset, maxBytes);
      if (part.length == 0) {
        return out.toByteArray();
      }
      assertTrue(part.length <= maxBytes, "read returned more than maxBytes");
      out.write(part, 0, part.length);
      offset += part.length;
    }
  }

  @Test
  void aNewStoreHasNoSnapshot() {
    assertEquals(Optional.empty(), store.latest());
  }

  @Test
  void aSnapshotWrittenInChunksIsPublishedWithItsPositionAndReadsBackInAnyPieces() {
    byte[] data = bytes(10_000, 1);
    SnapshotMeta meta = writeSnapshot(42, 3, data, 3_000);
    assertEquals(new SnapshotMeta(42, 3, 10_000), meta);
    assertEquals(Optional.of(meta), store.latest());
    assertArrayEquals(data, readAll(meta, 777));
    assertArrayEquals(data, readAll(meta, 100_000));
    assertEquals(0, store.read(meta, 10_000, 10).length);
  }

  @Test
  void nothingIsVisibleBeforePublishAndAbortDiscardsEverything() {
    SnapshotMeta first = writeSnapshot(10, 1, bytes(100, 1), 50);
    SnapshotWriter writer = store.begin(20, 1);
    writer.write(bytes(100, 2));
    assertEquals(Optional.of(first), store.latest());
    writer.abort();
    assertThrows(IllegalStateException.class, () -> writer.write(new byte[1]));
    assertEquals(Optional.of(first), store.latest());
  }

  @Test
  void aNewerSnapshotReplacesTheOlderOneWhichIsThenGone() {
    SnapshotMeta older = writeSnapshot(10, 1, bytes(100, 1), 64);
    byte[] data = bytes(300, 2);
    SnapshotMeta newer = writeSnapshot(20, 2, data, 64);
    assertEquals(Optional.of(newer), store.latest());
    assertThrows(StorageException.class, () -> store.read(older, 0, 10));
    reopen();
    assertEquals(Optional.of(newer), store.latest());
    assertArrayEquals(data, readAll(newer, 128));
  }

  @Test
  void publishingAnOlderSnapshotIsRejected() {
    writeSnapshot(20, 2, bytes(10, 1), 10);
    SnapshotWriter stale = store.begin(10, 1);
    stale.write(bytes(10, 2));
    assertThrows(IllegalStateException.class, stale::publish);
    assertEquals(20, store.latest().orElseThrow().lastIndex());
  }

  @Test
  void anUnpublishedSnapshotDoesNotSurviveAReopen() {
    SnapshotMeta published = writeSnapshot(5, 1, bytes(50, 1), 50);
    SnapshotWriter writer = store.begin(9, 1);
    writer.write(bytes(50, 2));
    reopen();
    assertEquals(Optional.of(published), store.latest());
    SnapshotMeta next = writeSnapshot(9, 1, bytes(60, 3), 7);
    assertArrayEquals(bytes(60, 3), readAll(next, 1000));
  }

  @Test
  void anEmptySnapshotIsValid() {
    SnapshotMeta meta = store.begin(1, 1).publish();
    assertEquals(0, meta.sizeBytes());
    assertEquals(0, store.read(meta, 0, 10).length);
  }

  @Test
  void aCorruptSnapshotIsNeverServedAndTheErrorNamesItsLastIndex() {
    SnapshotMeta meta = writeSnapshot(77, 4, bytes(1000, 1), 100);
    store.close();
    store = null;
    corruptPublished();
    store = open();
    CorruptionException e = assertThrows(CorruptionException.class, () -> readAll(meta, 1000));
    assertEquals(77, e.index());
  }

  @Test
  void badArgumentsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> store.begin(0, 1));
    SnapshotMeta meta = writeSnapshot(3, 1, bytes(10, 1), 10);
    assertThrows(IllegalArgumentException.class, () -> store.read(meta, 11, 1));
    assertThrows(IllegalArgumentException.class, () -> store.read(meta, 0, 0));
  }
}
