package io.cairn.storage.internal;

import io.cairn.env.storage.SnapshotStore;
import io.cairn.storage.SnapshotStoreContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/** The {@link SnapshotStore} contract against RocksDB on a real disk (under target/). */
class RocksSnapshotStoreContractTest extends SnapshotStoreContractTest {
  private final Path dir = TestDirs.create("rocks-snap-");

  @AfterEach
  void deleteDir() {
    if (store != null) {
      store.close();
      store = null;
    }
    TestDirs.delete(dir);
  }

  @Override
  protected SnapshotStore open() {
    return RocksSnapshotStore.open(dir);
  }

  @Override
  protected void corruptPublished() {
    try (Options options = new Options();
        RocksDB db = RocksDB.open(options, dir.toString());
        RocksIterator it = db.newIterator()) {
      it.seek(new byte[] {SnapshotCodec.CHUNK_PREFIX});
      byte[] key = it.key();
      byte[] value = it.value();
      value[value.length - 1] ^= 0x11;
      db.put(key, value);
    } catch (RocksDBException e) {
      throw new AssertionError("cannot corrupt the snapshot", e);
    }
  }
}
