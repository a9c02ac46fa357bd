package io.cairn.marathon.internal.core;

import static io.cairn.marathon.internal.core.MarathonCoreTest.app;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.marathon.internal.model.AppDefinition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link HealthChecks} on its own, without a core: which probes are due and at which address,
 * and what each probe outcome does to a task (grace period, {@link HealthResult} bookkeeping,
 * events in order, kill at {@code maxConsecutiveFailures}), and health as a restart sees it.
 */
class HealthChecksTest {
  static final long STARTED = 1_700_000_000_000L;

  final HealthChecks checks = new HealthChecks();

  static AppDefinition versioned(String json, String version) {
    return app(json).withVersion(version, new AppDefinition.VersionInfo(version, version));
  }

  static Instance task(String taskId, String configVersion, String state, Boolean healthy,
      long startedAtMillis, boolean killRequested, List<Integer> hostPorts) {
    return new Instance(taskId, "/web", configVersion, configVersion, "agent-h1", "h1",
        Map.of(), hostPorts, state, healthy, STARTED - 5_000, startedAtMillis, killRequested, 0);
  }

  static Instance running(String taskId) {
    return task(taskId, "v1", "TASK_RUNNING", null, STARTED, false, List.of(31000, 31001));
  }

  static List<String> types(List<ObjectNode> events) {
    return events.stream().map(e -> e.get("eventType").asText()).toList();
  }

  static AppDefinition.HealthCheckDef check(String protocol, String path, Integer portIndex,
      Integer port) {
    return new AppDefinition.HealthCheckDef(protocol, path, portIndex, port, null, 0, 10, 3, 3,
        0, true, "IPv4");
  }

  // ---------------------------------------------------------------- due probes

  @Test
  void eachLeaderCheckOfEachRunningTaskIsDueOncePerInterval() {
    AppDefinition app = versioned("{'id':'/web','cmd':'x','cpus':0.1,'mem':8,"
        + "'portDefinitions':[{'port':0},{'port':0}],'healthChecks':["
        + "{'protocol':'HTTP','path':'/health','intervalSeconds':5,'timeoutSeconds':2},"
        + "{'protocol':'MESOS_TCP','portIndex':1},"
        + "{'protocol':'TCP','portIndex':1,'intervalSeconds':20,'timeoutSeconds':4}]}", "v1");
    List<Instance> tasks = List.of(running("a"),
        task("staging", "v1", "TASK_STAGING", null, 0, false, List.of(31002, 31003)),
        task("killing", "v1", "TASK_RUNNING", null, STARTED, true, List.of(31004, 31005)));

    assertEquals(List.of(
        new Effects.HealthProbe("a", 0, "HTTP", "h1", 31000, "http://h1:31000/health", 2, false),
        new Effects.HealthProbe("a", 2, "TCP", "h1", 31001, null, 4, false)),
        checks.due(tasks, i -> app, STARTED),
        "not the Mesos check (the agent's), not a staging task, not a task being killed");
    assertEquals(List.of(), checks.due(tasks, i -> app, STARTED + 4_999), "before 5 s");
    assertEquals(List.of(0), checks.due(tasks, i -> app, STARTED + 5_000).stream()
        .map(Effects.HealthProbe::checkIndex).toList(), "HTTP again after 5 s, TCP after 20 s");
    assertEquals(List.of(0, 2), checks.due(tasks, i -> app, STARTED + 20_000).stream()
        .map(Effects.HealthProbe::checkIndex).toList());
  }

  @Test
  void aForgottenTaskIsProbedAfreshAndAnOrphanHasNoChecks() {
    AppDefinition app = versioned("{'id':'/web','cmd':'x','cpus':0.1,'mem':8,"
        + "'healthChecks':[{'protocol':'TCP','intervalSeconds':60}]}", "v1");
    List<Instance> tasks = List.of(running("a"), running("b"));
    assertEquals(2, checks.due(tasks, i -> app, STARTED).size());
    assertEquals(0, checks.due(tasks, i -> app, STARTED + 1_000).size());
    checks.forget("a");
    assertEquals(List.of("a"), checks.due(tasks, i -> app, STARTED + 1_000).stream()
        .map(Effects.HealthProbe::taskId).toList());
    checks.clear();
    assertEquals(2, checks.due(tasks, i -> app, STARTED + 2_000).size());
    assertEquals(List.of(), new HealthChecks().due(tasks, i -> null, STARTED),
        "no definition (an orphan): nothing to probe");
  }

  @ParameterizedTest(name = "{0} path={1} portIndex={2} port={3} -> {4} {5}")
  @CsvSource(nullValues = "null", value = {
      "HTTP,  /health, 1,    null, 31001, http://h1:31001/health",
      "HTTPS, health,  null, null, 31000, https://h1:31000/health",
      "HTTP,  /,       null, 8080, 8080,  http://h1:8080/",
      "HTTP,  /x,      5,    null, 0,     http://h1:0/x",
      "TCP,   /,       1,    null, 31001, null"})
  void aProbeAimsAtTheCheckedPort(String protocol, String path, Integer portIndex,
      Integer port, int expectedPort, String expectedUrl) {
    Effects.HealthProbe probe = HealthChecks.probe(running("a"), 3,
        check(protocol, path, portIndex, port));
    assertEquals(new Effects.HealthProbe("a", 3, protocol, "h1", expectedPort, expectedUrl, 3,
        true), probe);
  }

  // ---------------------------------------------------------------- outcomes

  static final String GRACE_APP = "{'id':'/web','cmd':'x','cpus':0.1,'mem':8,'healthChecks':["
      + "{'protocol':'HTTP','gracePeriodSeconds':10,'maxConsecutiveFailures':2},"
      + "{'protocol':'MESOS_TCP'}]}";

  @Test
  void outcomesThatChangeNothing() {
    AppDefinition app = versioned(GRACE_APP, "v1");
    Instance task = running("a");
    long late = STARTED + 60_000;
    assertNull(HealthChecks.outcome(task, app, 0, null, null, late), "no result (1xx)");
    assertNull(HealthChecks.outcome(task, null, 0, true, null, late), "an orphan");
    assertNull(HealthChecks.outcome(task, app, -1, true, null, late), "no such check");
    assertNull(HealthChecks.outcome(task, app, 2, true, null, late), "no such check");
    assertNull(HealthChecks.outcome(task, app, 1, true, null, late), "the agent's check");
    assertNull(HealthChecks.outcome(task, app, 0, false, "refused", STARTED + 9_999),
        "a failure within gracePeriodSeconds of the start, never passed");
    Instance notStarted = task("b", "v1", "TASK_RUNNING", null, 0, false, List.of(31000));
    assertNull(HealthChecks.outcome(notStarted, app, 0, false, "refused", late),
        "no start time: within the grace period");
  }

  @Test
  void aPassMakesTheCheckAliveAndReportsTheFlip() {
    AppDefinition app = versioned("{'id':'/web','cmd':'x','cpus':0.1,'mem':8,"
        + "'healthChecks':[{'protocol':'HTTP'}]}", "v1");
    long now = STARTED + 1_000;
    HealthChecks.Outcome outcome = HealthChecks.outcome(running("a"), app, 0, true, null, now);
    assertEquals(new HealthResult(true, 0, now, now, 0, null),
        outcome.instance().healthResults().get(0));
    assertEquals(List.of("health_status_changed_event"), types(outcome.events()));
    ObjectNode changed = outcome.events().get(0);
    assertEquals("a", changed.get("instanceId").asText());
    assertEquals("v1", changed.get("version").asText());
    assertTrue(changed.get("alive").asBoolean());
    assertTrue(outcome.healthChanged(), "unknown -> healthy");
    assertFalse(outcome.kill());

    HealthChecks.Outcome again = HealthChecks.outcome(outcome.instance(), app, 0, true, null,
        now + 60_000);
    assertEquals(List.of(), again.events(), "still alive: no event");
    assertFalse(again.healthChanged());
    assertEquals(new HealthResult(true, 0, now, now + 60_000, 0, null),
        again.instance().healthResults().get(0), "firstSuccess stays, lastSuccess moves");
  }

  @Test
  void countedFailuresEmitEventsAndTheLastOneKills() {
    AppDefinition app = versioned(GRACE_APP, "v1");
    long now = STARTED + 10_000; // the grace period is over
    HealthChecks.Outcome first = HealthChecks.outcome(running("a"), app, 0, false, "HTTP 500",
        now);
    assertEquals(List.of("failed_health_check_event"), types(first.events()),
        "NONE was not alive: no flip");
    assertEquals("HTTP", first.events().get(0).get("healthCheck").get("protocol").asText());
    assertEquals(new HealthResult(false, 1, 0, 0, now, "HTTP 500"),
        first.instance().healthResults().get(0));
    assertTrue(first.healthChanged(), "unknown -> unhealthy");
    assertFalse(first.kill(), "1 of 2");

    HealthChecks.Outcome second = HealthChecks.outcome(first.instance(), app, 0, false,
        "timed out", now + 1_000);
    assertTrue(second.kill(), "2 of 2");
    assertFalse(second.healthChanged(), "unhealthy before and after");
    assertEquals(List.of("failed_health_check_event", "unhealthy_instance_kill_event"),
        types(second.events()));
    ObjectNode kill = second.events().get(1);
    assertEquals("HTTP health check failed 2 times in a row: timed out",
        kill.get("reason").asText());
    assertEquals("a", kill.get("taskId").asText());
    assertEquals("h1", kill.get("host").asText());
    assertEquals("agent-h1", kill.get("slaveId").asText());
  }

  @Test
  void afterAPassTheGracePeriodNoLongerProtectsAndZeroFailuresNeverKill() {
    AppDefinition app = versioned("{'id':'/web','cmd':'x','cpus':0.1,'mem':8,"
        + "'healthChecks':[{'protocol':'TCP','gracePeriodSeconds':300,"
        + "'maxConsecutiveFailures':0}]}", "v1");
    Instance task = HealthChecks.outcome(running("a"), app, 0, true, null, STARTED + 1_000)
        .instance();
    for (int i = 1; i <= 4; i++) {
      HealthChecks.Outcome outcome = HealthChecks.outcome(task, app, 0, false, "refused",
          STARTED + 1_000 + i);
      assertFalse(outcome.kill(), "maxConsecutiveFailures 0: never killed");
      assertEquals(i == 1, types(outcome.events()).contains("health_status_changed_event"),
          "alive flips on the first failure only");
      task = outcome.instance();
    }
    assertEquals(new HealthResult(false, 4, STARTED + 1_000, STARTED + 1_000, STARTED + 1_004,
        "refused"), task.healthResults().get(0), "counted within the grace period");
  }

  @Test
  void aLeaderCheckFailureMakesTheTaskUnhealthyWhateverTheAgentSays() {
    AppDefinition app = versioned(GRACE_APP, "v1");
    Instance agentHealthy = task("a", "v1", "TASK_RUNNING", true, STARTED, false,
        List.of(31000));
    HealthChecks.Outcome passed = HealthChecks.outcome(agentHealthy, app, 0, true, null,
        STARTED + 20_000);
    assertTrue(passed.healthChanged());
    assertTrue(HealthChecks.healthy(passed.instance(), app), "both checks pass");
    HealthChecks.Outcome failed = HealthChecks.outcome(passed.instance(), app, 0, false,
        "HTTP 503", STARTED + 30_000);
    assertTrue(failed.healthChanged());
    assertFalse(HealthChecks.healthy(failed.instance(), app));
  }

  // ---------------------------------------------------------------- health for readers

  @Test
  void healthAsARollingRestartSeesIt() {
    String json = "{'id':'/web','cmd':'x','cpus':0.1,'mem':8,"
        + "'healthChecks':[{'protocol':'HTTP'}]}";
    AppDefinition old = versioned(json, "v1");
    AppDefinition current = versioned(json.replace("'x'", "'y'"), "v2");
    Instance oldTask = running("old");
    Instance newTask = task("new", "v2", "TASK_RUNNING", null, STARTED, false, List.of(31000));

    assertFalse(HealthChecks.healthyForRestart(newTask, current, current),
        "a new instance must be healthy");
    assertTrue(HealthChecks.healthyForRestart(oldTask, current, old),
        "an old instance without results (e.g. after a fail-over) counts as healthy");
    Instance oldFailed = oldTask.withHealthResult(0,
        HealthResult.NONE.failed("refused", STARTED + 1));
    assertFalse(HealthChecks.healthyForRestart(oldFailed, current, old));
    Instance oldStaging = task("s", "v1", "TASK_STAGING", null, 0, false, List.of(31000));
    assertFalse(HealthChecks.healthyForRestart(oldStaging, current, old));
    assertTrue(HealthChecks.healthyForRestart(oldTask, current, null),
        "no definition: running suffices");
    assertTrue(HealthChecks.healthy(oldTask, null));

    AppDefinition mesosOld = versioned("{'id':'/web','cmd':'x','cpus':0.1,'mem':8,"
        + "'healthChecks':[{'protocol':'MESOS_HTTP'}]}", "v1");
    assertFalse(HealthChecks.healthyForRestart(oldTask, current, mesosOld),
        "the agent's check has no result yet: stored, so not healthy");
    Instance agentHealthy = task("m", "v1", "TASK_RUNNING", true, STARTED, false,
        List.of(31000));
    assertTrue(HealthChecks.healthyForRestart(agentHealthy, current, mesosOld));
  }
}
