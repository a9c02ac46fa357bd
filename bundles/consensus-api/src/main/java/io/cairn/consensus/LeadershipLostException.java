package io.cairn.consensus;

/**
 * Leadership changed before the outcome of a request was known: the command may or may not have
 * been committed. Commands should be idempotent, or the caller must read before retrying.
 */
public class LeadershipLostException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LeadershipLostException(String message) {
    super(message);
  }
}
