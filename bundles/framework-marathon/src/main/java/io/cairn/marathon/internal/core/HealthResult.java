package io.cairn.marathon.internal.core;

/**
 * The state of one Marathon-level health check (HTTP, HTTPS, TCP, probed by the leader) for one
 * task, as Marathon's {@code Health}: {@code alive} once the last counted probe passed;
 * {@code consecutiveFailures} since the last pass; the times are wall-clock millis, 0 when never.
 * Kept in the leader's memory only (a new leader starts over, as Marathon does).
 */
public record HealthResult(boolean alive, int consecutiveFailures, long firstSuccessMillis,
    long lastSuccessMillis, long lastFailureMillis, String lastFailureCause) {

  /** Before the first counted probe. */
  static final HealthResult NONE = new HealthResult(false, 0, 0, 0, 0, null);

  HealthResult passed(long nowMillis) {
    return new HealthResult(true, 0, firstSuccessMillis == 0 ? nowMillis : firstSuccessMillis,
        nowMillis, lastFailureMillis, lastFailureCause);
  }

  HealthResult failed(String cause, long nowMillis) {
    return new HealthResult(false, consecutiveFailures + 1, firstSuccessMillis,
        lastSuccessMillis, nowMillis, cause);
  }
}
