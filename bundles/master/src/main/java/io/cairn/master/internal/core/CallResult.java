package io.cairn.master.internal.core;

/**
 * The synchronous answer of the core to a scheduler call, which the HTTP driver turns into a
 * status code: ACCEPTED 202 (or 200 for SUBSCRIBE), BAD_REQUEST 400, FORBIDDEN 403, NOT_FOUND 404,
 * NOT_LEADER 307/503. {@code message} is one sentence (empty when accepted).
 */
public record CallResult(Status status, String message) {
  /** How the call was taken. */
  public enum Status {
    ACCEPTED,
    BAD_REQUEST,
    FORBIDDEN,
    NOT_FOUND,
    NOT_LEADER
  }

  public static final CallResult ACCEPTED = new CallResult(Status.ACCEPTED, "");

  public static CallResult badRequest(String message) {
    return new CallResult(Status.BAD_REQUEST, message);
  }

  public static CallResult forbidden(String message) {
    return new CallResult(Status.FORBIDDEN, message);
  }

  public static CallResult notFound(String message) {
    return new CallResult(Status.NOT_FOUND, message);
  }

  public boolean accepted() {
    return status == Status.ACCEPTED;
  }
}
