package io.cairn.coordination.internal.server;

import io.cairn.env.Check;

/**
 * Settings of the coordination server, validated on construction.
 *
 * @param tickMs expiry and reaping granularity (ZooKeeper tickTime)
 * @param minSessionTimeoutMs lower clamp of the negotiated timeout (ZooKeeper: 2 x tick)
 * @param maxSessionTimeoutMs upper clamp (ZooKeeper: 20 x tick)
 * @param containerCheckIntervalMs how often empty containers and expired TTL nodes are reaped
 * @param maxQueuedRequestsPerConnection requests waiting per connection before it is closed
 * @param costlyFourLetterWords whether {@code cons} (one line per connection) is served
 */
public record ServerConfig(
    int tickMs,
    int minSessionTimeoutMs,
    int maxSessionTimeoutMs,
    long containerCheckIntervalMs,
    int maxQueuedRequestsPerConnection,
    boolean costlyFourLetterWords) {
  public ServerConfig {
    Check.argument(tickMs > 0, "tickMs must be > 0, was %s", tickMs);
    Check.argument(
        minSessionTimeoutMs > 0 && minSessionTimeoutMs <= maxSessionTimeoutMs,
        "need 0 < minSessionTimeoutMs <= maxSessionTimeoutMs, was %s and %s",
        minSessionTimeoutMs,
        maxSessionTimeoutMs);
    Check.argument(containerCheckIntervalMs > 0, "containerCheckIntervalMs must be > 0");
    Check.argument(
        maxQueuedRequestsPerConnection > 0, "maxQueuedRequestsPerConnection must be > 0");
  }

  /** ZooKeeper's defaults for tickTime 2000. */
  public static ServerConfig defaults() {
    return new ServerConfig(2000, 4000, 40000, 60000, 10000, false);
  }

  /** Clamps a requested session timeout into [min, max]. */
  public int negotiate(int requestedMs) {
    return Math.max(minSessionTimeoutMs, Math.min(maxSessionTimeoutMs, requestedMs));
  }
}
