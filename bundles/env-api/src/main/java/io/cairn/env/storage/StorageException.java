package io.cairn.env.storage;

/**
 * An operating error of durable storage (I/O failure, disk full, corruption). The storage that
 * raised it is failed; its owner stops and must reopen it.
 */
public class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }

  public StorageException(String message) {
    super(message);
  }
}
