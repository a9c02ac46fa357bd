package io.cairn.master.internal.core;

import io.cairn.env.Check;

/**
 * The master's timing settings (Mesos master flags), all in milliseconds.
 *
 * @param allocationIntervalMs batch allocation period ({@code --allocation_interval}, 1 s)
 * @param heartbeatIntervalMs HEARTBEAT events on every scheduler stream (15 s)
 * @param agentPingTimeoutMs ping period and the time allowed for each pong ({@code
 *     --agent_ping_timeout}, 15 s)
 * @param maxAgentPingTimeouts missed pongs in a row before the agent is unreachable ({@code
 *     --max_agent_ping_timeouts}, 5)
 * @param agentReregisterTimeoutMs how long after its election the master waits for agents of the
 *     registry to re-register before marking them unreachable ({@code --agent_reregister_timeout},
 *     10 min)
 * @param agentRemovalIntervalMs at least this long between two agents marked unreachable ({@code
 *     --agent_removal_rate_limit} 1/10mins is 600000); 0 means no limit (Mesos's default)
 */
public record MasterSettings(
    long allocationIntervalMs,
    long heartbeatIntervalMs,
    long agentPingTimeoutMs,
    int maxAgentPingTimeouts,
    long agentReregisterTimeoutMs,
    long agentRemovalIntervalMs) {
  /** Mesos's defaults. */
  public static final MasterSettings DEFAULTS =
      new MasterSettings(1_000, 15_000, 15_000, 5, 600_000, 0);

  /** Validates that every value is positive. */
  public MasterSettings {
    Check.argument(allocationIntervalMs > 0, "allocationIntervalMs must be > 0, was %s",
        allocationIntervalMs);
    Check.argument(heartbeatIntervalMs > 0, "heartbeatIntervalMs must be > 0, was %s",
        heartbeatIntervalMs);
    Check.argument(agentPingTimeoutMs > 0, "agentPingTimeoutMs must be > 0, was %s",
        agentPingTimeoutMs);
    Check.argument(maxAgentPingTimeouts > 0, "maxAgentPingTimeouts must be > 0, was %s",
        maxAgentPingTimeouts);
    Check.argument(agentReregisterTimeoutMs > 0, "agentReregisterTimeoutMs must be > 0, was %s",
        agentReregisterTimeoutMs);
    Check.argument(agentRemovalIntervalMs >= 0, "agentRemovalIntervalMs must be >= 0, was %s",
        agentRemovalIntervalMs);
  }

  /** How long an agent may stay silent before it is unreachable. */
  public long totalPingTimeoutMs() {
    return agentPingTimeoutMs * maxAgentPingTimeouts;
  }
}
