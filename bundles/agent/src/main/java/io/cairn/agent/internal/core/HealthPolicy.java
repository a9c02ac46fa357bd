package io.cairn.agent.internal.core;

import io.cairn.proto.mesos.v1.Protos.HealthCheck;

/**
 * Judges one task's health-check results as Mesos's health checker does
 * (docs/health-checks.md): failures during the grace period after launch are ignored until the
 * first success; each counted failure is reported as an unhealthy TASK_RUNNING; a success is
 * reported when it changes the task's health; after {@code consecutive_failures} failures in a
 * row the task is killed. Deterministic, single-threaded (the agent's event thread).
 */
public final class HealthPolicy {
  /** What to do after one result. */
  public record Decision(boolean report, boolean healthy, boolean kill, int consecutiveFailures) {}

  private final long graceEndNanos;
  private final int consecutiveFailuresMax;
  private boolean everHealthy;
  private Boolean lastReported; // null until the first report
  private int consecutiveFailures;
  private boolean killed;

  /** A policy for {@code check} of a task that started running at {@code runningNanos}. */
  public HealthPolicy(HealthCheck check, long runningNanos) {
    this.graceEndNanos = runningNanos + seconds(check.getGracePeriodSeconds());
    this.consecutiveFailuresMax = check.getConsecutiveFailures();
  }

  /** One probe result observed at {@code nowNanos}. */
  public Decision onResult(boolean healthy, long nowNanos) {
    if (killed) {
      return new Decision(false, false, false, consecutiveFailures);
    }
    if (healthy) {
      consecutiveFailures = 0;
      everHealthy = true;
      boolean report = !Boolean.TRUE.equals(lastReported);
      lastReported = true;
      return new Decision(report, true, false, 0);
    }
    if (!everHealthy && nowNanos < graceEndNanos) {
      return new Decision(false, false, false, consecutiveFailures);
    }
    consecutiveFailures++;
    lastReported = false;
    boolean kill = consecutiveFailuresMax > 0 && consecutiveFailures >= consecutiveFailuresMax;
    killed = kill;
    return new Decision(true, false, kill, consecutiveFailures);
  }

  /** Seconds as nanos (the proto's doubles). */
  public static long seconds(double seconds) {
    return (long) (seconds * 1_000_000_000L);
  }
}
