package io.cairn.marathon.internal.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.marathon.internal.model.AppDefinition;
import io.cairn.marathon.internal.model.AppJson;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Marathon's leader-side health checking ({@code HealthCheckActor}) of the HTTP, HTTPS and TCP
 * checks: which probes are due ({@link #due}), and what a probe's outcome does to its task
 * ({@link #outcome}): the grace period, the per-check {@link HealthResult}, the events, and the
 * kill after {@code maxConsecutiveFailures}. Mesos checks are not probed here: the agent runs
 * them and reports in status updates.
 *
 * <p>Deterministic and without I/O: time is passed in, a probe is an effect that the driver runs
 * and whose outcome comes back as an input. The only state kept here is when each task's checks
 * were last probed; the results live on the {@link Instance} (leader memory only, so a new
 * leader probes again). Not thread-safe: {@link MarathonCore} uses it on its thread.
 */
final class HealthChecks {
  /** When each task's Marathon-level health checks were last probed, by check index. */
  private final Map<String, Map<Integer, Long>> lastProbeMillis = new HashMap<>();

  /** Forgets a task that is no longer tracked. */
  void forget(String taskId) {
    lastProbeMillis.remove(taskId);
  }

  /** Forgets every task (the core reloads its state). */
  void clear() {
    lastProbeMillis.clear();
  }

  /**
   * The probes due now, in the order of {@code instances}, recorded as started: for each running
   * task not being killed, each Marathon-level check of {@code definition(task)} (the version it
   * was launched with; null for an orphan, which has none), once every {@code intervalSeconds}.
   */
  List<Effects.HealthProbe> due(Collection<Instance> instances,
      Function<Instance, AppDefinition> definition, long nowMillis) {
    List<Effects.HealthProbe> due = new ArrayList<>();
    for (Instance instance : instances) {
      if (!instance.running() || instance.killRequested()) {
        continue;
      }
      AppDefinition app = definition.apply(instance);
      List<AppDefinition.HealthCheckDef> checks = app == null ? List.of() : app.healthChecks();
      for (int i = 0; i < checks.size(); i++) {
        AppDefinition.HealthCheckDef check = checks.get(i);
        if (check.mesos()) {
          continue; // the agent runs it
        }
        Map<Integer, Long> last = lastProbeMillis.computeIfAbsent(instance.taskId(),
            k -> new HashMap<>());
        Long at = last.get(i);
        if (at != null && nowMillis - at < check.intervalSeconds() * 1000L) {
          continue;
        }
        last.put(i, nowMillis);
        due.add(probe(instance, i, check));
      }
    }
    return due;
  }

  /**
   * The probe of check {@code index} against a task: on {@code port}, else the host port at
   * {@code portIndex} (default 0; 0 when the task has no such port); a URL for HTTP and HTTPS.
   */
  static Effects.HealthProbe probe(Instance instance, int index,
      AppDefinition.HealthCheckDef check) {
    int port;
    if (check.port() != null) {
      port = check.port();
    } else {
      int portIndex = check.portIndex() == null ? 0 : check.portIndex();
      port = portIndex < instance.hostPorts().size() ? instance.hostPorts().get(portIndex) : 0;
    }
    String path = check.path().startsWith("/") ? check.path() : "/" + check.path();
    String url = check.protocol().equals("TCP") ? null
        : check.protocol().toLowerCase(Locale.ROOT) + "://" + instance.hostname()
            + ":" + port + path;
    return new Effects.HealthProbe(instance.taskId(), index, check.protocol(),
        instance.hostname(), port, url, check.timeoutSeconds(), check.ignoreHttp1xx());
  }

  /**
   * What a counted probe outcome does to its task.
   *
   * @param instance the task with the check's new result (to be tracked in place of the old)
   * @param events to publish, in order: {@code failed_health_check_event},
   *     {@code health_status_changed_event}, {@code unhealthy_instance_kill_event}, each only
   *     when it applies
   * @param kill whether the task must be killed ({@code maxConsecutiveFailures} reached)
   * @param healthChanged whether the task's health over all checks changed
   */
  record Outcome(Instance instance, List<ObjectNode> events, boolean kill,
      boolean healthChanged) {
    Outcome {
      events = List.copyOf(events);
    }
  }

  /**
   * A probe's outcome for check {@code checkIndex} of {@code app} (the definition the task was
   * launched with), as Marathon's {@code HealthCheckActor}; null when it changes nothing:
   * {@code passed} null (no result, e.g. an ignored 1xx answer), no such Marathon-level check any
   * more (the app changed since the probe started), or a failure while the task has never passed
   * this check and is within {@code gracePeriodSeconds} of its start. A counted failure emits
   * {@code failed_health_check_event}; at {@code maxConsecutiveFailures} (when above 0)
   * consecutive failures the task is to be killed ({@code unhealthy_instance_kill_event}).
   */
  static Outcome outcome(Instance instance, AppDefinition app, int checkIndex, Boolean passed,
      String cause, long nowMillis) {
    if (passed == null || app == null || checkIndex < 0
        || checkIndex >= app.healthChecks().size() || app.healthChecks().get(checkIndex).mesos()) {
      return null;
    }
    String taskId = instance.taskId();
    AppDefinition.HealthCheckDef check = app.healthChecks().get(checkIndex);
    HealthResult before = instance.healthResults().getOrDefault(checkIndex, HealthResult.NONE);
    List<ObjectNode> events = new ArrayList<>();
    HealthResult after;
    if (passed) {
      after = before.passed(nowMillis);
    } else {
      boolean inGrace = before.firstSuccessMillis() == 0 && (instance.startedAtMillis() == 0
          || nowMillis < instance.startedAtMillis() + check.gracePeriodSeconds() * 1000L);
      if (inGrace) {
        return null;
      }
      after = before.failed(cause, nowMillis);
      events.add(Events.event("failed_health_check_event", nowMillis)
          .put("appId", instance.appId()).put("instanceId", taskId)
          .set("healthCheck", AppJson.healthCheck(check)));
    }
    Instance updated = instance.withHealthResult(checkIndex, after);
    if (before.alive() != after.alive()) {
      events.add(Events.event("health_status_changed_event", nowMillis)
          .put("appId", instance.appId()).put("instanceId", taskId)
          .put("version", instance.appVersion()).put("alive", after.alive()));
    }
    boolean kill = !passed && check.maxConsecutiveFailures() > 0
        && after.consecutiveFailures() >= check.maxConsecutiveFailures();
    if (kill) {
      events.add(Events.event("unhealthy_instance_kill_event", nowMillis)
          .put("appId", instance.appId()).put("taskId", taskId).put("instanceId", taskId)
          .put("version", instance.appVersion())
          .put("reason", check.protocol() + " health check failed "
              + after.consecutiveFailures() + " times in a row: " + cause)
          .put("host", instance.hostname()).put("slaveId", instance.agentId()));
    }
    return new Outcome(updated, events, kill,
        !Objects.equals(instance.health(app), updated.health(app)));
  }

  /**
   * Running, and every health check of {@code launched} (the version the task was launched
   * with; null for an orphan: running suffices) passes.
   */
  static boolean healthy(Instance instance, AppDefinition launched) {
    return launched == null ? instance.running() : instance.healthyFor(launched);
  }

  /**
   * Health as a rolling restart of {@code current} sees it: a new instance must be
   * {@link #healthy}; an old one counts as healthy unless it runs no more or a check failed.
   * Marathon-level results live in memory, so after a fail-over the old instances have none
   * until their first probes: they must not be killed as unhealthy for that.
   */
  static boolean healthyForRestart(Instance instance, AppDefinition current,
      AppDefinition launched) {
    if (instance.configVersion().equals(current.versionInfo().lastConfigChangeAt())) {
      return healthy(instance, launched);
    }
    if (launched == null || launched.healthChecks().isEmpty()) {
      return instance.running();
    }
    if (launched.mesosHealthCheck() != null && !Boolean.TRUE.equals(instance.healthy())) {
      return instance.healthyFor(launched); // the agent's result is stored: as before
    }
    return instance.running() && !Boolean.FALSE.equals(instance.health(launched));
  }
}
