package io.cairn.marathon.internal.core;

import static io.cairn.marathon.internal.core.MarathonCoreTest.app;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.env.RandomSource;
import io.cairn.marathon.internal.model.AppDefinition;
import io.cairn.proto.mesos.v1.Protos.HealthCheck;
import io.cairn.proto.mesos.v1.Protos.TaskInfo;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Health checks in the core: the one Mesos check goes to the agent in the TaskInfo, the
 * Marathon-level ones are probed by the leader (the probes are effects, their outcomes inputs);
 * a task is healthy only when every check passes; failures within the grace period are ignored;
 * {@code maxConsecutiveFailures} counted failures kill the task and the launch queue replaces it.
 */
class MarathonHealthTest {
  long now = 1_700_000_000_000L;
  final MarathonCore core = new MarathonCore(MarathonCore.Settings.defaults(),
      RandomSource.seeded(11));

  DeploymentPlan deploy(AppDefinition app) {
    Map<String, AppDefinition> target = new TreeMap<>(core.apps());
    target.put(app.id(), app);
    return core.deploy(new MarathonCore.Change(target, Set.of(), false), now);
  }

  TaskInfo launchOne() {
    core.offers(List.of(Offers.offer("h1")), now);
    List<TaskInfo> tasks = core.drain().accepts().stream().flatMap(a -> a.tasks().stream())
        .toList();
    assertEquals(1, tasks.size());
    return tasks.get(0);
  }

  void running(TaskInfo task, Boolean healthy) {
    core.update(Offers.status(task.getTaskId().getValue(), task.getAgentId().getValue(),
        TaskState.TASK_RUNNING, healthy), now);
  }

  List<Effects.HealthProbe> tick() {
    core.tick(now);
    return core.drain().healthProbes();
  }

  Instance instance(TaskInfo task) {
    return core.instances().stream().filter(i -> i.taskId().equals(task.getTaskId().getValue()))
        .findFirst().orElseThrow();
  }

  static List<String> types(Effects effects) {
    return effects.events().stream().map(e -> e.get("eventType").asText()).toList();
  }

  @Test
  void aTaskIsHealthyOnlyWhenTheAgentsCheckAndEveryLeaderCheckPass() {
    AppDefinition app = app("{'id':'/web','cmd':'x','cpus':0.1,'mem':8,"
        + "'portDefinitions':[{'port':0},{'port':0}],'healthChecks':["
        + "{'protocol':'HTTP','path':'/health','intervalSeconds':5,'timeoutSeconds':2},"
        + "{'protocol':'MESOS_TCP','portIndex':1},"
        + "{'protocol':'TCP','portIndex':1,'intervalSeconds':5,'timeoutSeconds':2}]}");
    deploy(app);
    core.drain();
    TaskInfo task = launchOne();
    assertEquals(HealthCheck.Type.TCP, task.getHealthCheck().getType(),
        "only the Mesos check goes to the agent");
    assertEquals(31001, task.getHealthCheck().getTcp().getPort());
    String taskId = task.getTaskId().getValue();

    assertEquals(List.of(), tick(), "nothing is probed before the task runs");
    running(task, true);
    core.drain();
    List<Effects.HealthProbe> probes = tick();
    assertEquals(List.of(
        new Effects.HealthProbe(taskId, 0, "HTTP", "h1", 31000, "http://h1:31000/health", 2,
            false),
        new Effects.HealthProbe(taskId, 2, "TCP", "h1", 31001, null, 2, false)), probes);
    now += 1000;
    assertEquals(List.of(), tick(), "not again before intervalSeconds");

    assertNull(instance(task).health(app), "leader checks not answered yet");
    core.health(taskId, 0, true, null, now);
    assertEquals(1, core.deployments().size(), "the TCP check has no result yet");
    core.health(taskId, 2, true, null, now);
    assertEquals(Boolean.TRUE, instance(task).health(app));
    assertTrue(core.deployments().isEmpty(), "all three checks pass: the deployment is done");
    HealthResult http = instance(task).healthResults().get(0);
    assertEquals(new HealthResult(true, 0, now, now, 0, null), http);

    running(task, false); // the agent's check fails: the task is unhealthy whatever the leader says
    assertEquals(Boolean.FALSE, instance(task).health(app));
    assertTrue(types(core.drain()).contains("health_status_changed_event"));
    now += 4000;
    assertEquals(2, tick().size(), "probed again after intervalSeconds");
  }

  @Test
  void failuresInTheGracePeriodAreIgnoredThenMaxConsecutiveFailuresKillAndReplace() {
    AppDefinition app = app("{'id':'/h','cmd':'x','cpus':0.1,'mem':8,'healthChecks':["
        + "{'protocol':'HTTP','gracePeriodSeconds':10,'intervalSeconds':2,'timeoutSeconds':1,"
        + "'maxConsecutiveFailures':3}]}");
    deploy(app);
    TaskInfo task = launchOne();
    assertFalse(task.hasHealthCheck(), "a Marathon-level check is not the agent's");
    String taskId = task.getTaskId().getValue();
    running(task, null);
    core.drain();

    now += 9000;
    core.health(taskId, 0, false, "GET answered HTTP 500", now);
    assertTrue(instance(task).healthResults().isEmpty(), "within gracePeriodSeconds: ignored");
    assertTrue(core.drain().events().isEmpty());

    now += 2000;
    core.health(taskId, 0, false, "GET answered HTTP 500", now);
    Effects first = core.drain();
    assertEquals(List.of("failed_health_check_event"), types(first));
    ObjectNode failed = first.events().get(0);
    assertEquals("/h", failed.get("appId").asText());
    assertEquals("HTTP", failed.get("healthCheck").get("protocol").asText());
    assertEquals(new HealthResult(false, 1, 0, 0, now, "GET answered HTTP 500"),
        instance(task).healthResults().get(0));
    assertEquals(Boolean.FALSE, instance(task).health(app));
    assertTrue(first.kills().isEmpty());

    now += 2000;
    core.health(taskId, 0, false, "GET answered HTTP 500", now);
    assertTrue(core.drain().kills().isEmpty(), "2 of 3");
    now += 2000;
    core.health(taskId, 0, false, "timed out", now);
    Effects third = core.drain();
    assertEquals(List.of(new Effects.Kill(taskId, "agent-h1")), third.kills());
    ObjectNode kill = third.events().stream()
        .filter(e -> e.get("eventType").asText().equals("unhealthy_instance_kill_event"))
        .findFirst().orElseThrow();
    assertEquals(taskId, kill.get("taskId").asText());
    assertEquals("h1", kill.get("host").asText());
    assertEquals("agent-h1", kill.get("slaveId").asText());
    assertTrue(kill.get("reason").asText().contains("3 times"), kill.toString());
    assertEquals(Map.of("/h", 1), core.queue(now), "the killed task is replaced");
    assertEquals(List.of(), tick(), "a task being killed is not probed");
    TaskInfo replacement = launchOne();
    assertFalse(replacement.getTaskId().equals(task.getTaskId()));
    core.health(taskId, 0, false, "late", now); // a late answer for the killed task
    assertTrue(core.drain().kills().isEmpty());
  }

  @Test
  void afterAFirstSuccessTheGracePeriodNoLongerProtectsAndZeroFailuresNeverKill() {
    AppDefinition app = app("{'id':'/z','cmd':'x','cpus':0.1,'mem':8,'healthChecks':["
        + "{'protocol':'TCP','gracePeriodSeconds':300,'intervalSeconds':2,'timeoutSeconds':1,"
        + "'maxConsecutiveFailures':0}]}");
    deploy(app);
    TaskInfo task = launchOne();
    String taskId = task.getTaskId().getValue();
    running(task, null);
    long started = now;
    now += 1000;
    core.health(taskId, 0, true, null, now);
    assertTrue(core.deployments().isEmpty());
    for (int i = 1; i <= 5; i++) {
      now += 2000;
      core.health(taskId, 0, false, "refused", now);
    }
    HealthResult result = instance(task).healthResults().get(0);
    assertEquals(5, result.consecutiveFailures(), "counted although within the grace period");
    assertEquals(started + 1000, result.firstSuccessMillis());
    assertTrue(core.drain().kills().isEmpty(), "maxConsecutiveFailures 0: never killed");
    now += 2000;
    core.health(taskId, 0, true, null, now);
    assertEquals(new HealthResult(true, 0, started + 1000, now, now - 2000, "refused"),
        instance(task).healthResults().get(0));
    core.health(taskId, 0, null, null, now); // an ignored 1xx answer changes nothing
    assertEquals(Boolean.TRUE, instance(task).health(app));
  }

  @Test
  void afterAFailOverOldInstancesWithoutResultsAreNotKilledAsUnhealthyByARestart() {
    AppDefinition app = app("{'id':'/r','cmd':'x','cpus':0.1,'mem':8,'healthChecks':["
        + "{'protocol':'HTTP','gracePeriodSeconds':0,'intervalSeconds':2,'timeoutSeconds':1}]}");
    deploy(app);
    TaskInfo task = launchOne();
    running(task, null);
    core.health(task.getTaskId().getValue(), 0, true, null, now);
    assertTrue(core.deployments().isEmpty());
    Instance stored = instance(task);

    MarathonCore next = new MarathonCore(MarathonCore.Settings.defaults(), RandomSource.seeded(3));
    AppDefinition current = core.apps().get("/r");
    next.restore(List.of(current), Map.of("/r", List.of(current)), List.of(),
        List.of(new Instance(stored.taskId(), stored.appId(), stored.appVersion(),
            stored.configVersion(), stored.agentId(), stored.hostname(), stored.attributes(),
            stored.hostPorts(), stored.state(), stored.healthy(), stored.stagedAtMillis(),
            stored.startedAtMillis(), false, 0)));
    now += 1000;
    next.deploy(new MarathonCore.Change(Map.of("/r", app("{'id':'/r','cmd':'y','cpus':0.1,"
        + "'mem':8,'healthChecks':[{'protocol':'HTTP','gracePeriodSeconds':0,"
        + "'intervalSeconds':2,'timeoutSeconds':1}]}")), Set.of(), false), now);
    assertTrue(next.drain().kills().isEmpty(), "no result yet is not a failure");
    next.health(stored.taskId(), 0, false, "refused", now);
    assertEquals(List.of(new Effects.Kill(stored.taskId(), "agent-h1")), next.drain().kills(),
        "a failing old instance goes first");
  }
}
