package io.cairn.itests;

import static io.cairn.itests.Await.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.itests.MesosProcesses.Seen;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 6 end to end, with real processes: one Cairn node (master + agent, {@code ./cairn start
 * --nodes 1}, ports shifted by 4000: master 9050, agent 9051) and a v1 scheduler over HTTP/JSON
 * ({@link MesosSchedulerClient}). From one offer it launches {@code sleep 3000} and a small Java
 * HTTP server on the task's PORT0; both reach TASK_RUNNING and the server answers. The whole node
 * is killed with {@code kill -9} and started again: the scheduler re-subscribes with its
 * FrameworkID, an explicit RECONCILE answers TASK_RUNNING for both, and the very same processes
 * still run (the agent adopted them from its checkpoints). The sleep's process is then killed:
 * TASK_FAILED reaches the scheduler, is resent while unacknowledged (the agent is configured with
 * {@code status_update_retry_min_ms = 1000}) and no longer once acknowledged. A KILL call ends the
 * server with TASK_KILLED. Every wait is a deadline; every process started is stopped.
 *
 * <p>Tasks do not die with the node (they run in their own sessions so that an agent restart
 * keeps them), so each carries the variable {@code CAIRN_MESOS_E2E_IT=<run id>} and whatever is
 * left with it is killed by pid at the end (and before the start, from an aborted earlier run).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MesosEndToEndIT {
  private static final Logger LOG = LoggerFactory.getLogger(MesosEndToEndIT.class);
  private static final Path DATA = Path.of("target/mesos-e2e-it").toAbsolutePath();
  private static final int OFFSET = 4000;
  private static final String MASTER = "127.0.0.1:" + (5050 + OFFSET);
  private static final String AGENT = "127.0.0.1:" + (5051 + OFFSET);
  private static final String MARKER = "CAIRN_MESOS_E2E_IT";
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final String SLEEP_ID = "e2e-sleep-" + RUN;
  private static final String HTTP_ID = "e2e-http-" + RUN;
  private static final int RETRY_MIN_MS = 1000;
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

  private static MesosSchedulerClient scheduler;
  private static ObjectNode frameworkInfo;
  private static String agentId;
  private static int httpPort;
  private static String httpBody;
  private static List<Seen> sleepProcesses;
  private static List<Seen> httpProcesses;
  private static int stepsPassed;

  @BeforeAll
  static void startOneNode() throws Exception {
    List<Seen> earlier = MesosProcesses.withVariable(MARKER);
    if (!earlier.isEmpty()) {
      LOG.warn("killing task processes left by an earlier run: {}", earlier);
      MesosProcesses.killAll(earlier);
    }
    LauncherIT.cairnIn(DATA, OFFSET, "stop");
    LauncherIT.deleteRecursively(DATA);
    // The node's etc/ is created on the first start; io.cairn.* files already there are kept.
    Path etc = Files.createDirectories(DATA.resolve("node-1/etc"));
    Path shipped = Path.of("../karaf-distribution/target/assembly/etc/io.cairn.agent.cfg");
    String agentCfg = Files.readString(shipped)
        .replaceAll("(?m)^status_update_retry_min_ms = .*$",
            "status_update_retry_min_ms = " + RETRY_MIN_MS)
        // Task ports below Linux's ephemeral range (32768-60999): a task once failed to bind a
        // port in it that an outgoing connection of another process held.
        .replaceAll("(?m)^resources =.*$",
            "resources = cpus:4;mem:4096;disk:4096;ports:[31900-31919]");
    assertTrue(agentCfg.contains("status_update_retry_min_ms = " + RETRY_MIN_MS), agentCfg);
    Files.writeString(etc.resolve("io.cairn.agent.cfg"), agentCfg);
    Files.writeString(DATA.resolve("TinyHttp.java"), TINY_HTTP);

    LauncherIT.Run start = LauncherIT.cairnIn(DATA, OFFSET, "start", "--nodes", "1");
    assertEquals(0, start.exitCode(), start.toString());
    assertTrue(start.out().contains("agent=" + AGENT) && start.out().contains("master=" + MASTER),
        start.out());
  }

  @AfterAll
  static void stopEverything() throws Exception {
    if (scheduler != null) {
      scheduler.teardownAndClose();
    }
    LauncherIT.stopNodes(DATA, OFFSET);
    MesosProcesses.killLeft(MARKER + "=" + RUN);
  }

  @Test
  @Order(1)
  void twoTasksFromOneOfferRunAndTheServerAnswers() throws Exception {
    scheduler = new MesosSchedulerClient(MASTER);
    frameworkInfo = MesosSchedulerClient.JSON.createObjectNode().put("user", "root")
        .put("name", "cairn-e2e-" + RUN).put("failover_timeout", 3600.0).put("checkpoint", true);
    String frameworkId = scheduler.subscribe(frameworkInfo, Duration.ofSeconds(120));
    assertFalse(frameworkId.isEmpty(), "SUBSCRIBED carries a framework id");
    frameworkInfo.putObject("id").put("value", frameworkId);

    JsonNode offer = scheduler.await(e -> MesosSchedulerClient.type(e).equals("OFFERS"), 0,
        Duration.ofSeconds(60), "OFFERS").path("offers").path("offers").get(0);
    agentId = offer.path("agent_id").path("value").asText();
    httpPort = firstPort(offer);
    ArrayNode tasks = MesosSchedulerClient.JSON.createArrayNode();
    tasks.add(task(SLEEP_ID, "sleep 3000", 0.1, 32, -1));
    tasks.add(task(HTTP_ID, "exec '" + javaCommand() + "' -Xmx64m -XX:+UseSerialGC "
        + "-XX:TieredStopAtLevel=1 -Xshare:auto '" + DATA.resolve("TinyHttp.java") + "'",
        0.1, 160, httpPort));
    int mark = scheduler.eventCount();
    scheduler.accept(offer.path("id"), tasks, 3600);
    scheduler.declineOffers(true);

    for (String id : List.of(SLEEP_ID, HTTP_ID)) {
      scheduler.await(e -> MesosSchedulerClient.update(e, id, "TASK_RUNNING") != null, mark,
          Duration.ofSeconds(60), "TASK_RUNNING of " + id);
    }
    httpBody = awaitHttp200(Duration.ofSeconds(90));
    sleepProcesses = processesOf(SLEEP_ID);
    httpProcesses = processesOf(HTTP_ID);
    assertFalse(sleepProcesses.isEmpty(), "a process runs with MESOS_TASK_ID=" + SLEEP_ID);
    assertTrue(httpProcesses.stream().anyMatch(p -> httpBody.equals("pid=" + p.pid())),
        "the server that answers (" + httpBody + ") is task " + HTTP_ID + "'s " + httpProcesses);
    awaitTrue(() -> scheduler.failedActions().isEmpty() && pendingUpdates() == 0,
        Duration.ofSeconds(30), () -> "every update acknowledged: " + scheduler.failedActions()
            + ", agent pending=" + pendingUpdates());
    stepsPassed = 1;
  }

  @Test
  @Order(2)
  void afterKillMinusNineOfTheNodeTheAgentRecoversTheSameProcesses() throws Exception {
    assumeTrue(stepsPassed == 1, "the tasks did not start");
    LauncherIT.killNode(DATA, 1);
    awaitTrue(() -> !scheduler.streamOpen(), Duration.ofSeconds(30),
        "the scheduler's stream ends with the node");
    assertTrue(sleepProcesses.stream().allMatch(MesosProcesses::alive), "tasks outlive the node");

    LauncherIT.Run start = LauncherIT.cairnIn(DATA, OFFSET, "start");
    assertEquals(0, start.exitCode(), start.toString());
    String frameworkId = frameworkInfo.path("id").path("value").asText();
    assertEquals(frameworkId, scheduler.subscribe(frameworkInfo, Duration.ofSeconds(120)),
        "re-subscribed with the same FrameworkID");
    // An acknowledgement in flight when the node died failed with it; its update is resent.
    scheduler.forgetFailedActions();
    // Reconcile once the agent has re-registered and the master's books hold its tasks again.
    awaitTrue(() -> masterTaskStates().equals(List.of("TASK_RUNNING", "TASK_RUNNING")),
        Duration.ofSeconds(120), () -> "the master knows both tasks RUNNING again (from the "
            + "agent); /master/state says " + masterTaskStates());
    int mark = scheduler.eventCount();
    scheduler.reconcile(agentId, SLEEP_ID, HTTP_ID);
    for (String id : List.of(SLEEP_ID, HTTP_ID)) {
      JsonNode status = MesosSchedulerClient.update(scheduler.await(
          e -> MesosSchedulerClient.update(e, id, "TASK_RUNNING") != null
              || isUpdateFor(e, id), mark, Duration.ofSeconds(30), "reconcile answer for " + id),
          id, "TASK_RUNNING");
      assertTrue(status != null, "reconciliation answers TASK_RUNNING for " + id + ": "
          + scheduler.eventsFrom(mark).stream().map(MesosSchedulerClient::summary).toList());
      assertEquals("REASON_RECONCILIATION", status.path("reason").asText(), status.toString());
    }
    assertTrue(sleepProcesses.stream().allMatch(MesosProcesses::alive),
        "the same sleep process(es) still run: " + sleepProcesses);
    assertTrue(httpProcesses.stream().allMatch(MesosProcesses::alive),
        "the same server process(es) still run: " + httpProcesses);
    assertEquals(httpBody, awaitHttp200(Duration.ofSeconds(30)), "the same server answers");
    stepsPassed = 2;
  }

  @Test
  @Order(3)
  void aKilledTaskReportsFailedRetriedUntilAcknowledged() throws Exception {
    assumeTrue(stepsPassed == 2, "the tasks were not recovered");
    scheduler.holdAcks(status -> status.path("task_id").path("value").asText().equals(SLEEP_ID)
        && status.path("state").asText().equals("TASK_FAILED"));
    int mark = scheduler.eventCount();
    MesosProcesses.killAll(processesOf(SLEEP_ID));

    int first = awaitIndex(e -> MesosSchedulerClient.update(e, SLEEP_ID, "TASK_FAILED") != null,
        mark, Duration.ofSeconds(30), "TASK_FAILED of " + SLEEP_ID);
    JsonNode failed = MesosSchedulerClient.update(scheduler.eventsFrom(first).get(0), SLEEP_ID,
        "TASK_FAILED");
    assertTrue(failed.hasNonNull("uuid"), "a status update to acknowledge: " + failed);
    int again = awaitIndex(e -> MesosSchedulerClient.update(e, SLEEP_ID, "TASK_FAILED") != null,
        first + 1, Duration.ofSeconds(20), "the unacknowledged TASK_FAILED sent again");
    JsonNode retried = MesosSchedulerClient.update(scheduler.eventsFrom(again).get(0), SLEEP_ID,
        "TASK_FAILED");
    assertEquals(failed.path("uuid").asText(), retried.path("uuid").asText(),
        "a retry is the same update (same uuid)");

    scheduler.acknowledge(retried);
    awaitTrue(() -> pendingUpdates() == 0, Duration.ofSeconds(20),
        "the agent has no unacknowledged update left");
    int afterAck = scheduler.eventCount();
    // An absence: nothing may arrive during several retry periods (1 s, then 2 s, 4 s).
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(7L * RETRY_MIN_MS);
    while (System.nanoTime() < end) {
      assertEquals(-1, scheduler.indexOf(e -> isUpdateFor(e, SLEEP_ID), afterAck),
          "no update of " + SLEEP_ID + " after its acknowledgement: "
              + scheduler.eventsFrom(afterAck).stream().map(MesosSchedulerClient::summary)
              .toList());
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
    stepsPassed = 3;
  }

  @Test
  @Order(4)
  void aKillCallEndsTheServerWithTaskKilled() throws Exception {
    assumeTrue(stepsPassed >= 2, "the server task was not recovered");
    int mark = scheduler.eventCount();
    scheduler.kill(agentId, HTTP_ID);
    scheduler.await(e -> MesosSchedulerClient.update(e, HTTP_ID, "TASK_KILLED") != null, mark,
        Duration.ofSeconds(30), "TASK_KILLED of " + HTTP_ID);
    awaitTrue(() -> processesOf(HTTP_ID).isEmpty(), Duration.ofSeconds(30),
        "no process of " + HTTP_ID + " is left");
    assertEquals(-1, scheduler.indexOf(e -> isUpdateFor(e, HTTP_ID)
        && MesosSchedulerClient.update(e, HTTP_ID, "TASK_KILLED") == null, mark),
        "only TASK_KILLED for the killed task: " + scheduler.eventsFrom(mark).stream()
            .map(MesosSchedulerClient::summary).toList());
  }

  @Test
  @Order(5)
  void noTaskProcessOfThisRunSurvives() throws Exception {
    awaitTrue(() -> processesWith(MARKER + "=" + RUN).isEmpty(),
        Duration.ofSeconds(30), "no process with " + MARKER + "=" + RUN + " is left");
    assertTrue(scheduler.failedActions().isEmpty(), scheduler.failedActions().toString());
  }

  // ---- tasks ---------------------------------------------------------------------------------

  /** A command task ({@code /bin/sh -c command}) with this run's marker in its environment. */
  private static ObjectNode task(String id, String command, double cpus, double mem, int port) {
    ObjectNode task = MesosSchedulerClient.JSON.createObjectNode().put("name", id);
    task.putObject("task_id").put("value", id);
    task.putObject("agent_id").put("value", agentId);
    ArrayNode resources = task.putArray("resources");
    resources.addObject().put("name", "cpus").put("type", "SCALAR").putObject("scalar")
        .put("value", cpus);
    resources.addObject().put("name", "mem").put("type", "SCALAR").putObject("scalar")
        .put("value", mem);
    if (port > 0) {
      resources.addObject().put("name", "ports").put("type", "RANGES").putObject("ranges")
          .putArray("range").addObject().put("begin", port).put("end", port);
    }
    ObjectNode cmd = task.putObject("command").put("shell", true).put("value", command);
    cmd.putObject("environment").putArray("variables").addObject().put("name", MARKER)
        .put("value", RUN);
    return task;
  }

  private static int firstPort(JsonNode offer) {
    for (JsonNode resource : offer.path("resources")) {
      if (resource.path("name").asText().equals("ports")) {
        return resource.path("ranges").path("range").get(0).path("begin").asInt();
      }
    }
    throw new AssertionError("the offer has no ports: " + offer);
  }

  private static String javaCommand() {
    return ProcessHandle.current().info().command().orElse("/usr/bin/java");
  }

  private static final String TINY_HTTP = """
      import com.sun.net.httpserver.HttpServer;
      import java.net.InetSocketAddress;
      import java.nio.charset.StandardCharsets;

      /** Answers every GET with 200 "pid=<its pid>" on 127.0.0.1:$PORT0. */
      public class TinyHttp {
        public static void main(String[] args) throws Exception {
          int port = Integer.parseInt(System.getenv("PORT0"));
          HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
          byte[] body = ("pid=" + ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8);
          server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (var out = exchange.getResponseBody()) {
              out.write(body);
            }
          });
          server.start();
        }
      }
      """;

  // ---- observations --------------------------------------------------------------------------

  private static List<Seen> processesOf(String taskId) {
    return processesWith("MESOS_TASK_ID=" + taskId);
  }

  private static List<Seen> processesWith(String entry) {
    try {
      return MesosProcesses.withEnvironment(entry);
    } catch (IOException e) {
      throw new AssertionError("cannot list /proc: " + e, e);
    }
  }

  private static boolean isUpdateFor(JsonNode event, String taskId) {
    return MesosSchedulerClient.type(event).equals("UPDATE") && event.path("update")
        .path("status").path("task_id").path("value").asText().equals(taskId);
  }

  /** The body of the server task's 200, polled until it answers. */
  private static String awaitHttp200(Duration timeout) throws Exception {
    String[] body = new String[1];
    String[] last = {"no answer yet"};
    awaitTrue(() -> {
      try {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + "/")).timeout(Duration.ofSeconds(5))
            .GET().build(), HttpResponse.BodyHandlers.ofString());
        last[0] = response.statusCode() + " " + response.body();
        body[0] = response.body();
        return response.statusCode() == 200;
      } catch (ConnectException e) {
        last[0] = "connection refused";
        return false;
      } catch (IOException | InterruptedException e) {
        last[0] = e.toString();
        return false;
      }
    }, timeout, () -> "HTTP 200 from the server task on port " + httpPort + " (last: " + last[0]
        + ")");
    return body[0];
  }

  /** {@code cairn_agent_status_updates_pending} from the agent's /metrics; -1 when unreadable. */
  private static long pendingUpdates() {
    try {
      String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + AGENT
          + "/metrics")).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.ofString()).body();
      return metrics.lines().filter(l -> l.startsWith("cairn_agent_status_updates_pending "))
          .map(l -> (long) Double.parseDouble(l.substring(l.indexOf(' ') + 1).strip()))
          .findFirst().orElse(-1L);
    } catch (IOException | InterruptedException e) {
      LOG.debug("agent /metrics not readable yet: {}", e.toString());
      return -1;
    }
  }

  /** The states the master's {@code /master/state} gives the two tasks (sleep, http). */
  private static List<String> masterTaskStates() {
    try {
      JsonNode state = MesosSchedulerClient.JSON.readTree(HTTP.send(HttpRequest.newBuilder(
              URI.create("http://" + MASTER + "/master/state")).timeout(Duration.ofSeconds(5))
          .GET().build(), HttpResponse.BodyHandlers.ofString()).body());
      String[] states = {"absent", "absent"};
      for (JsonNode framework : state.path("frameworks")) {
        for (JsonNode task : framework.path("tasks")) {
          String id = task.path("id").asText();
          int slot = id.equals(SLEEP_ID) ? 0 : id.equals(HTTP_ID) ? 1 : -1;
          if (slot >= 0) {
            states[slot] = task.path("state").asText();
          }
        }
      }
      return List.of(states);
    } catch (IOException | InterruptedException e) {
      LOG.debug("master /master/state not readable yet: {}", e.toString());
      return List.of();
    }
  }

  private static int awaitIndex(Predicate<JsonNode> wanted, int from,
      Duration timeout, String what) {
    scheduler.await(wanted, from, timeout, what);
    return scheduler.indexOf(wanted, from);
  }
}
