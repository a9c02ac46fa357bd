package io.cairn.itests;

import static io.cairn.itests.Await.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
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
 * Issue 10 through Marathon: a DOCKER app in the ocfweb shape (image {@code cairn/busybox:1},
 * BRIDGE, container port 8080 mapped onto an offered host port, busybox httpd, a MESOS_HTTP health
 * check) on one node (ports shifted by 8000: Marathon 16080). Three instances run healthy, each
 * container answering on its host port with its own task id; scaled to two, two containers are
 * left; the node is killed with {@code kill -9} and started again and the same containers serve
 * the same tasks, healthy; a task killed through Marathon is replaced by a new container; a restart
 * replaces every container; deleting the app removes the containers. Skipped, with the reason,
 * where no Docker engine with the image answers on /var/run/docker.sock.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerMarathonIT {
  private static final Logger LOG = LoggerFactory.getLogger(DockerMarathonIT.class);
  private static final Path DATA = Path.of("target/docker-marathon-it").toAbsolutePath();
  private static final int OFFSET = 8000;
  private static final String MARATHON = "127.0.0.1:" + (8080 + OFFSET);
  private static final RestClient REST = new RestClient(MARATHON);
  private static final int SSH = 8101 + OFFSET;
  private static final String LABEL = "cairn.itest=docker-marathon";
  private static final String APP = "{\"id\":\"/ocfweb/dweb\",\"instances\":3,\"cpus\":0.1,"
      + "\"mem\":32,\"cmd\":\"echo $MESOS_TASK_ID > /tmp/index.html; exec httpd -f -p 8080 -h"
      + " /tmp\",\"container\":{\"type\":\"DOCKER\",\"docker\":{\"image\":\""
      + DockerEngineSocket.IMAGE + "\",\"network\":\"BRIDGE\"},\"portMappings\":[{"
      + "\"containerPort\":8080,\"hostPort\":0,\"protocol\":\"tcp\"}]},"
      + "\"labels\":{\"cairn.itest\":\"docker-marathon\"},"
      + "\"healthChecks\":[{\"protocol\":\"MESOS_HTTP\",\"path\":\"/index.html\","
      + "\"portIndex\":0,\"gracePeriodSeconds\":60,\"intervalSeconds\":2,\"timeoutSeconds\":2,"
      + "\"maxConsecutiveFailures\":3,\"delaySeconds\":0}]}";

  private static String noEngine;
  private static Set<String> containersAfterScale;
  private static int stepsPassed;

  @BeforeAll
  static void startANodeWithMarathon() throws Exception {
    noEngine = DockerEngineSocket.whyNoEngine();
    if (noEngine != null) {
      LOG.warn("DockerMarathonIT skipped: {}; run .ci/docker-setup.sh start (CI does)",
          noEngine);
      return;
    }
    removeContainers();
    LauncherIT.cairnIn(DATA, OFFSET, "stop");
    LauncherIT.deleteRecursively(DATA);
    Path etc = Files.createDirectories(DATA.resolve("node-1/etc"));
    String agentCfg = Files.readString(Path.of(
        "../karaf-distribution/target/assembly/etc/io.cairn.agent.cfg"))
        .replaceAll("(?m)^resources =.*$",
            "resources = cpus:4;mem:4096;disk:4096;ports:[31960-31979]");
    Files.writeString(etc.resolve("io.cairn.agent.cfg"), agentCfg);
    LauncherIT.Run start = LauncherIT.cairnIn(DATA, OFFSET, "start", "--nodes", "1");
    assertEquals(0, start.exitCode(), start.toString());
    LOG.info("feature:install said: {}", karafShell("feature:install cairn-framework-marathon"));
    awaitMarathon();
  }

  private static void awaitMarathon() {
    awaitTrue(() -> REST.get("/ping").body().equals("pong"), Duration.ofSeconds(90),
        () -> "Marathon answers /ping on " + MARATHON);
    awaitTrue(() -> {
      JsonNode info = REST.getJson("/v2/info");
      return info.path("elected").asBoolean() && !info.path("frameworkId").asText().isEmpty();
    }, Duration.ofSeconds(90), () -> "Marathon elected and subscribed: " + REST.get("/v2/info")
        .body());
  }

  @AfterAll
  static void stopEverything() throws Exception {
    if (noEngine != null) {
      return;
    }
    LauncherIT.stopNodes(DATA, OFFSET);
    removeContainers();
  }

  @BeforeEach
  void engineAnswers() {
    assumeTrue(noEngine == null, () -> "skipped: " + noEngine
        + "; run .ci/docker-setup.sh start (CI does)");
  }

  @Test
  @Order(1)
  void threeHealthyContainersAnswerOnTheirHostPorts() throws Exception {
    HttpResponse<String> created = REST.send("POST", "/v2/apps", APP);
    assertEquals(201, created.statusCode(), created.body());
    awaitTrue(() -> {
      JsonNode app = REST.getJson("/v2/apps/ocfweb/dweb").path("app");
      return app.path("tasksRunning").asInt() == 3 && app.path("tasksHealthy").asInt() == 3
          && app.path("deployments").isEmpty();
    }, Duration.ofSeconds(120), () -> "3 healthy: " + REST.get("/v2/apps/ocfweb/dweb").body());
    assertEachTaskAnswers(3);
    assertEquals(3, runningContainers().size(), "three containers run");
    stepsPassed = 1;
  }

  @Test
  @Order(2)
  void scaledToTwoTwoContainersAreLeft() throws Exception {
    assumeTrue(stepsPassed == 1, "the app did not start");
    HttpResponse<String> scaled = REST.send("PUT", "/v2/apps/ocfweb/dweb", "{\"instances\":2}");
    assertEquals(200, scaled.statusCode(), scaled.body());
    awaitTrue(() -> {
      JsonNode app = REST.getJson("/v2/apps/ocfweb/dweb").path("app");
      return app.path("tasks").size() == 2 && app.path("deployments").isEmpty();
    }, Duration.ofSeconds(60), () -> "scaled to 2: " + REST.get("/v2/apps/ocfweb/dweb").body());
    awaitTrue(() -> runningContainers().size() == 2, Duration.ofSeconds(30),
        () -> "one container stopped: " + runningContainers());
    containersAfterScale = runningContainers();
    assertEachTaskAnswers(2);
    stepsPassed = 2;
  }

  @Test
  @Order(3)
  void afterKillMinusNineOfTheNodeTheSameContainersServe() throws Exception {
    assumeTrue(stepsPassed == 2, "the app was not scaled");
    LauncherIT.killNode(DATA, 1);
    assertEquals(containersAfterScale, runningContainers(), "containers outlive the node");
    LauncherIT.Run start = LauncherIT.cairnIn(DATA, OFFSET, "start");
    assertEquals(0, start.exitCode(), start.toString());
    awaitMarathon();
    awaitTrue(() -> {
      JsonNode app = REST.getJson("/v2/apps/ocfweb/dweb").path("app");
      return app.path("tasksRunning").asInt() == 2 && app.path("tasksHealthy").asInt() == 2;
    }, Duration.ofSeconds(120), () -> "2 healthy after the restart: "
        + REST.get("/v2/apps/ocfweb/dweb").body());
    assertEquals(containersAfterScale, runningContainers(), "the same containers");
    assertEachTaskAnswers(2);
    stepsPassed = 3;
  }

  @Test
  @Order(4)
  void aKilledTaskIsReplacedByANewContainer() throws Exception {
    assumeTrue(stepsPassed == 3, "the node did not come back with its containers");
    Set<String> before = taskIds();
    String victim = before.iterator().next();
    HttpResponse<String> killed =
        REST.send("DELETE", "/v2/apps/ocfweb/dweb/tasks/" + victim, null);
    assertEquals(200, killed.statusCode(), killed.body());
    awaitTrue(() -> {
      JsonNode app = REST.getJson("/v2/apps/ocfweb/dweb").path("app");
      Set<String> now = taskIds();
      return !now.contains(victim) && now.size() == 2 && app.path("tasksHealthy").asInt() == 2;
    }, Duration.ofSeconds(120), () -> "task " + victim + " replaced, 2 healthy: "
        + REST.get("/v2/apps/ocfweb/dweb").body());
    awaitTrue(() -> runningContainers().size() == 2, Duration.ofSeconds(30),
        () -> "two containers after the replacement: " + runningContainers());
    assertEachTaskAnswers(2);
    stepsPassed = 4;
  }

  @Test
  @Order(5)
  void aRestartReplacesEveryContainer() throws Exception {
    assumeTrue(stepsPassed == 4, "the kill step did not pass");
    Set<String> before = taskIds();
    Set<String> containersBefore = runningContainers();
    HttpResponse<String> restarted = REST.send("POST", "/v2/apps/ocfweb/dweb/restart", "{}");
    assertEquals(200, restarted.statusCode(), restarted.body());
    awaitTrue(() -> {
      JsonNode app = REST.getJson("/v2/apps/ocfweb/dweb").path("app");
      Set<String> now = taskIds();
      return now.size() == 2 && java.util.Collections.disjoint(now, before)
          && app.path("tasksHealthy").asInt() == 2 && app.path("deployments").isEmpty();
    }, Duration.ofSeconds(180), () -> "2 new healthy tasks after the restart: "
        + REST.get("/v2/apps/ocfweb/dweb").body());
    awaitTrue(() -> runningContainers().size() == 2
        && java.util.Collections.disjoint(runningContainers(), containersBefore),
        Duration.ofSeconds(60), () -> "two new containers: " + runningContainers());
    assertEachTaskAnswers(2);
  }

  @Test
  @Order(6)
  void deletedAndItsContainersGo() throws Exception {
    assumeTrue(stepsPassed >= 1, "the app did not start");
    HttpResponse<String> deleted = REST.send("DELETE", "/v2/apps/ocfweb/dweb", null);
    assertEquals(200, deleted.statusCode(), deleted.body());
    awaitTrue(() -> runningContainers().isEmpty(), Duration.ofSeconds(60),
        () -> "no container left: " + runningContainers());
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static Set<String> taskIds() {
    Set<String> ids = new TreeSet<>();
    REST.getJson("/v2/apps/ocfweb/dweb/tasks").path("tasks").forEach(t -> ids.add(t.path("id")
        .asText()));
    return ids;
  }

  /** Every task of the app answers on its host port with its own id (the page it wrote). */
  private static void assertEachTaskAnswers(int expected) {
    JsonNode tasks = REST.getJson("/v2/apps/ocfweb/dweb/tasks").path("tasks");
    assertEquals(expected, tasks.size(), tasks.toString());
    for (JsonNode task : tasks) {
      String id = task.path("id").asText();
      int port = task.path("ports").get(0).asInt();
      String url = "http://127.0.0.1:" + port + "/index.html";
      Duration timeout = Duration.ofSeconds(3);
      awaitTrue(() -> (id + "\n").equals(RestClient.bodyOf(url, timeout)), Duration.ofSeconds(20),
          () -> url + " answers " + id + ": " + RestClient.bodyOf(url, timeout));
    }
  }

  private static Set<String> runningContainers() {
    try {
      Set<String> ids = new TreeSet<>();
      for (JsonNode c : DockerEngineSocket.containersLabelled(LABEL)) {
        if (c.path("State").asText().equals("running")) {
          ids.add(c.path("Id").asText());
        }
      }
      return ids;
    } catch (IOException e) {
      throw new IllegalStateException("cannot list containers: " + e, e);
    }
  }

  private static void removeContainers() throws IOException {
    Set<String> seen = new HashSet<>();
    for (JsonNode c : DockerEngineSocket.containersLabelled(LABEL)) {
      if (seen.add(c.path("Id").asText())) {
        LOG.warn("removing container {} of this test", c.path("Id").asText());
        DockerEngineSocket.remove(c.path("Id").asText());
      }
    }
  }

  /** Runs console commands on the node (bin/client -b); they must succeed. */
  private static String karafShell(String... commands) throws Exception {
    LauncherIT.Run run = LauncherIT.client(DATA, SSH, 20, commands);
    assertEquals(0, run.exitCode(), "bin/client " + List.of(commands) + ": " + run.out());
    return run.out();
  }

}
