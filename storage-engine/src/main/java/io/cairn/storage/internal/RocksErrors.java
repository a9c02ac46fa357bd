package io.cairn.storage.internal;

import io.cairn.env.storage.StorageException;
import io.cairn.env.storage.StorageFullException;
import java.util.Locale;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/** Turns RocksDB's errors into the typed {@link StorageException}s of env-api. Pure. */
final class RocksErrors {
  private RocksErrors() {}

  /**
   * Maps {@code error} raised while doing {@code action} (e.g. "synced write of 12 changes to
   * /data/raft/log"): out of space becomes {@link StorageFullException}, anything else a plain
   * {@link StorageException}. The message keeps RocksDB's status code and text.
   */
  static StorageException map(String action, RocksDBException error) {
    Status status = error.getStatus();
    String code = status == null ? "unknown" : status.getCodeString();
    String message = action + " failed: " + code + ": " + error.getMessage();
    if (isNoSpace(status, error.getMessage())) {
      return new StorageFullException(
          message + " (free space on the data directory's device)", error);
    }
    return new StorageException(message, error);
  }

  private static boolean isNoSpace(Status status, String message) {
    if (status != null && status.getSubCode() == Status.SubCode.NoSpace) {
      return true;
    }
    return message != null && message.toLowerCase(Locale.ROOT).contains("no space left");
  }
}
