package io.cairn.marathon.internal.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.env.RandomSource;
import io.cairn.marathon.internal.model.AppDefinition;
import io.cairn.marathon.internal.model.Iso8601;
import io.cairn.marathon.internal.model.PathIds;
import io.cairn.proto.mesos.v1.Protos.Offer;
import io.cairn.proto.mesos.v1.Protos.TaskInfo;
import io.cairn.proto.mesos.v1.Protos.TaskStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Marathon's scheduler as a deterministic, single-threaded core: the apps (the current target),
 * their instances, the running deployments, launch backoff and offer statistics. Inputs are API
 * commands ({@link #deploy}, {@link #cancel}, {@link #killTasks}, ...), master events
 * ({@link #offers}, {@link #update}), {@link #tick} and the outcomes of the probes the driver ran
 * for it ({@link #readiness}, {@link #health}); each takes the wall-clock time as an argument.
 * Outputs accumulate in {@link Effects}, drained by the driver after every input.
 *
 * <p>How instances converge: every input ends with {@link #progress}, which walks the apps. An
 * app that a deployment locks but whose step has not come yet is left alone; a Restart action
 * replaces old-config instances by new ones within the upgrade strategy's bounds; otherwise the
 * app is scaled to {@code instances} (killing by {@code killSelection}). The missing instances are
 * the launch queue: matched against the next offers unless the app's backoff delays them.
 *
 * <p>Parts with one job each, used only from here: {@link RollingRestart} (which old instances
 * go, how many new ones start), {@link ReadinessChecks} (tasks awaiting readiness, their probes
 * and results), {@link HealthChecks} (leader-probed health checks: due probes, grace period,
 * results, kill after {@code maxConsecutiveFailures}), {@link OfferMatcher} and {@link Placement}.
 *
 * <p>Threading: not thread-safe; the driver calls it from one thread. Invariant: every instance
 * in the tracker has a task id that encodes its app id.
 */
public final class MarathonCore {
  /** Tunables (Marathon's command-line flags). */
  public record Settings(int maxInstancesPerOffer, double refuseSecondsWithDemand,
      double refuseSecondsWithoutDemand, int maxRunningDeployments, long reconcileIntervalMillis,
      int maxVersionsPerApp) {
    /** Marathon's defaults, with a 60 s reconciliation interval. */
    public static Settings defaults() {
      return new Settings(5, 5.0, 120.0, 100, 60_000, 50);
    }
  }

  private final Settings settings;
  private final RandomSource random;
  private final TreeMap<String, AppDefinition> apps = new TreeMap<>();
  private final Map<String, TreeMap<String, AppDefinition>> versions = new HashMap<>();
  private final LinkedHashMap<String, Instance> instances = new LinkedHashMap<>();
  private final LinkedHashMap<String, DeploymentPlan> deployments = new LinkedHashMap<>();
  /**
   * The same instances by app id, launch order within an app, so that per-update work is per app
   * and not per instance of the whole cluster. Changed only by putInstance and removeInstance.
   */
  private final Map<String, LinkedHashMap<String, Instance>> instancesByApp = new HashMap<>();
  /** Derived from {@link #deployments}; null when it changed since they were computed. */
  private Map<String, DeploymentPlan.Action> actionByApp;
  private Set<String> lockedApps;
  private final Map<String, LaunchStats> launchStats = new HashMap<>();
  private final Map<String, ObjectNode> lastTaskFailures = new HashMap<>();
  private Effects effects = new Effects();
  private long lastVersionMillis;
  private long lastReconcileMillis;
  private int lastDemand;
  /** Which tasks await readiness, their probes and results. */
  private final ReadinessChecks readinessChecks = new ReadinessChecks();
  /** When the leader-probed health checks last ran (their results live on the instances). */
  private final HealthChecks healthChecks = new HealthChecks();
  /** Bumped on every change of apps, instances, deployments or last task failures. */
  private long stateVersion;

  public MarathonCore(Settings settings, RandomSource random) {
    this.settings = settings;
    this.random = random;
  }

  // ---------------------------------------------------------------- state for readers

  /** The apps, by id. */
  public Map<String, AppDefinition> apps() {
    return java.util.Collections.unmodifiableMap(apps);
  }

  /** One app's stored versions, oldest first. */
  public List<String> versions(String appId) {
    TreeMap<String, AppDefinition> byVersion = versions.get(appId);
    return byVersion == null ? List.of() : List.copyOf(byVersion.keySet());
  }

  /** One version of an app, or null. */
  public AppDefinition version(String appId, String version) {
    TreeMap<String, AppDefinition> byVersion = versions.get(appId);
    return byVersion == null ? null : byVersion.get(version);
  }

  /** Every tracked instance, in launch order. */
  public Collection<Instance> instances() {
    return java.util.Collections.unmodifiableCollection(instances.values());
  }

  /** The instances of one app. */
  public List<Instance> instancesOf(String appId) {
    return List.copyOf(appInstances(appId));
  }

  private Collection<Instance> appInstances(String appId) {
    LinkedHashMap<String, Instance> ofApp = instancesByApp.get(appId);
    return ofApp == null ? List.of() : ofApp.values();
  }

  /**
   * A number that changes whenever what the app list shows changes (apps, instances,
   * deployments, last task failures): readers may reuse a view taken at the same number.
   */
  public long stateVersion() {
    return stateVersion;
  }

  private void putInstance(Instance instance) {
    stateVersion++;
    instances.put(instance.taskId(), instance);
    instancesByApp.computeIfAbsent(instance.appId(), id -> new LinkedHashMap<>())
        .put(instance.taskId(), instance);
  }

  private void removeInstance(String taskId) {
    Instance removed = instances.remove(taskId);
    readinessChecks.forget(taskId);
    healthChecks.forget(taskId);
    if (removed != null) {
      stateVersion++;
      LinkedHashMap<String, Instance> ofApp = instancesByApp.get(removed.appId());
      if (ofApp != null) {
        ofApp.remove(taskId);
        if (ofApp.isEmpty()) {
          instancesByApp.remove(removed.appId());
        }
      }
    }
  }

  /** The running deployments, oldest first. */
  public List<DeploymentPlan> deployments() {
    return List.copyOf(deployments.values());
  }

  /** The launch statistics of an app (null when none). */
  public LaunchStats launchStats(String appId) {
    return launchStats.get(appId);
  }

  /** The last failed task of an app, or null. */
  public ObjectNode lastTaskFailure(String appId) {
    return lastTaskFailures.get(appId);
  }

  /** How many instances of each app wait for an offer (the launch queue), by app id. */
  public Map<String, Integer> queue(long nowMillis) {
    Map<String, Integer> queue = new TreeMap<>();
    for (AppDefinition app : apps.values()) {
      int missing = launchDemand(app, nowMillis, true);
      if (missing > 0) {
        queue.put(app.id(), missing);
      }
    }
    return queue;
  }

  /** The outbox since the last drain. */
  public Effects drain() {
    Effects drained = effects;
    effects = new Effects();
    return drained;
  }

  // ---------------------------------------------------------------- restore and leadership

  /** Loads stored state (on election, before {@link #subscribed}); emits no writes. */
  public void restore(Collection<AppDefinition> storedApps,
      Map<String, List<AppDefinition>> storedVersions, Collection<DeploymentPlan> plans,
      Collection<Instance> storedInstances) {
    apps.clear();
    versions.clear();
    instances.clear();
    readinessChecks.clear();
    healthChecks.clear();
    instancesByApp.clear();
    deployments.clear();
    deploymentsChanged();
    storedApps.forEach(app -> apps.put(app.id(), app));
    storedVersions.forEach((id, list) -> list.forEach(app -> versions
        .computeIfAbsent(id, k -> new TreeMap<>()).put(app.version(), app)));
    plans.forEach(plan -> deployments.put(plan.id(), plan));
    deploymentsChanged();
    storedInstances.forEach(this::putInstance);
    for (AppDefinition app : apps.values()) {
      if (app.version() != null) {
        lastVersionMillis = Math.max(lastVersionMillis, Iso8601.parse(app.version()));
      }
    }
  }

  /** The subscription started: reconcile every known task, then all (implicit); revive. */
  public void subscribed(long nowMillis) {
    for (Instance instance : instances.values()) {
      effects.reconcile.add(new Effects.ReconcileTask(instance.taskId(), instance.agentId()));
    }
    effects.reconcileImplicit = true;
    effects.revive = true;
    lastReconcileMillis = nowMillis;
    rekill();
    ObjectNode event = Events.event("scheduler_registered_event", nowMillis);
    effects.events.add(event);
    progress(nowMillis);
  }

  // ---------------------------------------------------------------- API commands

  /** A request to change apps: the complete new set, what to restart, force. */
  public record Change(Map<String, AppDefinition> target, Set<String> restart, boolean force) {
    public Change {
      target = Map.copyOf(target);
      restart = Set.copyOf(restart);
    }
  }

  /**
   * Deploys {@code change}: versions the changed apps, computes the plan, cancels conflicting
   * plans if forced (else 409), stores everything and starts the plan.
   *
   * @return the new plan
   */
  public DeploymentPlan deploy(Change change, long nowMillis) {
    String version = nextVersion(nowMillis);
    Map<String, AppDefinition> target = new TreeMap<>();
    for (AppDefinition app : change.target().values()) {
      target.put(app.id(), versioned(app, change.restart().contains(app.id()), version));
    }
    List<String> cycle = DeploymentPlan.cycle(target);
    if (!cycle.isEmpty()) {
      throw new Rejection(422, "Dependency graph has cyclic dependencies: " + cycle);
    }
    DeploymentPlan plan = DeploymentPlan.compute(newUuid(), version, apps, target);
    List<String> conflicts = conflicts(plan.affectedApps());
    if (!conflicts.isEmpty() && !change.force()) {
      throw Rejection.locked(conflicts);
    }
    if (conflicts.isEmpty() && deployments.size() >= settings.maxRunningDeployments()) {
      throw new Rejection(403, "Max number of running deployments is exceeded: "
          + settings.maxRunningDeployments() + ". Wait for deployments to finish or cancel some.");
    }
    for (String id : conflicts) {
      DeploymentPlan cancelled = deployments.remove(id);
      deploymentsChanged();
      effects.writes.add(new Effects.DeleteDeployment(id));
      effects.events.add(Events.event("deployment_failed", nowMillis).put("id", id)
          .put("reason", "cancelled by forced deployment " + plan.id())
          .set("plan", Events.plan(cancelled)));
    }
    apply(plan, target, nowMillis);
    return plan;
  }

  private void apply(DeploymentPlan plan, Map<String, AppDefinition> target, long nowMillis) {
    for (String removed : plan.original().keySet()) {
      if (!target.containsKey(removed)) {
        apps.remove(removed);
        stateVersion++;
        versions.remove(removed);
        launchStats.remove(removed);
        effects.writes.add(new Effects.DeleteApp(removed));
      }
    }
    for (AppDefinition app : plan.target().values()) {
      AppDefinition old = apps.put(app.id(), app);
      stateVersion++;
      versions.computeIfAbsent(app.id(), k -> new TreeMap<>()).put(app.version(), app);
      trimVersions(app.id());
      effects.writes.add(new Effects.PutApp(app));
      if (old == null || !old.sameConfig(app) || !app.versionInfo().lastConfigChangeAt()
          .equals(old.versionInfo().lastConfigChangeAt())) {
        stats(app.id(), nowMillis).reset();
      }
    }
    deployments.put(plan.id(), plan);
    deploymentsChanged();
    effects.writes.add(new Effects.PutDeployment(plan));
    Set<String> groups = plan.affectedApps().stream().map(PathIds::parent)
        .collect(Collectors.toCollection(java.util.TreeSet::new));
    for (String group : groups) {
      effects.events.add(Events.event("group_change_success", nowMillis).put("groupId", group)
          .put("version", plan.version()));
    }
    effects.events.add(Events.event("deployment_info", nowMillis)
        .<ObjectNode>set("plan", Events.plan(plan)).set("currentStep", currentStepJson(plan)));
    effects.revive = true;
    progress(nowMillis);
  }

  /**
   * Cancels a deployment: {@code force} just forgets it (the apps stay as they are); otherwise a
   * new deployment reverts its apps to their original definitions.
   *
   * @return the revert plan, or null when forced
   */
  public DeploymentPlan cancel(String planId, boolean force, long nowMillis) {
    DeploymentPlan plan = deployments.get(planId);
    if (plan == null) {
      throw new Rejection(404, "DeploymentPlan " + planId + " does not exist");
    }
    deployments.remove(planId);
    deploymentsChanged();
    effects.writes.add(new Effects.DeleteDeployment(planId));
    effects.events.add(Events.event("deployment_failed", nowMillis).put("id", planId)
        .put("reason", "cancelled").set("plan", Events.plan(plan)));
    if (force) {
      progress(nowMillis);
      return null;
    }
    Map<String, AppDefinition> target = new TreeMap<>(apps);
    for (String appId : plan.affectedApps()) {
      AppDefinition original = plan.original().get(appId);
      if (original == null) {
        target.remove(appId);
      } else {
        target.put(appId, original);
      }
    }
    return deploy(new Change(target, Set.of(), true), nowMillis);
  }

  /**
   * Kills tasks of an app. With {@code scale}, the app's instances shrink by the number killed
   * (a deployment, returned); otherwise replacements are launched and null is returned.
   */
  public DeploymentPlan killTasks(String appId, Collection<String> taskIds, boolean scale,
      boolean force, long nowMillis) {
    AppDefinition app = apps.get(appId);
    if (app == null) {
      throw Rejection.unknownApp(appId);
    }
    List<Instance> targets = new ArrayList<>();
    for (String taskId : taskIds) {
      Instance instance = instances.get(taskId);
      if (instance == null || !instance.appId().equals(appId)) {
        throw new Rejection(404, "Task '" + taskId + "' does not exist");
      }
      targets.add(instance);
    }
    targets.forEach(this::kill);
    if (!scale) {
      progress(nowMillis);
      return null;
    }
    Map<String, AppDefinition> target = new TreeMap<>(apps);
    target.put(appId, app.withInstances(Math.max(0, app.instances() - targets.size())));
    return deploy(new Change(target, Set.of(), force), nowMillis);
  }

  /** {@code DELETE /v2/queue/{id}/delay}: launches may start at once. */
  public void resetDelay(String appId, long nowMillis) {
    if (!apps.containsKey(appId) || launchDemand(apps.get(appId), nowMillis, true) == 0) {
      throw new Rejection(404, "Application " + appId + " not found in tasks queue.");
    }
    stats(appId, nowMillis).reset();
    effects.revive = true;
    progress(nowMillis);
  }

  // ---------------------------------------------------------------- master events

  /** OFFERS: launch waiting instances where they fit; decline the rest. */
  public void offers(List<Offer> offers, long nowMillis) {
    // Demand is computed once per batch of offers and counted down as instances launch: within
    // the batch nothing else changes it (a launch adds one live, fresh instance, which lowers
    // both a scale's and a rolling restart's demand by exactly one).
    Map<String, Integer> demand = new java.util.LinkedHashMap<>();
    for (AppDefinition app : apps.values()) {
      int missing = launchDemand(app, nowMillis, false);
      if (missing > 0) {
        demand.put(app.id(), missing);
      }
    }
    for (Offer offer : offers) {
      offer(offer, demand, nowMillis);
    }
    progress(nowMillis);
  }

  private void offer(Offer offer, Map<String, Integer> demand, long nowMillis) {
    OfferPool pool = new OfferPool(offer);
    Placement candidate = Placement.of(offer);
    List<TaskInfo> launched = new ArrayList<>();
    boolean anyDemand = !demand.isEmpty();
    for (java.util.Iterator<Map.Entry<String, Integer>> it = demand.entrySet().iterator();
        it.hasNext() && launched.size() < settings.maxInstancesPerOffer(); ) {
      Map.Entry<String, Integer> entry = it.next();
      AppDefinition app = apps.get(entry.getKey());
      int missing = entry.getValue();
      List<Placement> placed = app.constraints().isEmpty() ? List.of() : placements(app);
      while (missing > 0 && launched.size() < settings.maxInstancesPerOffer()) {
        OfferMatcher.Result result = OfferMatcher.match(app, pool, candidate, placed);
        stats(app.id(), nowMillis).record(new LaunchStats.OfferSeen(offer.getId().getValue(),
            offer.getAgentId().getValue(), offer.getHostname(), result.reason(),
            result.detail(), nowMillis));
        if (!result.matched()) {
          break;
        }
        launched.add(launch(app, offer, candidate, result, nowMillis));
        missing--;
        if (!app.constraints().isEmpty()) {
          placed = placements(app);
        }
      }
      if (missing == 0) {
        it.remove();
      } else {
        entry.setValue(missing);
      }
    }
    if (launched.isEmpty()) {
      effects.declines.add(new Effects.Decline(offer, anyDemand
          ? settings.refuseSecondsWithDemand() : settings.refuseSecondsWithoutDemand()));
    } else {
      effects.accepts.add(new Effects.Accept(offer, launched));
    }
  }

  private TaskInfo launch(AppDefinition app, Offer offer, Placement candidate,
      OfferMatcher.Result result, long nowMillis) {
    String taskId = PathIds.safe(app.id()) + ".instance-" + newUuid() + "._app.1";
    TaskInfo task = TaskFactory.build(app, taskId, offer.getAgentId().getValue(),
        result.resources(), result.hostPorts());
    Instance instance = new Instance(taskId, app.id(), app.version(),
        app.versionInfo().lastConfigChangeAt(), offer.getAgentId().getValue(),
        offer.getHostname(), candidate.attributes(), result.hostPorts(), "TASK_STAGING", null,
        nowMillis, 0, false, 0);
    putInstance(instance);
    if (currentAction(app.id()) != null) {
      readinessChecks.launchedByDeployment(app, taskId); // counts once its check passes
    }
    effects.writes.add(new Effects.PutInstance(instance));
    return task;
  }

  /** UPDATE: a task's status (also the answers to reconciliation). */
  public void update(TaskStatus status, long nowMillis) {
    apply(status, nowMillis);
    progress(nowMillis);
  }

  /**
   * Several UPDATEs in arrival order, then one convergence step: the same outcome as
   * {@link #update} for each, at the cost of one pass over the apps (the driver hands over the
   * updates that queued up while the loop was busy).
   */
  public void updates(List<TaskStatus> statuses, long nowMillis) {
    for (TaskStatus status : statuses) {
      apply(status, nowMillis);
    }
    progress(nowMillis);
  }

  private void apply(TaskStatus status, long nowMillis) {
    String taskId = status.getTaskId().getValue();
    String state = status.getState().name();
    Instance instance = instances.get(taskId);
    if (instance == null) {
      if (!Instance.terminal(state)) {
        effects.kills.add(new Effects.Kill(taskId, status.getAgentId().getValue()));
        effects.events.add(Events.event("unknown_instance_terminated_event", nowMillis)
            .put("instanceId", taskId).put("runSpecId", "").put("condition", state));
      }
      return;
    }
    effects.events.add(Events.statusUpdate(instance, state, status.getMessage(), nowMillis));
    if (Instance.terminal(state)) {
      terminated(instance, status, nowMillis);
    } else {
      Boolean healthy = status.hasHealthy() ? Boolean.valueOf(status.getHealthy())
          : instance.healthy();
      long started = instance.startedAtMillis() == 0 && state.equals("TASK_RUNNING")
          ? nowMillis : instance.startedAtMillis();
      long unreachable = state.equals("TASK_UNREACHABLE")
          ? (instance.unreachable() ? instance.unreachableSinceMillis() : nowMillis) : 0;
      Instance updated = instance.withStatus(state, healthy, started, unreachable);
      putInstance(updated);
      if (!java.util.Objects.equals(healthy, instance.healthy()) && healthy != null) {
        effects.events.add(Events.event("health_status_changed_event", nowMillis)
            .put("appId", instance.appId()).put("instanceId", taskId)
            .put("version", instance.appVersion()).put("alive", healthy));
      }
      if (!state.equals(instance.state())) {
        effects.events.add(Events.event("instance_changed_event", nowMillis)
            .put("instanceId", taskId).put("condition", state).put("runSpecId", instance.appId())
            .put("agentId", instance.agentId()).put("host", instance.hostname())
            .put("runSpecVersion", instance.appVersion()));
      }
    }
  }

  private void terminated(Instance instance, TaskStatus status, long nowMillis) {
    removeInstance(instance.taskId());
    effects.writes.add(new Effects.DeleteInstance(instance.taskId()));
    String state = status.getState().name();
    boolean failure = state.equals("TASK_FAILED") || state.equals("TASK_ERROR")
        || state.equals("TASK_FINISHED") || (!instance.killRequested()
            && status.hasHealthy() && !status.getHealthy());
    AppDefinition app = apps.get(instance.appId());
    if (failure && app != null) {
      stats(app.id(), nowMillis).failed(app.backoffSeconds(), app.backoffFactor(),
          app.maxLaunchDelaySeconds(), nowMillis);
      stateVersion++;
      lastTaskFailures.put(app.id(), Events.event("task_failure", nowMillis)
          .put("appId", app.id()).put("host", instance.hostname())
          .put("message", status.getMessage()).put("state", state)
          .put("taskId", instance.taskId()).put("slaveId", instance.agentId())
          .put("version", instance.appVersion()));
    }
    effects.events.add(Events.event("instance_changed_event", nowMillis)
        .put("instanceId", instance.taskId()).put("condition", state)
        .put("runSpecId", instance.appId()).put("agentId", instance.agentId())
        .put("host", instance.hostname()).put("runSpecVersion", instance.appVersion()));
  }

  /** Timers: deployments, backoff expiry, unreachable expunge, periodic reconciliation. */
  public void tick(long nowMillis) {
    for (Instance instance : List.copyOf(instances.values())) {
      AppDefinition app = apps.get(instance.appId());
      if (instance.unreachable() && app != null && !app.unreachableStrategy().disabled()
          && nowMillis - instance.unreachableSinceMillis()
              >= app.unreachableStrategy().expungeAfterSeconds() * 1000) {
        removeInstance(instance.taskId());
        effects.writes.add(new Effects.DeleteInstance(instance.taskId()));
      }
    }
    if (nowMillis - lastReconcileMillis >= settings.reconcileIntervalMillis()) {
      lastReconcileMillis = nowMillis;
      effects.reconcileImplicit = true;
      rekill();
    }
    effects.probes.addAll(readinessChecks.due(instances, apps, nowMillis));
    for (LinkedHashMap<String, Instance> ofApp : instancesByApp.values()) {
      effects.healthProbes.addAll(healthChecks.due(ofApp.values(), this::definition, nowMillis));
    }
    progress(nowMillis);
  }

  // ---------------------------------------------------------------- readiness

  /**
   * Whether an instance counts for a deployment as far as readiness goes: true unless it was
   * launched by a deployment of an app with a readiness check and that check has not passed yet.
   * (Results live in memory: after a fail-over the instances a new leader loads count as ready.)
   */
  boolean ready(Instance instance) {
    return readinessChecks.ready(instance.taskId());
  }

  /** The readiness results of an app's tasks, in launch order. */
  public List<ReadinessResult> readinessResults(String appId) {
    List<ReadinessResult> results = new ArrayList<>();
    for (Instance instance : appInstances(appId)) {
      ReadinessResult result = readinessChecks.result(instance.taskId());
      if (result != null) {
        results.add(result);
      }
    }
    return results;
  }

  /**
   * A readiness probe's outcome: the HTTP status (0 when there was no response; {@code body}
   * then says why). Ready when the status is one of {@code httpStatusCodesForReady}; a ready task
   * is no longer probed and now counts for its deployment (see {@link ReadinessChecks}).
   */
  public void readiness(String taskId, int status, String contentType, String body,
      long nowMillis) {
    Instance instance = instances.get(taskId);
    if (instance != null && readinessChecks.record(instance, apps.get(instance.appId()), status,
        contentType, body, nowMillis)) {
      stateVersion++;
      progress(nowMillis);
    }
  }

  // ---------------------------------------------------------------- health

  /**
   * The definition an instance was launched with (its health checks apply to it, as Marathon
   * runs the checks of each app version that has instances), else the app's current one, or
   * null for an orphan.
   */
  AppDefinition definition(Instance instance) {
    AppDefinition launched = version(instance.appId(), instance.appVersion());
    return launched != null ? launched : apps.get(instance.appId());
  }

  /** Running, and every health check of the version it was launched with passes. */
  boolean healthy(Instance instance) {
    return HealthChecks.healthy(instance, definition(instance));
  }

  /**
   * A Marathon-level health probe's outcome ({@code passed} null: no result, e.g. an ignored
   * 1xx answer; {@code cause} says why it failed), applied as {@link HealthChecks#outcome}
   * decides: the new result is kept in memory only; after {@code maxConsecutiveFailures} the task
   * is killed and the launch queue replaces it. Late answers for tasks gone or being killed are
   * ignored.
   */
  public void health(String taskId, int checkIndex, Boolean passed, String cause,
      long nowMillis) {
    Instance instance = instances.get(taskId);
    if (instance == null || instance.killRequested()) {
      return; // terminated or being killed
    }
    HealthChecks.Outcome outcome = HealthChecks.outcome(instance, definition(instance),
        checkIndex, passed, cause, nowMillis);
    if (outcome == null) {
      return;
    }
    putInstance(outcome.instance()); // memory only: health is not stored (a new leader probes)
    effects.events.addAll(outcome.events());
    if (outcome.kill()) {
      kill(outcome.instance());
    }
    if (outcome.kill() || outcome.healthChanged()) {
      progress(nowMillis);
    }
  }

  // ---------------------------------------------------------------- convergence

  /** Advances deployments, kills what must go, and revives offers when demand appears. */
  void progress(long nowMillis) {
    killOrphans();
    for (AppDefinition app : apps.values()) {
      DeploymentPlan.Action action = currentAction(app.id());
      if (action == null && locked(app.id())) {
        continue;
      }
      if (action != null && action.type() == DeploymentPlan.ActionType.RestartApplication) {
        RollingRestart.killOld(app, live(app, nowMillis), this::ready, instance -> HealthChecks
            .healthyForRestart(instance, app, definition(instance))).forEach(this::kill);
      } else {
        scaleDown(app, nowMillis);
      }
    }
    advanceDeployments(nowMillis);
    int demand = 0;
    for (AppDefinition app : apps.values()) {
      demand += launchDemand(app, nowMillis, false);
    }
    if (demand > 0 && lastDemand == 0) {
      effects.revive = true;
    }
    lastDemand = demand;
  }

  /** Kills are not acknowledged: repeat them for instances that are still around. */
  private void rekill() {
    for (Instance instance : instances.values()) {
      if (instance.killRequested()) {
        effects.kills.add(new Effects.Kill(instance.taskId(), instance.agentId()));
      }
    }
  }

  private void killOrphans() {
    for (String appId : List.copyOf(instancesByApp.keySet())) {
      if (!apps.containsKey(appId)) {
        for (Instance instance : List.copyOf(appInstances(appId))) {
          if (!instance.killRequested()) {
            kill(instance);
          }
        }
      }
    }
  }

  private void scaleDown(AppDefinition app, long nowMillis) {
    List<Instance> live = live(app, nowMillis);
    int excess = live.size() - app.instances();
    if (excess <= 0) {
      return;
    }
    List<Instance> order = new ArrayList<>(live);
    java.util.Comparator<Instance> byAge = java.util.Comparator
        .comparingLong(Instance::stagedAtMillis).thenComparing(Instance::taskId);
    order.sort(app.killSelection() == AppDefinition.KillSelection.YOUNGEST_FIRST
        ? byAge.reversed() : byAge);
    // Instances that are not running go first: they give no capacity yet.
    order.sort(java.util.Comparator.comparing(Instance::running));
    order.subList(0, excess).forEach(this::kill);
  }

  private void kill(Instance instance) {
    if (instance.killRequested()) {
      return;
    }
    putInstance(instance.withKillRequested());
    effects.kills.add(new Effects.Kill(instance.taskId(), instance.agentId()));
  }

  /**
   * How many instances of {@code app} to launch now: none while a deployment holds the app back
   * or (unless {@code ignoreDelay}) while its backoff runs.
   */
  int launchDemand(AppDefinition app, long nowMillis, boolean ignoreDelay) {
    DeploymentPlan.Action action = currentAction(app.id());
    if (action == null && locked(app.id())) {
      return 0;
    }
    LaunchStats stats = launchStats.get(app.id());
    if (!ignoreDelay && stats != null && nowMillis < stats.delayUntilMillis) {
      return 0;
    }
    List<Instance> live = live(app, nowMillis);
    if (action != null && action.type() == DeploymentPlan.ActionType.RestartApplication) {
      return RollingRestart.toLaunch(app, live);
    }
    return Math.max(0, app.instances() - live.size());
  }

  /** Instances that count: not terminal, not being killed, not unreachable past the limit. */
  List<Instance> live(AppDefinition app, long nowMillis) {
    List<Instance> live = new ArrayList<>();
    for (Instance instance : appInstances(app.id())) {
      if (instance.killRequested()) {
        continue;
      }
      if (instance.unreachable() && !app.unreachableStrategy().disabled()
          && nowMillis - instance.unreachableSinceMillis()
              >= app.unreachableStrategy().inactiveAfterSeconds() * 1000) {
        continue;
      }
      live.add(instance);
    }
    return live;
  }

  private void advanceDeployments(long nowMillis) {
    for (DeploymentPlan plan : List.copyOf(deployments.values())) {
      DeploymentPlan current = plan;
      while (!current.finished() && stepDone(current, nowMillis)) {
        effects.events.add(Events.event("deployment_step_success", nowMillis)
            .<ObjectNode>set("plan", Events.plan(current))
            .set("currentStep", currentStepJson(current)));
        current = current.advance();
      }
      if (current.finished()) {
        deployments.remove(plan.id());
        deploymentsChanged();
        effects.writes.add(new Effects.DeleteDeployment(plan.id()));
        effects.events.add(Events.event("deployment_success", nowMillis).put("id", plan.id())
            .set("plan", Events.plan(plan)));
        for (DeploymentPlan.Step step : plan.steps()) {
          step.actions().stream()
              .filter(a -> a.type() == DeploymentPlan.ActionType.StopApplication)
              .forEach(a -> effects.events.add(Events.event("app_terminated_event", nowMillis)
                  .put("appId", a.appId())));
        }
      } else if (current != plan) {
        deployments.put(plan.id(), current);
        deploymentsChanged();
        effects.writes.add(new Effects.PutDeployment(current));
      }
    }
  }

  private boolean stepDone(DeploymentPlan plan, long nowMillis) {
    for (DeploymentPlan.Action action : plan.currentActions()) {
      if (!actionDone(action, nowMillis)) {
        return false;
      }
    }
    return true;
  }

  private boolean actionDone(DeploymentPlan.Action action, long nowMillis) {
    AppDefinition app = apps.get(action.appId());
    return switch (action.type()) {
      case StartApplication -> true;
      case StopApplication -> appInstances(action.appId()).isEmpty();
      case ScaleApplication -> app == null || allHealthy(app, nowMillis, false);
      case RestartApplication -> app == null || allHealthy(app, nowMillis, true);
    };
  }

  /** Exactly {@code instances} instances, all running and healthy, no kill pending. */
  private boolean allHealthy(AppDefinition app, long nowMillis, boolean currentConfigOnly) {
    List<Instance> all = instancesOf(app.id());
    if (all.size() != app.instances()) {
      return false;
    }
    for (Instance instance : all) {
      if (instance.killRequested() || !healthy(instance) || !ready(instance)) {
        return false;
      }
      if (currentConfigOnly && !instance.configVersion().equals(
          app.versionInfo().lastConfigChangeAt())) {
        return false;
      }
    }
    return live(app, nowMillis).size() == app.instances();
  }

  // ---------------------------------------------------------------- helpers

  /** The first running deployment's current action on the app (oldest plan first), or null. */
  private DeploymentPlan.Action currentAction(String appId) {
    if (actionByApp == null) {
      Map<String, DeploymentPlan.Action> byApp = new HashMap<>();
      for (DeploymentPlan plan : deployments.values()) {
        for (DeploymentPlan.Action action : plan.currentActions()) {
          byApp.putIfAbsent(action.appId(), action);
        }
      }
      actionByApp = byApp;
    }
    return actionByApp.get(appId);
  }

  private boolean locked(String appId) {
    if (lockedApps == null) {
      Set<String> affected = new HashSet<>();
      deployments.values().forEach(plan -> affected.addAll(plan.affectedApps()));
      lockedApps = affected;
    }
    return lockedApps.contains(appId);
  }

  private void deploymentsChanged() {
    stateVersion++;
    actionByApp = null;
    lockedApps = null;
  }

  /** The ids of the deployments that touch any of {@code appIds}. */
  public List<String> conflicts(Set<String> appIds) {
    List<String> ids = new ArrayList<>();
    for (DeploymentPlan plan : deployments.values()) {
      if (plan.affectedApps().stream().anyMatch(appIds::contains)) {
        ids.add(plan.id());
      }
    }
    return ids;
  }

  private AppDefinition versioned(AppDefinition app, boolean restart, String version) {
    AppDefinition old = apps.get(app.id());
    AppDefinition bare = app.withVersion(null, null);
    if (old != null && !restart && old.withVersion(null, null).equals(bare)) {
      return old;
    }
    if (old != null && !restart && old.sameConfig(bare)) {
      return bare.withVersion(version, new AppDefinition.VersionInfo(version,
          old.versionInfo().lastConfigChangeAt()));
    }
    return bare.withVersion(version, new AppDefinition.VersionInfo(version, version));
  }

  private void trimVersions(String appId) {
    TreeMap<String, AppDefinition> byVersion = versions.get(appId);
    while (byVersion.size() > settings.maxVersionsPerApp()) {
      byVersion.pollFirstEntry();
    }
  }

  private String nextVersion(long nowMillis) {
    lastVersionMillis = Math.max(nowMillis, lastVersionMillis + 1);
    return Iso8601.format(lastVersionMillis);
  }

  private String newUuid() {
    long high = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
    long low = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new java.util.UUID(high, low).toString();
  }

  private LaunchStats stats(String appId, long nowMillis) {
    return launchStats.computeIfAbsent(appId, k -> {
      LaunchStats stats = new LaunchStats();
      stats.sinceMillis = nowMillis;
      return stats;
    });
  }

  private List<Placement> placements(AppDefinition app) {
    List<Placement> placed = new ArrayList<>();
    for (Instance instance : appInstances(app.id())) {
      if (!instance.killRequested()) {
        placed.add(new Placement(instance.hostname(), instance.attributes()));
      }
    }
    return placed;
  }

  static ObjectNode currentStepJson(DeploymentPlan plan) {
    ObjectNode step = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    com.fasterxml.jackson.databind.node.ArrayNode actions = step.putArray("actions");
    plan.currentActions().forEach(a -> actions.addObject().put("action", a.type().name())
        .put("app", a.appId()));
    return step;
  }

  /** Used by tests: the set of task ids the scheduler asked to kill and not yet seen die. */
  Set<String> killing() {
    Set<String> ids = new HashSet<>();
    instances.values().stream().filter(Instance::killRequested).forEach(i -> ids.add(
        i.taskId()));
    return ids;
  }
}
