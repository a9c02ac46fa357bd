package io.cairn.marathon.internal.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.marathon.internal.core.DeploymentPlan;
import io.cairn.marathon.internal.core.HealthResult;
import io.cairn.marathon.internal.core.Instance;
import io.cairn.marathon.internal.core.LaunchStats;
import io.cairn.marathon.internal.core.MarathonCore;
import io.cairn.marathon.internal.core.ReadinessResult;
import io.cairn.marathon.internal.core.RejectReason;
import io.cairn.marathon.internal.model.AppDefinition;
import io.cairn.marathon.internal.model.AppJson;
import io.cairn.marathon.internal.model.Iso8601;
import io.cairn.marathon.internal.model.PathIds;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Marathon's response shapes (raml/types): AppInfo with counts and embeds, Task, Deployment,
 * queue items, groups. Pure functions of a core snapshot; those taking the core run on the
 * Marathon loop.
 */
final class ApiJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private ApiJson() {}

  /** AppInfo: the definition plus counts, deployments and the embeds asked for. */
  static ObjectNode appInfo(MarathonCore core, AppDefinition app, Set<String> embed,
      long nowMillis) {
    return appInfo(core, app, core.instancesOf(app.id()), embed);
  }

  /** AppInfo with the app's instances already at hand (lists group them once per request). */
  static ObjectNode appInfo(MarathonCore core, AppDefinition app, List<Instance> instances,
      Set<String> embed) {
    List<String> deploymentIds = new java.util.ArrayList<>();
    for (DeploymentPlan plan : core.deployments()) {
      if (plan.affectedApps().contains(app.id())) {
        deploymentIds.add(plan.id());
      }
    }
    return appInfo(app, instances, deploymentIds, core.lastTaskFailure(app.id()), embed);
  }

  /**
   * AppInfo from a snapshot: the app, its instances, the ids of the deployments touching it and
   * its last task failure (null when none; only read). Needs no core: may run off the loop.
   */
  static ObjectNode appInfo(AppDefinition app, List<Instance> instances,
      List<String> deploymentIds, ObjectNode lastTaskFailure, Set<String> embed) {
    ObjectNode o = AppJson.write(app);
    int staged = 0;
    int running = 0;
    int healthy = 0;
    int unhealthy = 0;
    for (Instance instance : instances) {
      if (instance.state().equals("TASK_STAGING") || instance.state().equals("TASK_STARTING")) {
        staged++;
      }
      if (instance.running()) {
        running++;
        Boolean health = instance.health(app); // all checks: the agent's and the leader's
        if (Boolean.TRUE.equals(health)) {
          healthy++;
        } else if (Boolean.FALSE.equals(health)) {
          unhealthy++;
        }
      }
    }
    o.put("tasksStaged", staged).put("tasksRunning", running).put("tasksHealthy", healthy)
        .put("tasksUnhealthy", unhealthy);
    ArrayNode deployments = o.putArray("deployments");
    deploymentIds.forEach(id -> deployments.addObject().put("id", id));
    if (embed.contains("tasks")) {
      ArrayNode tasks = o.putArray("tasks");
      instances.forEach(i -> tasks.add(task(i, app)));
    }
    if (embed.contains("lastTaskFailure") && lastTaskFailure != null) {
      ObjectNode failure = lastTaskFailure.deepCopy();
      failure.remove("eventType");
      o.set("lastTaskFailure", failure);
    }
    if (embed.contains("readiness")) {
      o.putArray("readinessCheckResults");
    }
    return o;
  }

  /** Task (raml/types/task.raml). */
  static ObjectNode task(Instance instance, AppDefinition app) {
    ObjectNode t = F.objectNode().put("id", instance.taskId()).put("appId", instance.appId())
        .put("host", instance.hostname()).put("slaveId", instance.agentId())
        .put("state", instance.state()).put("stagedAt", Iso8601.format(
            instance.stagedAtMillis()))
        .put("version", instance.appVersion());
    if (instance.startedAtMillis() > 0) {
      t.put("startedAt", Iso8601.format(instance.startedAtMillis()));
    }
    ArrayNode ports = t.putArray("ports");
    instance.hostPorts().forEach(ports::add);
    ArrayNode servicePorts = t.putArray("servicePorts");
    if (app != null && app.hostNetworking()) {
      app.portDefinitions().forEach(d -> servicePorts.add(d.port()));
    }
    t.putArray("ipAddresses").addObject().put("ipAddress", "127.0.0.1")
        .put("protocol", "IPv4");
    t.putArray("localVolumes");
    ArrayNode health = t.putArray("healthCheckResults");
    List<AppDefinition.HealthCheckDef> checks = app == null ? List.of() : app.healthChecks();
    for (int i = 0; i < checks.size(); i++) {
      if (checks.get(i).mesos()) { // the agent's result, from the last status update
        if (instance.healthy() != null) {
          health.addObject().put("alive", instance.healthy()).put("consecutiveFailures",
              instance.healthy() ? 0 : 1).put("instanceId", instance.taskId());
        }
        continue;
      }
      HealthResult r = instance.healthResults().get(i); // probed by the leader
      if (r != null) {
        ObjectNode result = health.addObject().put("alive", r.alive())
            .put("consecutiveFailures", r.consecutiveFailures());
        time(result, "firstSuccess", r.firstSuccessMillis());
        time(result, "lastFailure", r.lastFailureMillis());
        time(result, "lastSuccess", r.lastSuccessMillis());
        result.put("lastFailureCause", r.lastFailureCause()).put("instanceId", instance.taskId());
      }
    }
    return t;
  }

  private static void time(ObjectNode o, String field, long millis) {
    if (millis == 0) {
      o.putNull(field);
    } else {
      o.put(field, Iso8601.format(millis));
    }
  }

  /** One deployment as {@code GET /v2/deployments} lists it, with readiness results. */
  static ObjectNode deployment(DeploymentPlan plan, MarathonCore core) {
    ObjectNode d = deployment(plan);
    ArrayNode current = d.putArray("currentActions");
    for (DeploymentPlan.Action a : plan.currentActions()) {
      ArrayNode results = current.addObject().put("action", a.type().name())
          .put("app", a.appId()).putArray("readinessCheckResults");
      for (ReadinessResult r : core.readinessResults(a.appId())) {
        ObjectNode result = results.addObject().put("name", r.name()).put("taskId", r.taskId())
            .put("ready", r.ready());
        if (r.body() != null) {
          result.putObject("lastResponse").put("status", r.status())
              .put("contentType", r.contentType() == null ? "" : r.contentType())
              .put("body", r.body());
        }
      }
    }
    return d; // putArray replaced currentActions in place: the key order stays Marathon's
  }

  /** One deployment (no readiness results). */
  static ObjectNode deployment(DeploymentPlan plan) {
    ObjectNode d = F.objectNode().put("id", plan.id()).put("version", plan.version());
    ArrayNode affected = d.putArray("affectedApps");
    plan.affectedApps().forEach(affected::add);
    d.putArray("affectedPods");
    ArrayNode steps = d.putArray("steps");
    for (DeploymentPlan.Step step : plan.steps()) {
      ArrayNode actions = steps.addObject().putArray("actions");
      step.actions().forEach(a -> actions.addObject().put("action", a.type().name())
          .put("app", a.appId()));
    }
    ArrayNode current = d.putArray("currentActions");
    plan.currentActions().forEach(a -> current.addObject().put("action", a.type().name())
        .put("app", a.appId()).putArray("readinessCheckResults"));
    d.put("currentStep", Math.min(plan.currentStep() + 1, plan.steps().size()));
    d.put("totalSteps", plan.steps().size());
    return d;
  }

  /** {@code GET /v2/queue}: each waiting app with delay and why offers were not used. */
  static ObjectNode queue(MarathonCore core, long nowMillis, boolean lastUnusedOffers) {
    ObjectNode o = F.objectNode();
    ArrayNode queue = o.putArray("queue");
    for (Map.Entry<String, Integer> entry : core.queue(nowMillis).entrySet()) {
      AppDefinition app = core.apps().get(entry.getKey());
      LaunchStats stats = core.launchStats(app.id());
      ObjectNode item = queue.addObject();
      item.set("app", AppJson.write(app));
      item.put("count", entry.getValue()).put("role", app.role());
      long left = stats == null ? 0 : Math.max(0, stats.delayUntilMillis() - nowMillis);
      item.putObject("delay").put("timeLeftSeconds", (left + 999) / 1000)
          .put("overdue", left == 0);
      item.put("since", Iso8601.format(stats == null ? nowMillis : stats.sinceMillis()));
      item.set("processedOffersSummary", offersSummary(stats));
      if (lastUnusedOffers && stats != null) {
        ArrayNode offers = item.putArray("lastUnusedOffers");
        for (LaunchStats.OfferSeen seen : stats.lastOffers()) {
          if (seen.reason() != null) {
            offers.addObject().put("offerId", seen.offerId()).put("agentId", seen.agentId())
                .put("hostname", seen.hostname()).put("timestamp", Iso8601.format(
                    seen.atMillis())).put("detail", seen.detail())
                .putArray("reason").add(seen.reason().name());
          }
        }
      }
    }
    return o;
  }

  private static ObjectNode offersSummary(LaunchStats stats) {
    ObjectNode s = F.objectNode();
    s.put("processedOffersCount", stats == null ? 0 : stats.processedOffers());
    s.put("unusedOffersCount", stats == null ? 0 : stats.unusedOffers());
    if (stats != null && stats.lastUnusedOfferAtMillis() > 0) {
      s.put("lastUnusedOfferAt", Iso8601.format(stats.lastUnusedOfferAtMillis()));
    }
    if (stats != null && stats.lastUsedOfferAtMillis() > 0) {
      s.put("lastUsedOfferAt", Iso8601.format(stats.lastUsedOfferAtMillis()));
    }
    ArrayNode reasons = s.putArray("rejectSummaryLastOffers");
    Map<RejectReason, Long> last = new TreeMap<>();
    if (stats != null) {
      stats.lastOffers().stream().filter(seen -> seen.reason() != null)
          .forEach(seen -> last.merge(seen.reason(), 1L, Long::sum));
    }
    int seenCount = stats == null ? 0 : stats.lastOffers().size();
    for (RejectReason reason : RejectReason.values()) {
      if (reason.ordinal() <= RejectReason.InsufficientPorts.ordinal()) {
        reasons.addObject().put("reason", reason.name())
            .put("declined", last.getOrDefault(reason, 0L)).put("processed", seenCount);
      }
    }
    ArrayNode total = s.putArray("rejectSummaryLaunchAttempt");
    for (RejectReason reason : RejectReason.values()) {
      if (reason.ordinal() <= RejectReason.InsufficientPorts.ordinal()) {
        total.addObject().put("reason", reason.name()).put("declined",
            stats == null ? 0 : stats.rejected().getOrDefault(reason, 0L))
            .put("processed", stats == null ? 0 : stats.processedOffers());
      }
    }
    return s;
  }

  /** The group tree of the apps under {@code groupId} (Marathon's Group shape). */
  static ObjectNode group(MarathonCore core, String groupId, long nowMillis) {
    Set<String> subgroups = new TreeSet<>();
    ObjectNode g = F.objectNode().put("id", groupId);
    ArrayNode apps = g.putArray("apps");
    String prefix = groupId.equals("/") ? "/" : groupId + "/";
    String version = "";
    for (AppDefinition app : core.apps().values()) {
      if (!app.id().startsWith(prefix)) {
        continue;
      }
      String parent = PathIds.parent(app.id());
      if (parent.equals(groupId)) {
        apps.add(AppJson.write(app));
      } else {
        String rest = app.id().substring(prefix.length());
        subgroups.add(prefix + rest.substring(0, rest.indexOf('/')));
      }
      version = app.version() != null && app.version().compareTo(version) > 0 ? app.version()
          : version;
    }
    ArrayNode groups = g.putArray("groups");
    for (String sub : subgroups) {
      groups.add(group(core, sub, nowMillis));
    }
    g.putArray("pods");
    g.putArray("dependencies");
    g.put("version", version.isEmpty() ? Iso8601.format(nowMillis) : version);
    return g;
  }

  /** {@code {"deploymentId","version"}}. */
  static ObjectNode deploymentResult(DeploymentPlan plan) {
    return F.objectNode().put("version", plan.version()).put("deploymentId", plan.id());
  }
}
