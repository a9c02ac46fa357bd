package io.cairn.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.itests.MesosProcesses.Seen;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marathon's leader dies with its node: three master+agent nodes ({@code ./cairn start --nodes
 * 3}, ports shifted by 7000: Marathon on 15080, 15090, 15100), Marathon installed on each. An app
 * created through a standby (proxied to the leader) runs 2 tasks. The leading Marathon's node is
 * killed with {@code kill -9}; a surviving instance is elected, loads the app and its tasks from
 * ZooKeeper, and the API keeps answering on both survivors with the same tasks (nothing
 * relaunched, nothing lost). Task processes carry {@code CAIRN_MARATHON_FAILOVER_IT=<run>}.
 */
class MarathonFailoverIT {
  private static final Logger LOG = LoggerFactory.getLogger(MarathonFailoverIT.class);
  private static final Path DATA = Path.of("target/marathon-failover-it").toAbsolutePath();
  private static final int OFFSET = 7000;
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final String MARKER = "CAIRN_MARATHON_FAILOVER_IT";
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(3)).build();

  @BeforeAll
  static void clean() throws Exception {
    LauncherIT.cairnIn(DATA, OFFSET, "stop");
    LauncherIT.deleteRecursively(DATA);
    // Each agent gets the attribute node:<i>, so constraints can keep tasks off a node.
    String shipped = Files.readString(Path.of(
        "../karaf-distribution/target/assembly/etc/io.cairn.agent.cfg"));
    for (int node = 1; node <= 3; node++) {
      Path etc = Files.createDirectories(DATA.resolve("node-" + node + "/etc"));
      Files.writeString(etc.resolve("io.cairn.agent.cfg"),
          shipped.replaceAll("(?m)^attributes =.*$", "attributes = node:" + node));
    }
  }

  @AfterAll
  static void stopEverything() throws Exception {
    LauncherIT.cairnIn(DATA, OFFSET, "stop");
    List<Seen> left = MesosProcesses.withEnvironment(MARKER + "=" + RUN);
    if (!left.isEmpty()) {
      LOG.warn("killing task processes still running after the test: {}", left);
      MesosProcesses.killAll(left);
    }
  }

  @Test
  void theApiKeepsAnsweringAndTheTasksAreKeptWhenTheLeadersNodeDies() throws Exception {
    LauncherIT.Run start = LauncherIT.cairnIn(DATA, OFFSET, "start", "--nodes", "3");
    assertEquals(0, start.exitCode(), start.toString());
    for (int node = 1; node <= 3; node++) {
      String out = karaf(node, "feature:install cairn-framework-marathon");
      assertTrue(!out.contains("Error"), out);
    }
    int leader = waitFor(() -> leaderNode(List.of(1, 2, 3)), n -> n > 0,
        "one elected and subscribed Marathon");
    int standby = leader == 1 ? 2 : 1;
    LOG.info("marathon leads on node={}", leader);
    // Constraints put one task on each of the two other nodes' agents: they outlive the kill.
    HttpResponse<String> created = send(standby, "POST", "/v2/apps", "{\"id\":\"/ocfweb/sleep\","
        + "\"cmd\":\"sleep 600\",\"instances\":2,\"cpus\":0.1,\"mem\":16,"
        + "\"constraints\":[[\"node\",\"UNLIKE\",\"" + leader + "\"],[\"node\",\"UNIQUE\"]],"
        + "\"env\":{\"" + MARKER + "\":\"" + RUN + "\"}}");
    assertEquals(201, created.statusCode(), created.body());
    assertEquals("http://127.0.0.1:" + port(8080, leader),
        created.headers().firstValue("X-Marathon-Leader").orElse(""), "proxied to the leader");
    Set<String> before = waitFor(() -> runningTasks(standby), s -> s.size() == 2,
        "2 running tasks");

    long pid = Long.parseLong(Files.readString(DATA.resolve("node-" + leader + "/cairn.pid"))
        .strip());
    assertTrue(ProcessHandle.of(pid).orElseThrow().destroyForcibly(), "kill -9 of the leader");
    long killedAt = System.nanoTime();
    List<Integer> survivors = List.of(1, 2, 3).stream().filter(n -> n != leader).toList();
    int next = waitFor(() -> leaderNode(survivors), n -> n > 0,
        "a surviving Marathon elected and subscribed");
    LOG.info("marathon node={} took over after {} ms", next,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));
    assertNotEquals(leader, next);
    for (int node : survivors) {
      Set<String> after = waitFor(() -> allTasks(node), s -> s.equals(before),
          "node " + node + " answers with the same tasks " + before);
      assertEquals(before, after);
      JsonNode app = json(send(node, "GET", "/v2/apps/ocfweb/sleep", null)).path("app");
      assertEquals(2, app.path("instances").asInt(), app.toString());
    }
  }

  /** The node whose Marathon says it is elected and has a FrameworkID, or 0. */
  private int leaderNode(List<Integer> nodes) {
    for (int node : nodes) {
      try {
        JsonNode info = json(send(node, "GET", "/v2/info", null));
        if (info.path("elected").asBoolean() && !info.path("frameworkId").asText().isEmpty()) {
          return node;
        }
      } catch (IOException | IllegalStateException e) {
        LOG.debug("node {} does not answer /v2/info yet: {}", node, e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 0;
      }
    }
    return 0;
  }

  private Set<String> runningTasks(int node) {
    return tasks(node, true);
  }

  private Set<String> allTasks(int node) {
    return tasks(node, false);
  }

  private Set<String> tasks(int node, boolean runningOnly) {
    Set<String> ids = new TreeSet<>();
    try {
      JsonNode tasks = json(send(node, "GET", "/v2/apps/ocfweb/sleep/tasks", null))
          .path("tasks");
      for (JsonNode task : tasks) {
        if (!runningOnly || task.path("state").asText().equals("TASK_RUNNING")) {
          ids.add(task.path("id").asText());
        }
      }
    } catch (IOException | IllegalStateException e) {
      LOG.debug("node {} tasks not available yet: {}", node, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return ids;
  }

  private static int port(int base, int node) {
    return base + 10 * (node - 1) + OFFSET;
  }

  private HttpResponse<String> send(int node, String method, String path, String body)
      throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(8080, node)
        + path)).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException("not JSON (" + response.statusCode() + "): "
          + response.body(), e);
    }
  }

  /** Runs a Karaf command on a node through {@code bin/client -b} (no TTY). */
  private static String karaf(int node, String command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(DATA.resolve("dist/bin/client").toString(),
        "-a", String.valueOf(port(8101, node)), "-u", "karaf", "-p", "karaf", "-r", "20",
        "-d", "1", "-b").redirectErrorStream(true);
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process process = builder.start();
    process.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("bin/client on node " + node + " did not finish: " + out);
    }
    return out;
  }

  private static <T> T waitFor(Supplier<T> probe, Predicate<T> done, String what) {
    long end = System.nanoTime() + WAIT.toNanos();
    T last = null;
    while (System.nanoTime() < end) {
      last = probe.get();
      if (done.test(last)) {
        return last;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
    }
    throw new AssertionError("no " + what + " within " + WAIT + "; last: " + last);
  }
}
