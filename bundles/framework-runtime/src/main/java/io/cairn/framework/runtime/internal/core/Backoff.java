package io.cairn.framework.runtime.internal.core;

/**
 * Exponential backoff between subscription attempts: {@code initialMs * 2^(failures-1)}, capped at
 * {@code maxMs}. Pure: the caller counts failures and arms the timer.
 *
 * @param initialMs the delay after the first failure, at least 1
 * @param maxMs the cap, at least {@code initialMs}
 */
public record Backoff(long initialMs, long maxMs) {
  public Backoff {
    if (initialMs < 1 || maxMs < initialMs) {
      throw new IllegalArgumentException("backoff needs 1 <= initialMs <= maxMs, was initialMs="
          + initialMs + " maxMs=" + maxMs);
    }
  }

  /** The delay before the next attempt after {@code failures} consecutive failures (0: none). */
  public long delayMs(int failures) {
    if (failures <= 0) {
      return 0;
    }
    long delay = initialMs;
    for (int i = 1; i < failures && delay < maxMs; i++) {
      delay *= 2;
    }
    return Math.min(delay, maxMs);
  }
}
