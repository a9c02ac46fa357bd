package io.cairn.itests;

import static io.cairn.itests.Await.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 10 end to end against a real Docker engine: one Cairn node ({@code ./cairn start --nodes
 * 1}, ports shifted by 8000: master 13050, agent 13051) and a v1 scheduler over HTTP/JSON. From
 * one offer it launches a DOCKER task (image {@code cairn/busybox:1}, BRIDGE network, busybox
 * httpd on container port 8080 mapped onto the offered host port, an HTTP health check on the
 * container port) and a DOCKER task whose image does not exist. The first reaches TASK_RUNNING,
 * answers on the host port and turns healthy; the second fails with a sentence naming the image.
 * The node is killed with {@code kill -9} and started again: the same container still runs and
 * the reconciled task is RUNNING. A KILL call ends it with TASK_KILLED and the container goes.
 *
 * <p>Needs an engine on /var/run/docker.sock with the image ({@code .ci/docker-setup.sh start});
 * without one every test is skipped with the reason. Containers carry the label {@code
 * cairn.itest=docker-e2e} and are removed at the end (and at the start, from an aborted run).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerEndToEndIT {
  private static final Logger LOG = LoggerFactory.getLogger(DockerEndToEndIT.class);
  private static final Path DATA = Path.of("target/docker-e2e-it").toAbsolutePath();
  private static final int OFFSET = 8000;
  private static final String MASTER = "127.0.0.1:" + (5050 + OFFSET);
  private static final String AGENT = "127.0.0.1:" + (5051 + OFFSET);
  private static final String LABEL = "cairn.itest=docker-e2e";
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final String WEB_ID = "docker-web-" + RUN;
  private static final String GHOST_ID = "docker-ghost-" + RUN;

  private static String noEngine;
  private static MesosSchedulerClient scheduler;
  private static ObjectNode frameworkInfo;
  private static String agentId;
  private static int hostPort;
  private static String containerId;
  private static int stepsPassed;

  @BeforeAll
  static void startOneNode() throws Exception {
    noEngine = DockerEngineSocket.whyNoEngine();
    if (noEngine != null) {
      LOG.warn("DockerEndToEndIT skipped: {}; run .ci/docker-setup.sh start (CI does)",
          noEngine);
      return; // each test is then reported skipped, with the reason (engineAnswers)
    }
    removeContainersOfThisTest();
    LauncherIT.cairnIn(DATA, OFFSET, "stop");
    LauncherIT.deleteRecursively(DATA);
    Path etc = Files.createDirectories(DATA.resolve("node-1/etc"));
    Path shipped = Path.of("../karaf-distribution/target/assembly/etc/io.cairn.agent.cfg");
    String agentCfg = Files.readString(shipped)
        .replaceAll("(?m)^status_update_retry_min_ms = .*$", "status_update_retry_min_ms = 1000")
        .replaceAll("(?m)^resources =.*$",
            "resources = cpus:4;mem:4096;disk:4096;ports:[31940-31959]");
    assertTrue(agentCfg.contains("docker_socket = unix:///var/run/docker.sock"), agentCfg);
    Files.writeString(etc.resolve("io.cairn.agent.cfg"), agentCfg);
    LauncherIT.Run start = LauncherIT.cairnIn(DATA, OFFSET, "start", "--nodes", "1");
    assertEquals(0, start.exitCode(), start.toString());
  }

  @AfterAll
  static void stopEverything() throws Exception {
    if (noEngine != null) {
      return;
    }
    if (scheduler != null) {
      scheduler.teardownAndClose();
    }
    LauncherIT.stopNodes(DATA, OFFSET);
    removeContainersOfThisTest();
  }

  private static void removeContainersOfThisTest() throws IOException {
    for (JsonNode container : DockerEngineSocket.containersLabelled(LABEL)) {
      LOG.warn("removing container {} left by this test", container.path("Id").asText());
      DockerEngineSocket.remove(container.path("Id").asText());
    }
  }

  @BeforeEach
  void engineAnswers() {
    assumeTrue(noEngine == null, () -> "skipped: " + noEngine
        + "; run .ci/docker-setup.sh start (CI does)");
  }

  @Test
  @Order(1)
  void theAgentOffersTheDockerContainerizer() throws Exception {
    JsonNode state = MesosSchedulerClient.JSON.readTree(
        RestClient.bodyOf("http://" + AGENT + "/state", Duration.ofSeconds(5)));
    assertEquals("docker,mesos", state.path("flags").path("containerizers").asText(),
        state.path("flags").toString());
    assertTrue(state.path("docker").path("enabled").asBoolean(), state.path("docker").toString());
    assertTrue(state.path("docker").path("engine").asText().startsWith("Docker "),
        state.path("docker").toString());
  }

  @Test
  @Order(2)
  void aDockerTaskRunsAnswersOnItsMappedPortAndTurnsHealthy() throws Exception {
    scheduler = new MesosSchedulerClient(MASTER);
    frameworkInfo = MesosSchedulerClient.JSON.createObjectNode().put("user", "root")
        .put("name", "cairn-docker-e2e-" + RUN).put("failover_timeout", 3600.0)
        .put("checkpoint", true);
    String frameworkId = scheduler.subscribe(frameworkInfo, Duration.ofSeconds(120));
    frameworkInfo.putObject("id").put("value", frameworkId);
    JsonNode offer = scheduler.await(e -> MesosSchedulerClient.type(e).equals("OFFERS"), 0,
        Duration.ofSeconds(60), "OFFERS").path("offers").path("offers").get(0);
    agentId = offer.path("agent_id").path("value").asText();
    hostPort = firstPort(offer);

    ArrayNode tasks = MesosSchedulerClient.JSON.createArrayNode();
    ObjectNode web = dockerTask(WEB_ID, DockerEngineSocket.IMAGE, hostPort);
    web.putObject("command").put("shell", true).put("value",
        "echo page-$MESOS_TASK_ID-$PORT0 > /tmp/index.html; exec httpd -f -p 8080 -h /tmp");
    // On the container port, as Marathon's MESOS_HTTP checks give it; the agent probes the
    // host port it is mapped onto.
    web.putObject("health_check").put("type", "HTTP").put("delay_seconds", 0)
        .put("interval_seconds", 1).put("timeout_seconds", 2).put("grace_period_seconds", 30)
        .put("consecutive_failures", 3).putObject("http").put("port", 8080)
        .put("path", "/index.html");
    tasks.add(web);
    ObjectNode ghost = dockerTask(GHOST_ID, "cairn/no-such-image:0", -1);
    ghost.putObject("command").put("shell", true).put("value", "true");
    tasks.add(ghost);
    int mark = scheduler.eventCount();
    scheduler.accept(offer.path("id"), tasks, 3600);
    scheduler.declineOffers(true);

    JsonNode failed = MesosSchedulerClient.update(scheduler.await(
        e -> MesosSchedulerClient.update(e, GHOST_ID, "TASK_FAILED") != null, mark,
        Duration.ofSeconds(120), "TASK_FAILED of " + GHOST_ID), GHOST_ID, "TASK_FAILED");
    assertTrue(failed.path("message").asText().contains(
        "image 'cairn/no-such-image:0' is not present on this agent and could not be pulled"),
        failed.toString());
    assertEquals("REASON_CONTAINER_LAUNCH_FAILED", failed.path("reason").asText());

    scheduler.await(e -> MesosSchedulerClient.update(e, WEB_ID, "TASK_RUNNING") != null, mark,
        Duration.ofSeconds(60), "TASK_RUNNING of " + WEB_ID);
    awaitTrue(() -> ("page-" + WEB_ID + "-" + hostPort + "\n").equals(fetchPage()),
        Duration.ofSeconds(30), () -> "httpd answers on host port " + hostPort + ": "
            + fetchPage());
    scheduler.await(e -> {
      JsonNode status = MesosSchedulerClient.update(e, WEB_ID, "TASK_RUNNING");
      return status != null && status.path("healthy").asBoolean(false);
    }, mark, Duration.ofSeconds(30), "a healthy TASK_RUNNING of " + WEB_ID);
    List<JsonNode> containers = DockerEngineSocket.containersLabelled(
        "io.cairn.task.id=" + WEB_ID);
    assertEquals(1, containers.size(), containers.toString());
    assertEquals("running", containers.get(0).path("State").asText());
    containerId = containers.get(0).path("Id").asText();
    stepsPassed = 2;
  }

  @Test
  @Order(3)
  void afterKillMinusNineOfTheNodeTheSameContainerStillRuns() throws Exception {
    assumeTrue(stepsPassed == 2, "the docker task did not start");
    LauncherIT.killNode(DATA, 1);
    awaitTrue(() -> !scheduler.streamOpen(), Duration.ofSeconds(30),
        () -> "the scheduler's stream ends with the node");
    assertEquals("page-" + WEB_ID + "-" + hostPort + "\n", fetchPage(),
        "the container outlives the agent");

    LauncherIT.Run start = LauncherIT.cairnIn(DATA, OFFSET, "start");
    assertEquals(0, start.exitCode(), start.toString());
    assertEquals(frameworkInfo.path("id").path("value").asText(),
        scheduler.subscribe(frameworkInfo, Duration.ofSeconds(120)));
    // An acknowledgement in flight when the node died failed with it; its update is resent.
    scheduler.forgetFailedActions();
    awaitTrue(() -> "TASK_RUNNING".equals(masterTaskState(WEB_ID)), Duration.ofSeconds(120),
        () -> "the master knows " + WEB_ID + " RUNNING again: " + masterTaskState(WEB_ID));
    int mark = scheduler.eventCount();
    scheduler.reconcile(agentId, WEB_ID);
    JsonNode status = MesosSchedulerClient.update(scheduler.await(e -> {
      JsonNode running = MesosSchedulerClient.update(e, WEB_ID, "TASK_RUNNING");
      return running != null && running.path("reason").asText().equals("REASON_RECONCILIATION");
    }, mark, Duration.ofSeconds(30), "reconcile answer for " + WEB_ID), WEB_ID, "TASK_RUNNING");
    assertEquals("REASON_RECONCILIATION", status.path("reason").asText(), status.toString());
    List<JsonNode> containers = DockerEngineSocket.containersLabelled(
        "io.cairn.task.id=" + WEB_ID);
    assertEquals(1, containers.size(), containers.toString());
    assertEquals(containerId, containers.get(0).path("Id").asText(), "the same container");
    assertEquals("running", containers.get(0).path("State").asText());
    assertEquals("page-" + WEB_ID + "-" + hostPort + "\n", fetchPage());
    stepsPassed = 3;
  }

  @Test
  @Order(4)
  void aKillCallEndsTheContainerWithTaskKilled() throws Exception {
    assumeTrue(stepsPassed >= 2, "the docker task did not start");
    int mark = scheduler.eventCount();
    scheduler.kill(agentId, WEB_ID);
    scheduler.await(e -> MesosSchedulerClient.update(e, WEB_ID, "TASK_KILLED") != null, mark,
        Duration.ofSeconds(60), "TASK_KILLED of " + WEB_ID);
    awaitTrue(() -> {
      try {
        return DockerEngineSocket.containersLabelled("io.cairn.task.id=" + WEB_ID).isEmpty();
      } catch (IOException e) {
        return false;
      }
    }, Duration.ofSeconds(30), () -> "the container of " + WEB_ID + " is removed");
    assertFalse(fetchPage().startsWith("page-"), "nothing answers on " + hostPort);
    assertTrue(scheduler.failedActions().isEmpty(), scheduler.failedActions().toString());
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** A DOCKER TaskInfo on a BRIDGE network, port 8080 mapped onto {@code port} when > 0. */
  private static ObjectNode dockerTask(String id, String image, int port) {
    ObjectNode task = MesosSchedulerClient.JSON.createObjectNode().put("name", id);
    task.putObject("task_id").put("value", id);
    task.putObject("agent_id").put("value", agentId);
    ArrayNode resources = task.putArray("resources");
    resources.addObject().put("name", "cpus").put("type", "SCALAR").putObject("scalar")
        .put("value", 0.2);
    resources.addObject().put("name", "mem").put("type", "SCALAR").putObject("scalar")
        .put("value", 64);
    ObjectNode docker = task.putObject("container").put("type", "DOCKER").putObject("docker")
        .put("image", image).put("network", port > 0 ? "BRIDGE" : "NONE");
    if (port > 0) {
      resources.addObject().put("name", "ports").put("type", "RANGES").putObject("ranges")
          .putArray("range").addObject().put("begin", port).put("end", port);
      docker.putArray("port_mappings").addObject().put("host_port", port)
          .put("container_port", 8080).put("protocol", "tcp");
    }
    task.putObject("labels").putArray("labels").addObject().put("key", "cairn.itest")
        .put("value", "docker-e2e");
    return task;
  }

  /**
   * The first offered port nothing on this machine holds (docker-proxy binds 0.0.0.0:port, which
   * fails while any socket, even another test's outgoing one, uses that local port).
   */
  private static int firstPort(JsonNode offer) {
    for (JsonNode resource : offer.path("resources")) {
      if (resource.path("name").asText().equals("ports")) {
        for (JsonNode range : resource.path("ranges").path("range")) {
          for (int port = range.path("begin").asInt(); port <= range.path("end").asInt();
              port++) {
            try (java.net.ServerSocket probe = new java.net.ServerSocket(port)) {
              return port;
            } catch (IOException busy) {
              LOG.info("offered port {} is busy on this machine: {}", port, busy.getMessage());
            }
          }
        }
      }
    }
    throw new AssertionError("the offer has no free port: " + offer);
  }

  private static String fetchPage() {
    return RestClient.bodyOf("http://127.0.0.1:" + hostPort + "/index.html",
        Duration.ofSeconds(5));
  }

  private static String masterTaskState(String taskId) {
    try {
      JsonNode state = MesosSchedulerClient.JSON.readTree(RestClient.bodyOf("http://" + MASTER
          + "/master/state", Duration.ofSeconds(5)));
      for (JsonNode framework : state.path("frameworks")) {
        for (JsonNode task : framework.path("tasks")) {
          if (task.path("id").asText().equals(taskId)) {
            return task.path("state").asText();
          }
        }
      }
      return "absent";
    } catch (IOException e) {
      return e.toString();
    }
  }
}
