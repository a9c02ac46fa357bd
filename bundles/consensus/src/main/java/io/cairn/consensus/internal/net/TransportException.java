package io.cairn.consensus.internal.net;

/** The transport cannot start (for example, its port is taken); names the node and address. */
public final class TransportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TransportException(String message, Throwable cause) {
    super(message, cause);
  }
}
