package io.cairn.itests;

import static io.cairn.itests.Await.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.itests.MesosProcesses.Seen;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 9 end to end on a real node ({@code ./cairn start}, ports shifted by 7000: Marathon on
 * 15080, master 12050): Marathon is installed ({@code feature:install
 * cairn-framework-marathon}), elected by the framework runtime and subscribed to the master. The
 * ocfweb app (3 instances of {@code python3 -m http.server $PORT0}, a MESOS_HTTP health check)
 * reaches 3 running and healthy tasks whose servers answer, the event stream shows its
 * deployment, a {@code bundle:update} of Marathon keeps its FrameworkID and the same tasks and
 * processes, it is scaled to 1, restarted (a new task replaces the old one), deleted (its
 * processes end), and a bad definition gets Marathon's 422. Every wait has a deadline; task
 * processes carry {@code CAIRN_MARATHON_E2E_IT=<run>} and any left are killed by pid at the end.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MarathonEndToEndIT {
  private static final Logger LOG = LoggerFactory.getLogger(MarathonEndToEndIT.class);
  private static final Path DATA = Path.of("target/marathon-e2e-it").toAbsolutePath();
  private static final int OFFSET = 7000;
  private static final String MARATHON = "127.0.0.1:" + (8080 + OFFSET);
  private static final RestClient REST = new RestClient(MARATHON);
  private static final int SSH = 8101 + OFFSET;
  private static final String MARKER = "CAIRN_MARATHON_E2E_IT";
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
  private static final String APP = "{\"id\":\"/ocfweb/web\",\"cmd\":\"exec python3 -m"
      + " http.server $PORT0 --bind 127.0.0.1\",\"instances\":3,\"cpus\":0.1,\"mem\":48,"
      + "\"env\":{\"" + MARKER + "\":\"" + RUN + "\"},"
      + "\"healthChecks\":[{\"protocol\":\"MESOS_HTTP\",\"path\":\"/\",\"portIndex\":0,"
      + "\"gracePeriodSeconds\":60,\"intervalSeconds\":2,\"timeoutSeconds\":2,"
      + "\"maxConsecutiveFailures\":3,\"delaySeconds\":0}]}";

  private static final List<String> events = Collections.synchronizedList(new ArrayList<>());
  private static Socket eventStream;
  private static int stepsPassed;

  @BeforeAll
  static void startANodeWithMarathon() throws Exception {
    List<Seen> earlier = MesosProcesses.withVariable(MARKER);
    if (!earlier.isEmpty()) {
      LOG.warn("killing task processes left by an earlier run: {}", earlier);
      MesosProcesses.killAll(earlier);
    }
    LauncherIT.cairnIn(DATA, OFFSET, "stop");
    LauncherIT.deleteRecursively(DATA);
    Path etc = Files.createDirectories(DATA.resolve("node-1/etc"));
    String agentCfg = Files.readString(Path.of(
        "../karaf-distribution/target/assembly/etc/io.cairn.agent.cfg"))
        // Task ports below Linux's ephemeral range (32768-60999): a task once failed to bind a
        // port in it that an outgoing connection of another process held.
        .replaceAll("(?m)^resources =.*$",
            "resources = cpus:4;mem:4096;disk:4096;ports:[31800-31849]");
    Files.writeString(etc.resolve("io.cairn.agent.cfg"), agentCfg);
    LauncherIT.Run start = LauncherIT.cairnIn(DATA, OFFSET, "start", "--nodes", "1");
    assertEquals(0, start.exitCode(), start.toString());
    String installed = karafShell("feature:install cairn-framework-marathon");
    LOG.info("feature:install said: {}", installed);
    awaitTrue(() -> REST.get("/ping").body().equals("pong"), Duration.ofSeconds(60),
        "Marathon answers /ping on " + MARATHON);
    awaitTrue(() -> {
      JsonNode info = REST.getJson("/v2/info");
      return info.path("elected").asBoolean() && !info.path("frameworkId").asText().isEmpty();
    }, Duration.ofSeconds(90), () -> "Marathon elected and subscribed: " + REST.get("/v2/info")
        .body());
  }

  @AfterAll
  static void stopEverything() throws Exception {
    if (eventStream != null) {
      eventStream.close();
    }
    LauncherIT.stopNodes(DATA, OFFSET);
    MesosProcesses.killLeft(MARKER + "=" + RUN);
  }

  @Test
  @Order(1)
  void aBadDefinitionGetsMarathons422() throws Exception {
    HttpResponse<String> response = REST.send("POST", "/v2/apps",
        "{\"id\":\"/Bad\",\"cmd\":\"x\",\"cpus\":-1}");
    assertEquals(422, response.statusCode(), response.body());
    JsonNode body = RestClient.json(response);
    assertEquals("Object is not valid", body.path("message").asText());
    List<String> paths = new ArrayList<>();
    body.path("details").forEach(d -> paths.add(d.path("path").asText()));
    assertEquals(List.of("/id", "/cpus"), paths, body.toString());
  }

  @Test
  @Order(2)
  void theOcfwebAppRunsThreeHealthyTasksThatAnswer() throws Exception {
    openEventStream();
    HttpResponse<String> created = REST.send("POST", "/v2/apps", APP);
    assertEquals(201, created.statusCode(), created.body());
    String deploymentId = created.headers().firstValue("Marathon-Deployment-Id").orElseThrow();
    awaitTrue(() -> {
      JsonNode app = REST.getJson("/v2/apps/ocfweb/web").path("app");
      return app.path("tasksRunning").asInt() == 3 && app.path("tasksHealthy").asInt() == 3
          && app.path("deployments").isEmpty();
    }, Duration.ofSeconds(120), () -> "3 running and healthy: "
        + REST.getJson("/v2/apps/ocfweb/web").path("app").path("tasks") + " queue "
        + REST.get("/v2/queue?embed=lastUnusedOffers").body());
    for (JsonNode task : REST.getJson("/v2/apps/ocfweb/web/tasks").path("tasks")) {
      int port = task.path("ports").get(0).asInt();
      HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(
          "http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, page.statusCode(), "task " + task.path("id") + " serves on " + port);
    }
    assertEquals(3, MesosProcesses.withEnvironment(MARKER + "=" + RUN).size());
    awaitTrue(() -> events.contains("deployment_success:" + deploymentId),
        Duration.ofSeconds(10), () -> "the event stream shows the deployment: " + events);
    assertTrue(events.contains("api_post_event:"), events.toString());
    assertTrue(events.stream().anyMatch(e -> e.startsWith("status_update_event")),
        events.toString());
    stepsPassed = 1;
  }

  /**
   * Issue 8: {@code bundle:update} of the Marathon bundle (an upgrade in place) fails over to the
   * new instance, which re-subscribes with the same FrameworkID (failover_timeout is Marathon's
   * week) and keeps the running tasks: same task ids, same processes, still healthy.
   */
  @Test
  @Order(3)
  void bundleUpdateOfMarathonKeepsItsFrameworkIdAndTasks() throws Exception {
    assumeTrue(stepsPassed == 1, "the app did not start");
    String frameworkId = REST.getJson("/v2/info").path("frameworkId").asText();
    Set<String> taskIds = taskIds();
    List<Seen> before = processes();
    assertEquals(3, taskIds.size(), taskIds.toString());

    LOG.info("bundle:update said: {}", karafShell("bundle:update io.cairn.marathon.impl"));

    awaitTrue(() -> {
      JsonNode info = REST.getJson("/v2/info");
      return info.path("elected").asBoolean()
          && frameworkId.equals(info.path("frameworkId").asText());
    }, Duration.ofSeconds(90), () -> "the updated Marathon elected with " + frameworkId + ": "
        + REST.get("/v2/info").body());
    awaitTrue(() -> {
      JsonNode app = REST.getJson("/v2/apps/ocfweb/web").path("app");
      return app.path("tasksRunning").asInt() == 3 && app.path("tasksHealthy").asInt() == 3;
    }, Duration.ofSeconds(60), () -> "3 healthy after the update: "
        + REST.get("/v2/apps/ocfweb/web").body());
    assertEquals(taskIds, taskIds(), "the same tasks");
    assertEquals(before.stream().map(Seen::pid).collect(Collectors.toSet()),
        processes().stream().map(Seen::pid).collect(Collectors.toSet()), "the same processes");
    stepsPassed = 2;
  }

  @Test
  @Order(4)
  void scaledToOneAndRestartedWithANewTask() throws Exception {
    assumeTrue(stepsPassed == 2, "the app did not start or did not survive the bundle update");
    HttpResponse<String> scaled = REST.send("PUT", "/v2/apps/ocfweb/web", "{\"instances\":1}");
    assertEquals(200, scaled.statusCode(), scaled.body());
    awaitTrue(() -> {
      JsonNode app = REST.getJson("/v2/apps/ocfweb/web").path("app");
      return app.path("tasks").size() == 1 && app.path("deployments").isEmpty();
    }, Duration.ofSeconds(60), () -> "scaled to 1: " + REST.get("/v2/apps/ocfweb/web").body());
    awaitTrue(() -> processes().size() == 1, Duration.ofSeconds(30),
        () -> "two task processes ended: " + processes());
    String before = REST.getJson("/v2/apps/ocfweb/web/tasks").path("tasks").get(0).path("id")
        .asText();

    HttpResponse<String> restart = REST.send("POST", "/v2/apps/ocfweb/web/restart", null);
    assertEquals(200, restart.statusCode(), restart.body());
    awaitTrue(() -> {
      JsonNode app = REST.getJson("/v2/apps/ocfweb/web").path("app");
      return app.path("tasks").size() == 1 && app.path("tasksHealthy").asInt() == 1
          && app.path("deployments").isEmpty()
          && !app.path("tasks").get(0).path("id").asText().equals(before);
    }, Duration.ofSeconds(90), () -> "restarted: " + REST.get("/v2/apps/ocfweb/web").body());
    assertNotEquals(before, REST.getJson("/v2/apps/ocfweb/web/tasks").path("tasks").get(0)
        .path("id").asText());
    assertEquals(3, REST.getJson("/v2/apps/ocfweb/web/versions").path("versions").size(),
        "a version per change: create, scale, restart");
    stepsPassed = 3;
  }

  @Test
  @Order(5)
  void deletedAndItsProcessesEnd() throws Exception {
    assumeTrue(stepsPassed == 3, "the app was not scaled and restarted");
    HttpResponse<String> deleted = REST.send("DELETE", "/v2/apps/ocfweb/web", null);
    assertEquals(200, deleted.statusCode(), deleted.body());
    assertFalse(RestClient.json(deleted).path("deploymentId").asText().isEmpty());
    awaitTrue(() -> REST.get("/v2/apps/ocfweb/web").statusCode() == 404
        && REST.getJson("/v2/tasks").path("tasks").isEmpty()
        && REST.getJson("/v2/deployments").isEmpty(), Duration.ofSeconds(60),
        () -> "app gone: " + REST.get("/v2/tasks").body());
    awaitTrue(() -> processes().isEmpty(), Duration.ofSeconds(30),
        () -> "the task processes ended: " + processes());
    assertEquals("{\"message\":\"App '/ocfweb/web' does not exist\"}",
        REST.get("/v2/apps/ocfweb/web").body());
  }

  // ---------------------------------------------------------------- helpers

  private static Set<String> taskIds() {
    Set<String> ids = new TreeSet<>();
    REST.getJson("/v2/apps/ocfweb/web/tasks").path("tasks")
        .forEach(task -> ids.add(task.path("id").asText()));
    return ids;
  }

  private static List<Seen> processes() {
    try {
      return MesosProcesses.withEnvironment(MARKER + "=" + RUN);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void openEventStream() throws IOException {
    eventStream = new Socket("127.0.0.1", 8080 + OFFSET);
    eventStream.getOutputStream().write(("GET /v2/events HTTP/1.1\r\nHost: x\r\n"
        + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    BufferedReader in = new BufferedReader(new InputStreamReader(eventStream.getInputStream(),
        StandardCharsets.UTF_8));
    Thread reader = new Thread(() -> {
      try {
        String type = "";
        for (String line; (line = in.readLine()) != null; ) {
          if (line.startsWith("event: ")) {
            type = line.substring(7);
          } else if (line.startsWith("data: ")) {
            JsonNode data = JSON.readTree(line.substring(6));
            events.add(type + ":" + (type.equals("deployment_success")
                ? data.path("id").asText() : ""));
          }
        }
      } catch (IOException e) {
        LOG.debug("event stream ended: {}", e.toString());
      }
    }, "marathon-e2e-events");
    reader.setDaemon(true);
    reader.start();
    awaitTrue(() -> events.contains("event_stream_attached:"), Duration.ofSeconds(10),
        "event_stream_attached");
  }

  /** Runs console commands on the node (bin/client -b); they must succeed. */
  private static String karafShell(String... commands) throws Exception {
    LauncherIT.Run run = LauncherIT.client(DATA, SSH, 20, commands);
    assertEquals(0, run.exitCode(), "bin/client " + List.of(commands) + ": " + run.out());
    return run.out();
  }

}
