package io.cairn.framework.runtime.internal.core;

/**
 * Decides when a subscription is dead: the master sends HEARTBEAT every {@code
 * heartbeat_interval_seconds} (announced in SUBSCRIBED), so a stream silent for {@code
 * missedHeartbeats} intervals is treated as lost, as Mesos's scheduler library does. Before
 * SUBSCRIBED the {@code subscribeTimeoutMs} applies. Pure: the driver feeds it monotonic
 * milliseconds.
 */
public final class HeartbeatWatchdog {
  private final int missedHeartbeats;
  private final long subscribeTimeoutMs;
  private long lastEventMs;
  private long intervalMs;

  /** A watchdog for a stream opened at {@code nowMs}, not yet SUBSCRIBED. */
  public HeartbeatWatchdog(int missedHeartbeats, long subscribeTimeoutMs, long nowMs) {
    if (missedHeartbeats < 1 || subscribeTimeoutMs < 1) {
      throw new IllegalArgumentException("missedHeartbeats and subscribeTimeoutMs must be >= 1,"
          + " were " + missedHeartbeats + " and " + subscribeTimeoutMs);
    }
    this.missedHeartbeats = missedHeartbeats;
    this.subscribeTimeoutMs = subscribeTimeoutMs;
    this.lastEventMs = nowMs;
  }

  /** SUBSCRIBED arrived with the master's heartbeat interval (0 or less: Mesos's 15 s). */
  public void subscribed(double heartbeatIntervalSeconds, long nowMs) {
    intervalMs = heartbeatIntervalSeconds > 0 ? (long) (heartbeatIntervalSeconds * 1000) : 15_000;
    lastEventMs = nowMs;
  }

  /** Any event (HEARTBEAT included) arrived. */
  public void event(long nowMs) {
    lastEventMs = Math.max(lastEventMs, nowMs);
  }

  /** Whether the stream has been silent too long at {@code nowMs}. */
  public boolean expired(long nowMs) {
    long allowed = intervalMs == 0 ? subscribeTimeoutMs : intervalMs * missedHeartbeats;
    return nowMs - lastEventMs > allowed;
  }

  /** How long the stream has been silent. */
  public long silentMs(long nowMs) {
    return nowMs - lastEventMs;
  }
}
