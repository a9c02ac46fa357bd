package io.cairn.consensus.internal.wire;

/**
 * Bytes from a peer that are not a valid Raft message (bad protobuf, missing body, impossible
 * field values). An operating error: the transport drops the frame, counts it and closes the
 * connection; the core never sees it.
 */
public final class MalformedMessageException extends Exception {
  private static final long serialVersionUID = 1L;

  public MalformedMessageException(String message, Throwable cause) {
    super(message, cause);
  }

  public MalformedMessageException(String message) {
    super(message);
  }
}
