package io.cairn.marathon.internal.core;

import io.cairn.marathon.internal.model.AppDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Marathon's readiness checks ({@code ReadinessBehavior}): a task launched by a deployment of an
 * app with {@code readinessChecks} awaits readiness until the first check's probe answers with
 * one of {@code httpStatusCodesForReady}; until then it does not count for its deployment. This
 * class keeps which tasks await readiness, when each was last probed and its last result, says
 * which probes are due ({@link #due}) and records their outcomes ({@link #record}).
 *
 * <p>Deterministic and without I/O: time is passed in, a probe is an effect that the driver runs.
 * The state lives in memory only: after a fail-over the instances a new leader loads count as
 * ready. Not thread-safe: {@link MarathonCore} uses it on its thread.
 */
final class ReadinessChecks {
  /** Tasks launched by a deployment of an app with a readiness check, not yet ready. */
  private final Set<String> awaiting = new LinkedHashSet<>();
  /** The last readiness result per task (of tasks still tracked). */
  private final Map<String, ReadinessResult> results = new HashMap<>();
  /** When each awaiting task was last probed. */
  private final Map<String, Long> lastProbeMillis = new HashMap<>();

  /**
   * A deployment launched {@code taskId} for {@code app}: with readiness checks, the task now
   * awaits readiness.
   */
  void launchedByDeployment(AppDefinition app, String taskId) {
    if (!app.readinessChecks().isEmpty()) {
      awaiting.add(taskId);
    }
  }

  /**
   * Whether a task counts for a deployment as far as readiness goes: true unless it awaits
   * readiness.
   */
  boolean ready(String taskId) {
    return !awaiting.contains(taskId);
  }

  /** The task's last readiness result, or null. */
  ReadinessResult result(String taskId) {
    return results.get(taskId);
  }

  /** Forgets a task that is no longer tracked. */
  void forget(String taskId) {
    awaiting.remove(taskId);
    results.remove(taskId);
    lastProbeMillis.remove(taskId);
  }

  /** Forgets every task (the core reloads its state). */
  void clear() {
    awaiting.clear();
    results.clear();
    lastProbeMillis.clear();
  }

  /**
   * The probes due now, recorded as started, in launch order: one per running task that awaits
   * readiness and was not probed for the check's {@code intervalSeconds}. A task whose app is
   * gone or has no readiness check any more awaits nothing. A check whose {@code portName} names
   * no port definition is not probed; its result says why.
   *
   * @param instances the tracked instances by task id
   * @param apps the current app definitions by app id
   */
  List<Effects.ReadinessProbe> due(Map<String, Instance> instances,
      Map<String, AppDefinition> apps, long nowMillis) {
    List<Effects.ReadinessProbe> due = new ArrayList<>();
    for (String taskId : List.copyOf(awaiting)) {
      Instance instance = instances.get(taskId);
      AppDefinition app = instance == null ? null : apps.get(instance.appId());
      if (app == null || app.readinessChecks().isEmpty()) {
        awaiting.remove(taskId); // the app changed: nothing left to wait for
        continue;
      }
      if (!instance.running()) {
        continue; // checks start once the task runs
      }
      AppDefinition.ReadinessCheck check = app.readinessChecks().get(0);
      Long last = lastProbeMillis.get(taskId);
      if (last != null && nowMillis - last < check.intervalSeconds() * 1000L) {
        continue;
      }
      lastProbeMillis.put(taskId, nowMillis);
      int port = port(app, check, instance);
      if (port <= 0) {
        results.put(taskId, new ReadinessResult(check.name(), taskId, false, 0, null,
            "no port named '" + check.portName() + "' among the app's port definitions",
            nowMillis));
        continue;
      }
      String path = check.path().startsWith("/") ? check.path() : "/" + check.path();
      due.add(new Effects.ReadinessProbe(taskId, check.name(),
          check.protocol().toLowerCase(Locale.ROOT) + "://" + instance.hostname() + ":"
              + port + path, check.timeoutSeconds()));
    }
    return due;
  }

  /** The host port of the port definition named by the check, or 0. */
  private static int port(AppDefinition app, AppDefinition.ReadinessCheck check,
      Instance instance) {
    List<AppDefinition.PortDefinition> definitions = app.portDefinitions();
    for (int i = 0; i < definitions.size() && i < instance.hostPorts().size(); i++) {
      if (check.portName().equals(definitions.get(i).name())) {
        return instance.hostPorts().get(i);
      }
    }
    return 0;
  }

  /**
   * A readiness probe's outcome for {@code instance} of {@code app} (its current definition, or
   * null when gone): the HTTP status (0 when there was no response; {@code body} then says why).
   * Recorded only while the task awaits readiness and the app still has a readiness check (else
   * it is a late answer). The response is kept with {@code preserveLastResponse} or status 0.
   *
   * @return whether the task just became ready (it is not probed again)
   */
  boolean record(Instance instance, AppDefinition app, int status, String contentType,
      String body, long nowMillis) {
    String taskId = instance.taskId();
    if (!awaiting.contains(taskId) || app == null || app.readinessChecks().isEmpty()) {
      return false;
    }
    AppDefinition.ReadinessCheck check = app.readinessChecks().get(0);
    boolean ready = check.httpStatusCodesForReady().contains(status);
    boolean keep = check.preserveLastResponse() || status == 0;
    results.put(taskId, new ReadinessResult(check.name(), taskId, ready, status,
        keep ? contentType : null, keep ? body : null, nowMillis));
    if (ready) {
      awaiting.remove(taskId);
      lastProbeMillis.remove(taskId);
    }
    return ready;
  }
}
