package io.cairn.framework.jobs.internal.core;

/** A user request the jobs core refused, with the REST status it maps to and one sentence. */
public final class Refusal extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why: the REST layer maps these to 404, 409, 422. */
  public enum Kind { NOT_FOUND, CONFLICT, INVALID }

  private final Kind kind;

  public Refusal(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
