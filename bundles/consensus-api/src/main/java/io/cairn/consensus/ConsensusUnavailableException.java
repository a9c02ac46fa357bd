package io.cairn.consensus;

/** The group is stopped or its storage failed; nothing is accepted until it is restarted. */
public class ConsensusUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConsensusUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
