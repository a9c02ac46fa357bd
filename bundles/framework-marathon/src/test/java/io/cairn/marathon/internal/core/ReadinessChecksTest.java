package io.cairn.marathon.internal.core;

import static io.cairn.marathon.internal.core.MarathonCoreTest.app;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.marathon.internal.model.AppDefinition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link ReadinessChecks} on its own, without a core: only tasks a deployment launched for an
 * app with readiness checks await readiness; probes start once a task runs, once per interval,
 * on the port named by the check; an answer in {@code httpStatusCodesForReady} makes the task
 * ready for good; responses are kept only with {@code preserveLastResponse} or on no response.
 */
class ReadinessChecksTest {
  static final long NOW = 1_700_000_000_000L;
  static final AppDefinition APP = app("{'id':'/rd','cmd':'x','cpus':0.1,'mem':8,"
      + "'portDefinitions':[{'port':0,'name':'admin'},{'port':0,'name':'http-api'}],"
      + "'readinessChecks':[{'name':'warm','path':'ready','portName':'http-api',"
      + "'intervalSeconds':5,'timeoutSeconds':2,'httpStatusCodesForReady':[200,204]}]}");

  final ReadinessChecks readiness = new ReadinessChecks();
  final Map<String, Instance> instances = new LinkedHashMap<>();
  final Map<String, AppDefinition> apps = new LinkedHashMap<>(Map.of("/rd", APP));

  void track(String taskId, String state) {
    instances.put(taskId, new Instance(taskId, "/rd", "v1", "v1", "agent-h1", "h1", Map.of(),
        List.of(31000, 31001), state, null, NOW, 0, false, 0));
  }

  List<String> due(long nowMillis) {
    return readiness.due(instances, apps, nowMillis).stream()
        .map(Effects.ReadinessProbe::taskId).toList();
  }

  @Test
  void onlyTasksLaunchedForAnAppWithReadinessChecksAwaitIt() {
    AppDefinition plain = app("{'id':'/plain','cmd':'x','cpus':0.1,'mem':8}");
    readiness.launchedByDeployment(plain, "p");
    readiness.launchedByDeployment(APP, "a");
    assertTrue(readiness.ready("p"), "no readiness check: ready");
    assertFalse(readiness.ready("a"));
    assertTrue(readiness.ready("never-launched"));
    readiness.forget("a");
    assertTrue(readiness.ready("a"), "a forgotten task awaits nothing");
  }

  @Test
  void aRunningTaskIsProbedOnTheNamedPortOncePerInterval() {
    track("a", "TASK_STAGING");
    track("b", "TASK_RUNNING");
    readiness.launchedByDeployment(APP, "a");
    readiness.launchedByDeployment(APP, "b");

    List<Effects.ReadinessProbe> probes = readiness.due(instances, apps, NOW);
    assertEquals(List.of(new Effects.ReadinessProbe("b", "warm", "http://h1:31001/ready", 2)),
        probes, "not before the task runs; the port named http-api; the path gets its /");
    track("a", "TASK_RUNNING");
    assertEquals(List.of("a"), due(NOW + 4_999), "b: not before intervalSeconds (5)");
    assertEquals(List.of("b"), due(NOW + 5_000));
    assertEquals(List.of("a", "b"), due(NOW + 10_000), "launch order");
  }

  @Test
  void anAnswerInTheReadyCodesMakesTheTaskReadyForGood() {
    track("a", "TASK_RUNNING");
    readiness.launchedByDeployment(APP, "a");
    assertEquals(List.of("a"), due(NOW));

    assertFalse(readiness.record(instances.get("a"), APP, 503, "text/plain", "warming", NOW));
    assertEquals(new ReadinessResult("warm", "a", false, 503, null, null, NOW),
        readiness.result("a"), "no preserveLastResponse: the response is not kept");
    assertFalse(readiness.ready("a"));

    assertFalse(readiness.record(instances.get("a"), APP, 0, null, "connection refused",
        NOW + 5_000));
    assertEquals(new ReadinessResult("warm", "a", false, 0, null, "connection refused",
        NOW + 5_000), readiness.result("a"), "no response: the reason is kept");

    assertTrue(readiness.record(instances.get("a"), APP, 204, "text/plain", "ok", NOW + 10_000));
    assertTrue(readiness.ready("a"));
    assertEquals(new ReadinessResult("warm", "a", true, 204, null, null, NOW + 10_000),
        readiness.result("a"));
    assertEquals(List.of(), due(NOW + 60_000), "a ready task is not probed again");
    assertFalse(readiness.record(instances.get("a"), APP, 200, "", "", NOW + 60_000),
        "a late answer once ready changes nothing");
    assertEquals(NOW + 10_000, readiness.result("a").atMillis());
  }

  @Test
  void preserveLastResponseKeepsTheResponse() {
    AppDefinition keep = app("{'id':'/rd','cmd':'x','cpus':0.1,'mem':8,"
        + "'portDefinitions':[{'port':0,'name':'http-api'}],"
        + "'readinessChecks':[{'preserveLastResponse':true}]}");
    track("a", "TASK_RUNNING");
    readiness.launchedByDeployment(keep, "a");
    assertFalse(readiness.record(instances.get("a"), keep, 500, "text/plain", "boom", NOW));
    assertEquals(new ReadinessResult("readinessCheck", "a", false, 500, "text/plain", "boom",
        NOW), readiness.result("a"), "defaults: name readinessCheck, ready on [200]");
    assertTrue(readiness.record(instances.get("a"), keep, 200, "text/plain", "ok", NOW));
  }

  @Test
  void anUnknownPortNameIsNotProbedAndTheResultSaysWhy() {
    AppDefinition wrong = app("{'id':'/rd','cmd':'x','cpus':0.1,'mem':8,"
        + "'readinessChecks':[{'portName':'nope','intervalSeconds':5}]}");
    apps.put("/rd", wrong);
    track("a", "TASK_RUNNING");
    readiness.launchedByDeployment(wrong, "a");
    assertEquals(List.of(), due(NOW));
    ReadinessResult result = readiness.result("a");
    assertFalse(result.ready());
    assertEquals("no port named 'nope' among the app's port definitions", result.body());
    assertFalse(readiness.ready("a"), "still waits");
    assertEquals(List.of(), due(NOW + 1_000));
    assertEquals(NOW, readiness.result("a").atMillis(), "checked again only after the interval");
  }

  @Test
  void aTaskWhoseAppIsGoneOrLostItsChecksAwaitsNothing() {
    track("a", "TASK_RUNNING");
    track("b", "TASK_RUNNING");
    readiness.launchedByDeployment(APP, "a");
    readiness.launchedByDeployment(APP, "b");
    readiness.launchedByDeployment(APP, "untracked");
    apps.put("/rd", app("{'id':'/rd','cmd':'x','cpus':0.1,'mem':8}"));
    assertFalse(readiness.record(instances.get("a"), apps.get("/rd"), 200, "", "", NOW),
        "no readiness check any more: a late answer");
    assertNull(readiness.result("a"));
    assertFalse(readiness.record(instances.get("b"), null, 200, "", "", NOW), "app gone");
    assertNull(readiness.result("b"));
    assertFalse(readiness.ready("b"), "recording alone does not stop the wait");
    assertEquals(List.of(), due(NOW), "the next round of probes drops them");
    assertTrue(readiness.ready("a"));
    assertTrue(readiness.ready("b"));
    assertTrue(readiness.ready("untracked"), "no instance: nothing to wait for");
  }

  @Test
  void clearForgetsEverything() {
    track("a", "TASK_RUNNING");
    readiness.launchedByDeployment(APP, "a");
    readiness.record(instances.get("a"), APP, 503, "", "", NOW);
    readiness.clear();
    assertTrue(readiness.ready("a"));
    assertNull(readiness.result("a"));
    assertEquals(List.of(), due(NOW));
  }
}
