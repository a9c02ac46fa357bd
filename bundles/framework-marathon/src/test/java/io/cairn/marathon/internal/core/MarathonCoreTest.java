package io.cairn.marathon.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.env.RandomSource;
import io.cairn.marathon.internal.model.AppDefinition;
import io.cairn.marathon.internal.model.AppJson;
import io.cairn.marathon.internal.model.AppParser;
import io.cairn.proto.mesos.v1.Protos.Offer;
import io.cairn.proto.mesos.v1.Protos.TaskInfo;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MarathonCoreTest {
  long now = 1_700_000_000_000L;
  final MarathonCore core = new MarathonCore(MarathonCore.Settings.defaults(),
      RandomSource.seeded(7));

  static AppDefinition app(String json) {
    try {
      return AppParser.parse(AppJson.MAPPER.readTree(json.replace('\'', '"')), "/");
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  DeploymentPlan deploy(AppDefinition app) {
    Map<String, AppDefinition> target = new TreeMap<>(core.apps());
    target.put(app.id(), app);
    return core.deploy(new MarathonCore.Change(target, Set.of(), false), now);
  }

  List<TaskInfo> offer(Offer offer) {
    core.offers(List.of(offer), now);
    Effects effects = core.drain();
    return effects.accepts().stream().flatMap(a -> a.tasks().stream()).toList();
  }

  void status(TaskInfo task, TaskState state, Boolean healthy) {
    core.update(Offers.status(task.getTaskId().getValue(), task.getAgentId().getValue(), state,
        healthy), now);
  }

  @Test
  void anAppIsLaunchedOnOffersAndItsDeploymentFinishesWhenAllAreHealthy() {
    DeploymentPlan plan = deploy(app("{'id':'/ocfweb/web','cmd':'python3 -m http.server $PORT0',"
        + "'instances':3,'cpus':0.5,'mem':64,'constraints':[['hostname','UNIQUE']],"
        + "'healthChecks':[{'protocol':'MESOS_HTTP','portIndex':0}]}"));
    assertEquals(List.of("StartApplication"), plan.steps().get(0).actions().stream()
        .map(a -> a.type().name()).toList());
    Effects effects = core.drain();
    assertTrue(effects.revive(), "a new deployment revives offers");
    assertTrue(effects.writes().stream().anyMatch(w -> w instanceof Effects.PutDeployment));
    List<TaskInfo> tasks = new ArrayList<>();
    tasks.addAll(offer(Offers.offer("h1")));
    assertEquals(1, tasks.size(), "UNIQUE hostname: one per agent");
    assertEquals(0, offer(Offers.offer("h1")).size(), "h1 is taken: declined");
    tasks.addAll(offer(Offers.offer("h2")));
    tasks.addAll(offer(Offers.offer("h3")));
    assertEquals(3, tasks.size());
    TaskInfo task = tasks.get(0);
    assertTrue(task.getTaskId().getValue().startsWith("ocfweb_web.instance-"));
    assertTrue(task.getTaskId().getValue().endsWith("._app.1"));
    assertEquals("python3 -m http.server $PORT0", task.getCommand().getValue());
    assertTrue(task.getCommand().getShell());
    Map<String, String> env = task.getCommand().getEnvironment().getVariablesList().stream()
        .collect(Collectors.toMap(v -> v.getName(), v -> v.getValue()));
    assertEquals("31000", env.get("PORT0"));
    assertEquals("/ocfweb/web", env.get("MARATHON_APP_ID"));
    assertEquals(31000, task.getHealthCheck().getHttp().getPort());
    assertEquals(1, core.deployments().size());
    for (TaskInfo t : tasks) {
      status(t, TaskState.TASK_RUNNING, null);
    }
    assertEquals(1, core.deployments().size(), "running is not yet healthy");
    for (TaskInfo t : tasks) {
      status(t, TaskState.TASK_RUNNING, true);
    }
    assertEquals(0, core.deployments().size());
    Effects done = core.drain();
    assertTrue(done.events().stream().anyMatch(e -> e.get("eventType").asText()
        .equals("deployment_success") && e.get("id").asText().equals(plan.id())));
    assertTrue(done.writes().contains(new Effects.DeleteDeployment(plan.id())));
  }

  @Test
  void offersThatDoNotFitAreDeclinedWithAReasonPerOffer() {
    deploy(app("{'id':'/big','cmd':'x','cpus':8,'mem':64}"));
    core.drain();
    assertEquals(List.of(), offer(Offers.offer("h1")));
    deploy(app("{'id':'/picky','cmd':'x','cpus':0.1,'mem':8,'constraints':[['nfs','LIKE','true']]}"));
    core.drain();
    core.offers(List.of(Offers.offer("h2")), now);
    Effects effects = core.drain();
    assertEquals(1, effects.declines().size());
    assertEquals(5.0, effects.declines().get(0).refuseSeconds(), "demand: short refusal");
    LaunchStats big = core.launchStats("/big");
    assertEquals(2, big.processedOffers());
    assertEquals(2L, big.rejected().get(RejectReason.InsufficientCpus));
    assertTrue(big.lastOffers().get(0).detail().contains("needs 8.0 cpus"));
    assertEquals(RejectReason.UnfulfilledConstraint,
        core.launchStats("/picky").lastOffers().get(0).reason());
    assertEquals(Map.of("/big", 1, "/picky", 1), core.queue(now));
  }

  @Test
  void withoutDemandOffersAreDeclinedForLong() {
    core.offers(List.of(Offers.offer("h1")), now);
    assertEquals(120.0, core.drain().declines().get(0).refuseSeconds());
  }

  @Test
  void scaleDownKillsTheYoungestFirstAndScaleUpLaunches() {
    deploy(app("{'id':'/s','cmd':'x','cpus':0.1,'mem':8,'instances':3}"));
    List<TaskInfo> tasks = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      now += 1000;
      tasks.addAll(offer(Offers.offer("h" + i, 0.1, 8, 31000, 31010, Map.of())));
    }
    tasks.forEach(t -> status(t, TaskState.TASK_RUNNING, null));
    assertEquals(0, core.deployments().size());
    core.drain();
    DeploymentPlan scale = deploy(core.apps().get("/s").withInstances(1));
    assertEquals(DeploymentPlan.ActionType.ScaleApplication,
        scale.steps().get(0).actions().get(0).type());
    Effects effects = core.drain();
    List<String> killed = effects.kills().stream().map(Effects.Kill::taskId).toList();
    assertEquals(List.of(tasks.get(2).getTaskId().getValue(), tasks.get(1).getTaskId()
        .getValue()), killed, "youngest first");
    status(tasks.get(2), TaskState.TASK_KILLED, null);
    assertEquals(1, core.deployments().size(), "waits until the killed tasks are gone");
    status(tasks.get(1), TaskState.TASK_KILLED, null);
    assertEquals(0, core.deployments().size());
    assertEquals("1", String.valueOf(core.instancesOf("/s").size()));
  }

  @Test
  void rollingRestartKeepsMinimumHealthCapacity() {
    deploy(app("{'id':'/r','cmd':'x','cpus':0.1,'mem':8,'instances':4,"
        + "'upgradeStrategy':{'minimumHealthCapacity':0.5,'maximumOverCapacity':0}}"));
    List<TaskInfo> old = offer(Offers.offer("h1", 4, 4096, 31000, 31099, Map.of()));
    assertEquals(4, old.size());
    old.forEach(t -> status(t, TaskState.TASK_RUNNING, null));
    core.drain();
    AppDefinition changed = app("{'id':'/r','cmd':'y','cpus':0.1,'mem':8,'instances':4,"
        + "'upgradeStrategy':{'minimumHealthCapacity':0.5,'maximumOverCapacity':0}}");
    DeploymentPlan plan = deploy(changed);
    assertEquals(DeploymentPlan.ActionType.RestartApplication,
        plan.steps().get(0).actions().get(0).type());
    Effects effects = core.drain();
    assertEquals(2, effects.kills().size(), "4 healthy, 2 needed: 2 old ones go at once");
    effects.kills().forEach(k -> core.update(Offers.status(k.taskId(), "agent-h1",
        TaskState.TASK_KILLED, null), now));
    List<TaskInfo> fresh = offer(Offers.offer("h1", 4, 4096, 31000, 31099, Map.of()));
    assertEquals(2, fresh.size(), "capacity 4: two new ones beside two old ones");
    assertEquals("y", fresh.get(0).getCommand().getValue());
    core.drain();
    status(fresh.get(0), TaskState.TASK_RUNNING, null);
    Effects afterOne = core.drain();
    assertEquals(1, afterOne.kills().size(), "each healthy new instance releases one old one");
    core.update(Offers.status(afterOne.kills().get(0).taskId(), "agent-h1",
        TaskState.TASK_KILLED, null), now);
    status(fresh.get(1), TaskState.TASK_RUNNING, null);
    Effects afterTwo = core.drain();
    assertEquals(1, afterTwo.kills().size());
    core.update(Offers.status(afterTwo.kills().get(0).taskId(), "agent-h1",
        TaskState.TASK_KILLED, null), now);
    List<TaskInfo> rest = offer(Offers.offer("h1", 4, 4096, 31000, 31099, Map.of()));
    assertEquals(2, rest.size());
    rest.forEach(t -> status(t, TaskState.TASK_RUNNING, null));
    assertEquals(0, core.deployments().size());
    assertTrue(core.instancesOf("/r").stream().allMatch(i -> i.configVersion()
        .equals(core.apps().get("/r").versionInfo().lastConfigChangeAt())));
  }

  @Test
  void aDefaultRestartStartsAllNewOnesBesideTheOldOnes() {
    deploy(app("{'id':'/d','cmd':'x','cpus':0.1,'mem':8,'instances':2}"));
    offer(Offers.offer("h1")).forEach(t -> status(t, TaskState.TASK_RUNNING, null));
    core.drain();
    Map<String, AppDefinition> target = new TreeMap<>(core.apps());
    DeploymentPlan restart = core.deploy(new MarathonCore.Change(target, Set.of("/d"), false),
        now);
    assertEquals(DeploymentPlan.ActionType.RestartApplication,
        restart.steps().get(0).actions().get(0).type());
    assertEquals(0, core.drain().kills().size(), "minimumHealthCapacity 1: nothing killed yet");
    List<TaskInfo> fresh = offer(Offers.offer("h2"));
    assertEquals(2, fresh.size(), "maximumOverCapacity 1: all new ones at once");
    fresh.forEach(t -> status(t, TaskState.TASK_RUNNING, null));
    assertEquals(2, core.drain().kills().size());
  }

  @Test
  void aLockedAppGets409UnlessForced() {
    DeploymentPlan first = deploy(app("{'id':'/l','cmd':'x','instances':1}"));
    Rejection rejection = assertThrows(Rejection.class,
        () -> deploy(app("{'id':'/l','cmd':'x','instances':2}")));
    assertEquals(409, rejection.status());
    assertEquals(List.of(first.id()), rejection.deploymentIds());
    Map<String, AppDefinition> target = new TreeMap<>(core.apps());
    target.put("/l", core.apps().get("/l").withInstances(2));
    DeploymentPlan forced = core.deploy(new MarathonCore.Change(target, Set.of(), true), now);
    assertEquals(List.of(forced.id()), core.deployments().stream().map(DeploymentPlan::id)
        .toList());
  }

  @Test
  void failedTasksAreRelaunchedAfterABackoffThatGrows() {
    deploy(app("{'id':'/f','cmd':'false','cpus':0.1,'mem':8,'backoffSeconds':2,"
        + "'backoffFactor':2}"));
    TaskInfo first = offer(Offers.offer("h1")).get(0);
    status(first, TaskState.TASK_FAILED, null);
    assertEquals(List.of(), offer(Offers.offer("h1")), "delayed 2 s");
    assertEquals(Map.of("/f", 1), core.queue(now), "still queued");
    now += 2000;
    TaskInfo second = offer(Offers.offer("h1")).get(0);
    status(second, TaskState.TASK_FAILED, null);
    now += 2000;
    assertEquals(List.of(), offer(Offers.offer("h1")), "now delayed 4 s");
    now += 2000;
    assertEquals(1, offer(Offers.offer("h1")).size());
    assertNotNull(core.lastTaskFailure("/f"));
  }

  @Test
  void anUnhealthyKillIsReplacedAndAnUnknownRunningTaskIsKilled() {
    deploy(app("{'id':'/h','cmd':'x','cpus':0.1,'mem':8}"));
    TaskInfo task = offer(Offers.offer("h1")).get(0);
    status(task, TaskState.TASK_RUNNING, true);
    core.drain();
    status(task, TaskState.TASK_KILLED, false);
    assertEquals(Map.of("/h", 1), core.queue(now));
    core.update(Offers.status("ghost.instance-1._app.1", "agent-x", TaskState.TASK_RUNNING,
        null), now);
    assertEquals(List.of(new Effects.Kill("ghost.instance-1._app.1", "agent-x")),
        core.drain().kills());
  }

  @Test
  void deletingAnAppStopsItsTasksAndDependenciesOrderSteps() {
    Map<String, AppDefinition> target = new TreeMap<>();
    target.put("/db", app("{'id':'/db','cmd':'x','cpus':0.1,'mem':8}"));
    target.put("/web", app("{'id':'/web','cmd':'x','cpus':0.1,'mem':8,'dependencies':['/db']}"));
    DeploymentPlan plan = core.deploy(new MarathonCore.Change(target, Set.of(), false), now);
    assertEquals(3, plan.steps().size());
    assertEquals("/db", plan.steps().get(1).actions().get(0).appId());
    assertEquals("/web", plan.steps().get(2).actions().get(0).appId());
    List<TaskInfo> tasks = offer(Offers.offer("h1"));
    assertEquals(List.of("db"), tasks.stream().map(TaskInfo::getName).toList(),
        "web waits for db's step");
    status(tasks.get(0), TaskState.TASK_RUNNING, null);
    TaskInfo web = offer(Offers.offer("h1")).get(0);
    status(web, TaskState.TASK_RUNNING, null);
    assertTrue(core.deployments().isEmpty());
    Map<String, AppDefinition> without = new TreeMap<>(core.apps());
    without.remove("/web");
    DeploymentPlan stop = core.deploy(new MarathonCore.Change(without, Set.of(), false), now);
    assertEquals(DeploymentPlan.ActionType.StopApplication,
        stop.steps().get(0).actions().get(0).type());
    Effects effects = core.drain();
    assertEquals(List.of(web.getTaskId().getValue()), effects.kills().stream()
        .map(Effects.Kill::taskId).toList());
    assertTrue(effects.writes().contains(new Effects.DeleteApp("/web")));
    status(web, TaskState.TASK_KILLED, null);
    assertTrue(core.deployments().isEmpty());
  }

  @Test
  void aCyclicDependencyIsRejected() {
    Map<String, AppDefinition> target = new TreeMap<>();
    target.put("/a", app("{'id':'/a','cmd':'x','dependencies':['/b']}"));
    target.put("/b", app("{'id':'/b','cmd':'x','dependencies':['/a']}"));
    Rejection rejection = assertThrows(Rejection.class,
        () -> core.deploy(new MarathonCore.Change(target, Set.of(), false), now));
    assertEquals(422, rejection.status());
  }

  @Test
  void cancellingWithoutForceRevertsAndWithForceJustStops() {
    DeploymentPlan plan = deploy(app("{'id':'/c','cmd':'x','instances':2,'cpus':0.1,'mem':8,"
        + "'constraints':[['rack','CLUSTER','none']]}"));
    DeploymentPlan revert = core.cancel(plan.id(), false, now);
    assertNotNull(revert);
    assertFalse(core.apps().containsKey("/c"), "reverted: the new app is removed");
    assertEquals(DeploymentPlan.ActionType.StopApplication,
        revert.steps().get(0).actions().get(0).type());
    DeploymentPlan second = deploy(app("{'id':'/e','cmd':'x','cpus':0.1,'mem':8}"));
    assertEquals(null, core.cancel(second.id(), true, now));
    assertTrue(core.apps().containsKey("/e"), "forced cancel leaves the app");
    assertEquals(404, assertThrows(Rejection.class, () -> core.cancel("nope", true, now))
        .status());
  }

  @Test
  void killWithScaleShrinksTheApp() {
    deploy(app("{'id':'/k','cmd':'x','cpus':0.1,'mem':8,'instances':2}"));
    List<TaskInfo> tasks = offer(Offers.offer("h1"));
    tasks.forEach(t -> status(t, TaskState.TASK_RUNNING, null));
    core.drain();
    core.killTasks("/k", List.of(tasks.get(0).getTaskId().getValue()), true, false, now);
    assertEquals(1, core.apps().get("/k").instances());
    assertEquals(1, core.drain().kills().size());
    Rejection unknown = assertThrows(Rejection.class,
        () -> core.killTasks("/k", List.of("nope"), false, false, now));
    assertEquals("Task 'nope' does not exist", unknown.getMessage());
  }

  @Test
  void subscriptionReconcilesKnownTasks() {
    deploy(app("{'id':'/z','cmd':'x','cpus':0.1,'mem':8}"));
    TaskInfo task = offer(Offers.offer("h1")).get(0);
    core.subscribed(now);
    Effects effects = core.drain();
    assertEquals(List.of(new Effects.ReconcileTask(task.getTaskId().getValue(), "agent-h1")),
        effects.reconcile());
    assertTrue(effects.reconcileImplicit());
  }

  @Test
  void scaleOnlyChangesKeepTheConfigVersion() {
    deploy(app("{'id':'/v','cmd':'x','cpus':0.1,'mem':8}"));
    String config = core.apps().get("/v").versionInfo().lastConfigChangeAt();
    now += 5000;
    core.cancel(core.deployments().get(0).id(), true, now);
    deploy(core.apps().get("/v").withInstances(3));
    AppDefinition scaled = core.apps().get("/v");
    assertEquals(config, scaled.versionInfo().lastConfigChangeAt());
    assertFalse(config.equals(scaled.versionInfo().lastScalingAt()));
    assertEquals(2, core.versions("/v").size());
  }
  @Test
  void aBatchOfOffersLaunchesExactlyTheDemandAcrossAppsAndOffers() {
    deploy(app("{'id':'/a','cmd':'x','instances':3,'cpus':0.1,'mem':8}"));
    deploy(app("{'id':'/b','cmd':'x','instances':4,'cpus':0.1,'mem':8}"));
    core.drain();
    core.offers(List.of(Offers.offer("h1"), Offers.offer("h2"), Offers.offer("h3")), now);
    Effects effects = core.drain();
    // 5 per offer at most: h1 takes a,a,a,b,b; h2 takes b,b; h3 is not needed.
    assertEquals(List.of(5, 2), effects.accepts().stream().map(a -> a.tasks().size()).toList());
    assertEquals(1, effects.declines().size());
    assertEquals(120.0, effects.declines().get(0).refuseSeconds(), "no demand left: long refusal");
    assertEquals(3, core.instancesOf("/a").size());
    assertEquals(4, core.instancesOf("/b").size());
    assertEquals(7, effects.writes().stream().filter(w -> w instanceof Effects.PutInstance)
        .count(), "every launch is a write, stored before its ACCEPT is sent");
    assertEquals(Map.of(), core.queue(now));
  }

  @Test
  void updatesInOneBatchEndLikeTheSameUpdatesOneByOne() {
    MarathonCore other = new MarathonCore(MarathonCore.Settings.defaults(),
        RandomSource.seeded(7));
    AppDefinition app = app("{'id':'/web','cmd':'x','instances':3,'cpus':0.1,'mem':8}");
    for (MarathonCore c : List.of(core, other)) {
      c.deploy(new MarathonCore.Change(Map.of(app.id(), app), Set.of(), false), now);
      c.offers(List.of(Offers.offer("h1")), now);
    }
    List<TaskInfo> tasks = core.drain().accepts().get(0).tasks();
    List<TaskInfo> otherTasks = other.drain().accepts().get(0).tasks();
    assertEquals(tasks.stream().map(t -> t.getTaskId().getValue()).toList(),
        otherTasks.stream().map(t -> t.getTaskId().getValue()).toList(), "same seed, same ids");
    List<io.cairn.proto.mesos.v1.Protos.TaskStatus> statuses = tasks.stream()
        .map(t -> Offers.status(t.getTaskId().getValue(), t.getAgentId().getValue(),
            TaskState.TASK_RUNNING, null)).toList();
    statuses.forEach(st -> core.update(st, now));
    other.updates(statuses, now);
    Effects one = core.drain();
    Effects batch = other.drain();
    assertEquals(0, core.deployments().size());
    assertEquals(0, other.deployments().size());
    assertEquals(one.writes(), batch.writes());
    assertEquals(one.events().stream().map(e -> e.get("eventType").asText()).toList(),
        batch.events().stream().map(e -> e.get("eventType").asText()).toList());
    assertEquals(core.instances().stream().map(Instance::state).toList(),
        other.instances().stream().map(Instance::state).toList());
  }

  @Test
  void aDeploymentCountsANewInstanceOnlyOnceItsReadinessCheckPasses() {
    deploy(app("{'id':'/rd','cmd':'x','cpus':0.1,'mem':8,'instances':2,"
        + "'portDefinitions':[{'port':0,'name':'http-api'}],'readinessChecks':[{'name':'warm',"
        + "'path':'/ready','portName':'http-api','intervalSeconds':5,'timeoutSeconds':2,"
        + "'httpStatusCodesForReady':[200,204],'preserveLastResponse':true}]}"));
    List<TaskInfo> first = offer(Offers.offer("h1"));
    assertEquals(2, first.size());
    core.tick(now);
    assertEquals(List.of(), core.drain().probes(), "staging tasks are not probed");
    first.forEach(t -> status(t, TaskState.TASK_RUNNING, null));
    assertEquals(1, core.deployments().size(), "running but not ready: the start goes on");
    core.drain();
    core.tick(now);
    List<Effects.ReadinessProbe> probes = core.drain().probes();
    assertEquals(2, probes.size());
    assertEquals("http://h1:31000/ready", probes.get(0).url());
    assertEquals(2, probes.get(0).timeoutSeconds());
    now += 1000;
    core.tick(now);
    assertEquals(List.of(), core.drain().probes(), "next probe after intervalSeconds (5)");
    String a = first.get(0).getTaskId().getValue();
    String b = first.get(1).getTaskId().getValue();
    core.readiness(a, 503, "text/plain", "warming up", now);
    ReadinessResult result = core.readinessResults("/rd").get(0);
    assertEquals(new ReadinessResult("warm", a, false, 503, "text/plain", "warming up", now),
        result);
    assertEquals(1, core.deployments().size());
    now += 5000;
    core.tick(now);
    assertEquals(2, core.drain().probes().size());
    core.readiness(a, 200, "text/plain", "ok", now);
    assertEquals(1, core.deployments().size(), "one of two ready");
    core.readiness(b, 204, "", "", now);
    assertEquals(0, core.deployments().size(), "both ready: deployment done");
    now += 5000;
    core.drain();
    core.tick(now);
    assertEquals(List.of(), core.drain().probes(), "ready tasks are not probed again");

    // A restart: the new instances run at once, but the old ones go only as new ones get ready.
    core.deploy(new MarathonCore.Change(new TreeMap<>(core.apps()), Set.of("/rd"), false), now);
    core.drain();
    List<TaskInfo> fresh = offer(Offers.offer("h2"));
    assertEquals(2, fresh.size());
    fresh.forEach(t -> status(t, TaskState.TASK_RUNNING, null));
    assertEquals(List.of(), core.drain().kills(), "new ones are not ready: no old one killed");
    core.readiness(fresh.get(0).getTaskId().getValue(), 200, "", "", now);
    List<Effects.Kill> kills = core.drain().kills();
    assertEquals(1, kills.size(), "one new ready: one old goes");
    assertTrue(Set.of(a, b).contains(kills.get(0).taskId()));
    core.readiness(fresh.get(1).getTaskId().getValue(), 200, "", "", now);
    assertEquals(1, core.drain().kills().size());
    for (String old : List.of(a, b)) {
      core.update(Offers.status(old, "agent-h1", TaskState.TASK_KILLED, null), now);
    }
    assertEquals(0, core.deployments().size());
  }

  @Test
  void aReadinessCheckOnAnUnknownPortNameSaysWhy() {
    deploy(app("{'id':'/np','cmd':'x','cpus':0.1,'mem':8,"
        + "'readinessChecks':[{'portName':'nope'}]}"));
    offer(Offers.offer("h1")).forEach(t -> status(t, TaskState.TASK_RUNNING, null));
    core.tick(now);
    assertEquals(List.of(), core.drain().probes());
    ReadinessResult result = core.readinessResults("/np").get(0);
    assertFalse(result.ready());
    assertTrue(result.body().contains("no port named 'nope'"), result.body());
    assertEquals(1, core.deployments().size(), "the deployment waits, and says why");
  }
}
