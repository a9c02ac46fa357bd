package io.cairn.framework;

/** A call the master did not accept: its HTTP status (0 when none was reached) and its message. */
public final class FrameworkException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  public FrameworkException(int status, String message) {
    super(message);
    this.status = status;
  }

  public FrameworkException(String message, Throwable cause) {
    super(message, cause);
    this.status = 0;
  }

  /** The master's HTTP status, or 0 when no master answered. */
  public int status() {
    return status;
  }
}
