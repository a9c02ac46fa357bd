package io.cairn.storage;

import io.cairn.env.storage.LogStorage;
import io.cairn.env.storage.StorageException;
import io.cairn.storage.sim.SimLogDisk;
import io.cairn.storage.sim.SimLogStorage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** The {@link LogStorage} contract against the simulated implementation. */
class SimLogStorageContractTest extends LogStorageContractTest {
  private final SimLogDisk disk = new SimLogDisk();

  @Override
  protected LogStorage open() {
    return disk.open();
  }

  @Override
  protected <T> T durable(LogStorage storage, CompletionStage<T> stage) {
    CompletableFuture<T> future = stage.toCompletableFuture();
    if (!future.isDone()) {
      ((SimLogStorage) storage).sync();
    }
    try {
      return future.join();
    } catch (CompletionException e) {
      throw (StorageException) e.getCause();
    }
  }

  @Override
  protected void failNextWrite(LogStorage storage, boolean diskFull) {
    ((SimLogStorage) storage).failNextSync(diskFull);
  }

  @Override
  protected void corruptStoredEntry(long index) {
    disk.corruptEntry(index);
  }
}
