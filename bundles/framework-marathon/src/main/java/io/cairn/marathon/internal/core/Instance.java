package io.cairn.marathon.internal.core;

import io.cairn.marathon.internal.model.AppDefinition;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One launched task of an app as the scheduler tracks it (Marathon's instance with one task).
 * Immutable; the {@link InstanceTracker} replaces it on every change.
 *
 * @param taskId the Mesos task id {@code <app_safe>.instance-<uuid>._app.1}
 * @param appId the app's absolute id
 * @param appVersion the app version it was launched with
 * @param configVersion the app's {@code lastConfigChangeAt} at launch (restarts compare it)
 * @param agentId the agent it runs on
 * @param hostname the agent's hostname
 * @param attributes the agent's attributes, formatted as constraints read them
 * @param hostPorts the host ports assigned, in port-definition order
 * @param state the last Mesos task state, e.g. {@code TASK_RUNNING}
 * @param healthy the last health-check result, or null when none was reported
 * @param stagedAtMillis wall time of the launch
 * @param startedAtMillis wall time of the first TASK_RUNNING, or 0
 * @param killRequested whether the scheduler asked for its kill
 * @param unreachableSinceMillis when it became unreachable, or 0
 * @param healthResults the Marathon-level health checks' results (leader memory only, never
 *     stored), by the check's index in the app's {@code healthChecks}; {@code healthy} is the
 *     Mesos check's (agent) result
 */
public record Instance(String taskId, String appId, String appVersion, String configVersion,
    String agentId, String hostname, Map<String, String> attributes, List<Integer> hostPorts,
    String state, Boolean healthy, long stagedAtMillis, long startedAtMillis,
    boolean killRequested, long unreachableSinceMillis, Map<Integer, HealthResult> healthResults) {

  public Instance {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(appId, "appId");
    attributes = Map.copyOf(attributes);
    hostPorts = List.copyOf(hostPorts);
    healthResults = Map.copyOf(healthResults);
  }

  /** An instance without Marathon-level health results (launched, or loaded from the store). */
  public Instance(String taskId, String appId, String appVersion, String configVersion,
      String agentId, String hostname, Map<String, String> attributes, List<Integer> hostPorts,
      String state, Boolean healthy, long stagedAtMillis, long startedAtMillis,
      boolean killRequested, long unreachableSinceMillis) {
    this(taskId, appId, appVersion, configVersion, agentId, hostname, attributes, hostPorts,
        state, healthy, stagedAtMillis, startedAtMillis, killRequested, unreachableSinceMillis,
        Map.of());
  }

  /** Whether the task is running (and, with health checks, not yet known unhealthy). */
  public boolean running() {
    return state.equals("TASK_RUNNING");
  }

  /** Running and healthy: TASK_RUNNING, and every health check of {@code app} passes. */
  public boolean healthyFor(AppDefinition app) {
    return running() && (app.healthChecks().isEmpty() || Boolean.TRUE.equals(health(app)));
  }

  /**
   * The health as {@code app}'s checks see it: true when every check passes (the Mesos check
   * per the agent's last status, each Marathon-level check per its last counted probe), false
   * when any check failed, null while some check has no result yet (or there are no checks).
   */
  public Boolean health(AppDefinition app) {
    List<AppDefinition.HealthCheckDef> checks = app.healthChecks();
    boolean unknown = checks.isEmpty();
    for (int i = 0; i < checks.size(); i++) {
      Boolean alive = checks.get(i).mesos() ? healthy : alive(i);
      if (Boolean.FALSE.equals(alive)) {
        return false;
      }
      unknown |= alive == null;
    }
    return unknown ? null : Boolean.TRUE;
  }

  /** The Marathon-level check {@code index}'s last result: null when none was counted yet. */
  private Boolean alive(int index) {
    HealthResult result = healthResults.get(index);
    return result == null || result.equals(HealthResult.NONE) ? null : result.alive();
  }

  /** Whether it is unreachable. */
  public boolean unreachable() {
    return unreachableSinceMillis > 0;
  }

  Instance withStatus(String newState, Boolean newHealthy, long startedAt, long unreachable) {
    return new Instance(taskId, appId, appVersion, configVersion, agentId, hostname, attributes,
        hostPorts, newState, newHealthy, stagedAtMillis, startedAt, killRequested, unreachable,
        healthResults);
  }

  Instance withKillRequested() {
    return new Instance(taskId, appId, appVersion, configVersion, agentId, hostname, attributes,
        hostPorts, state, healthy, stagedAtMillis, startedAtMillis, true,
        unreachableSinceMillis, healthResults);
  }

  Instance withHealthResult(int index, HealthResult result) {
    Map<Integer, HealthResult> results = new java.util.HashMap<>(healthResults);
    results.put(index, result);
    return new Instance(taskId, appId, appVersion, configVersion, agentId, hostname, attributes,
        hostPorts, state, healthy, stagedAtMillis, startedAtMillis, killRequested,
        unreachableSinceMillis, results);
  }

  /** Whether a Mesos task state is terminal. */
  public static boolean terminal(String state) {
    return switch (state) {
      case "TASK_FINISHED", "TASK_FAILED", "TASK_KILLED", "TASK_ERROR", "TASK_LOST",
          "TASK_DROPPED", "TASK_GONE", "TASK_GONE_BY_OPERATOR" -> true;
      default -> false;
    };
  }
}
