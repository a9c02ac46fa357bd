package io.cairn.coordination.internal.server;

/** A shell operation that did not happen, with one sentence saying why. */
public final class OperatorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OperatorException(String sentence) {
    super(sentence);
  }
}
