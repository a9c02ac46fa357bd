package io.cairn.storage.internal;

import io.cairn.env.storage.LogStorage;
import io.cairn.env.storage.StorageException;
import io.cairn.storage.LogStorageContractTest;
import java.nio.file.Path;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/** The {@link LogStorage} contract against RocksDB on a real disk (under target/). */
class RocksLogStorageContractTest extends LogStorageContractTest {
  private static final long DEADLINE_SECONDS = 10;
  private final Path dir = TestDirs.create("rocks-log-");

  @AfterEach
  void deleteDir() {
    if (log != null) {
      log.close();
      log = null;
    }
    TestDirs.delete(dir);
  }

  @Override
  protected LogStorage open() {
    return RocksLogStorage.open(dir, RocksLogConfig.DEFAULTS);
  }

  @Override
  protected <T> T durable(LogStorage storage, CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(DEADLINE_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (StorageException) e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } catch (TimeoutException e) {
      throw new AssertionError("not durable within " + DEADLINE_SECONDS + " s", e);
    }
  }

  @Override
  protected void failNextWrite(LogStorage storage, boolean diskFull) {
    Status status =
        new Status(
            Status.Code.IOError,
            diskFull ? Status.SubCode.NoSpace : Status.SubCode.None,
            diskFull ? "No space left on device" : "Input/output error");
    ((RocksLogStorage) storage)
        .injectNextWriteFailure(new RocksDBException("injected: " + status.getState(), status));
  }

  @Override
  protected void corruptStoredEntry(long index) {
    RocksDB.loadLibrary();
    try (Options options = new Options();
        RocksDB db = RocksDB.open(options, dir.toString())) {
      byte[] key = EntryCodec.entryKey(index);
      byte[] value = db.get(key);
      value[value.length - 1] ^= 0x5a;
      db.put(key, value);
    } catch (RocksDBException e) {
      throw new AssertionError("cannot corrupt entry " + index, e);
    }
  }
}
