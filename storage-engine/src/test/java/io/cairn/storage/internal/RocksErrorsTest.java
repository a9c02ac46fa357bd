package io.cairn.storage.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.env.storage.StorageException;
import io.cairn.env.storage.StorageFullException;
import org.junit.jupiter.api.Test;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/** RocksDB errors become typed storage errors. */
class RocksErrorsTest {
  @Test
  void noSpaceBecomesStorageFull() {
    Status status = new Status(Status.Code.IOError, Status.SubCode.NoSpace, "full");
    StorageException e = RocksErrors.map("write", new RocksDBException("full", status));
    assertInstanceOf(StorageFullException.class, e);
    assertTrue(e.getMessage().contains("write failed"), e.getMessage());
  }

  @Test
  void aNoSpaceMessageWithoutSubCodeIsStillStorageFull() {
    StorageException e =
        RocksErrors.map("write", new RocksDBException("IO error: No space left on device"));
    assertInstanceOf(StorageFullException.class, e);
  }

  @Test
  void otherErrorsArePlainStorageErrors() {
    Status status = new Status(Status.Code.IOError, Status.SubCode.None, "EIO");
    StorageException e = RocksErrors.map("sync", new RocksDBException("EIO", status));
    assertFalse(e instanceof StorageFullException);
    assertTrue(e.getMessage().contains("IOError"), e.getMessage());
  }
}
