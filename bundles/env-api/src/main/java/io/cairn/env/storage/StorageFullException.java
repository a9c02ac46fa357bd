package io.cairn.env.storage;

/** The device holding the data directory has no space left; nothing of the failed write is kept. */
public class StorageFullException extends StorageException {
  private static final long serialVersionUID = 1L;

  public StorageFullException(String message, Throwable cause) {
    super(message, cause);
  }
}
