package io.cairn.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A framework's leading instance fails over: three master+agent nodes ({@code ./cairn start
 * --nodes 3}, ports shifted by 6000), the jobs framework installed on each ({@code
 * feature:install}), first on the node whose master leads, so its instance leads and is
 * subscribed there. A job run is started, then that node (leading master, Raft leader and leading
 * instance) is killed with {@code kill -9}. Another node's instance is elected, finds the newly
 * elected master under /mesos, re-subscribes with the same FrameworkID, loads the job and its run
 * from ZooKeeper and reconciles the run's task. Every node is stopped by pid afterwards.
 */
class FrameworkFailoverIT {
  private static final Logger LOG = LoggerFactory.getLogger(FrameworkFailoverIT.class);
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path DATA = Path.of("target/framework-failover-it").toAbsolutePath();
  private static final int OFFSET = 6000;
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final Pattern ROW = Pattern.compile(
      "cairn-jobs\\s+(\\S+)\\s+(this node \\((\\S+)\\)|\\S+)\\s+(yes|no)\\s+(\\S+)");
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** One node's {@code framework:list} row for cairn-jobs. */
  record Row(int node, String frameworkId, boolean leading, String leader, boolean subscribed,
      String master) {}

  @BeforeAll
  static void clean() throws Exception {
    LauncherIT.cairnIn(DATA, OFFSET, "stop");
    LauncherIT.deleteRecursively(DATA);
  }

  @AfterAll
  static void stopEverything() throws Exception {
    LauncherIT.cairnIn(DATA, OFFSET, "stop");
  }

  @Test
  void anotherNodeTakesOverWithTheSameFrameworkIdAndReconciles() throws Exception {
    LauncherIT.Run start = LauncherIT.cairnIn(DATA, OFFSET, "start", "--nodes", "3");
    assertEquals(0, start.exitCode(), start.toString());
    // The node whose master leads (the Raft leader's) gets the framework first, so its instance
    // leads too: the kill below takes down the leading master and the leading instance at once.
    int masterNode = waitFor(() -> masterLeader(), n -> n > 0, "a leading master");
    List<Integer> order = new java.util.ArrayList<>(List.of(masterNode));
    List.of(1, 2, 3).stream().filter(n -> n != masterNode).forEach(order::add);
    Row first = null;
    for (int node : order) {
      String out = karaf(node, "feature:install cairn-framework-jobs");
      assertTrue(!out.contains("Error"), out);
      if (first == null) {
        first = waitFor(() -> leaderRow(List.of(masterNode)), r -> r != null && r.subscribed(),
            "the instance on the master's node to lead and subscribe");
      }
    }
    final Row leader = first;
    assertEquals(masterNode, leader.node());
    assertEquals("127.0.0.1:" + port(5050, masterNode), leader.master());
    LOG.info("jobs framework leads on node={} framework_id={}", leader.node(),
        leader.frameworkId());
    for (int node = 1; node <= 3; node++) {
      if (node != leader.node()) {
        int standbyNode = node;
        Row standby = waitFor(() -> row(standbyNode), r -> r != null && !r.leading()
            && r.leader().equals("127.0.0.1:" + port(8082, leader.node())),
            "the standby on node " + node + " to know the leader");
        assertTrue(!standby.subscribed(), "a standby does not subscribe: " + standby);
      }
    }
    int leaderJobs = port(8082, leader.node());
    HttpResponse<String> created = post(leaderJobs, "/v1/jobs", "{\"id\":\"sleeper\","
        + "\"run\":{\"cmd\":\"sleep 600\",\"cpus\":0.1,\"mem\":16}}");
    assertEquals(201, created.statusCode(), created.body());
    assertEquals(201, post(leaderJobs, "/v1/jobs/sleeper/runs", "").statusCode());
    String active = waitFor(() -> get(leaderJobs, "/v1/jobs/sleeper/runs"),
        s -> s.contains("\"status\":\"ACTIVE\""), "the run to be ACTIVE");
    LOG.info("run before the kill: {}", active);

    long pid = Long.parseLong(Files.readString(DATA.resolve("node-" + leader.node()
        + "/cairn.pid")).strip());
    assertTrue(ProcessHandle.of(pid).orElseThrow().destroyForcibly(), "kill -9 of the leader");
    long killedAt = System.nanoTime();
    List<Integer> survivors = List.of(1, 2, 3).stream().filter(n -> n != leader.node()).toList();
    Row next = waitFor(() -> leaderRow(survivors), r -> r != null && r.subscribed(),
        "a surviving instance to lead and subscribe");
    LOG.info("node={} took over after {} ms", next.node(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));
    assertNotEquals(leader.node(), next.node());
    assertEquals(leader.frameworkId(), next.frameworkId(), "re-subscribed with the same id");
    assertNotEquals(leader.master(), next.master(), "to the newly elected master");
    int nextJobs = port(8082, next.node());
    String jobs = get(nextJobs, "/v1/jobs");
    assertTrue(jobs.contains("\"id\":\"sleeper\""), jobs);
    String runs = get(nextJobs, "/v1/jobs/sleeper/runs");
    assertTrue(runs.contains("sleeper_"), "the run and its task came back from ZooKeeper: "
        + runs);
    String log = Files.readString(DATA.resolve("node-" + next.node() + "/data/log/karaf.log"));
    assertTrue(log.contains("jobs framework reconciles tasks=1"), "explicit reconciliation");
    assertTrue(log.contains("subscribing master=") && log.contains("framework_id="
        + leader.frameworkId()), "SUBSCRIBE carried the stored FrameworkID");
  }

  /** The node whose master leads, from node 1..3's {@code /master/state} "leader", or 0. */
  private int masterLeader() {
    for (int node = 1; node <= 3; node++) {
      Matcher m = Pattern.compile("\"leader\":\"master@[^:]+:(\\d+)\"")
          .matcher(get(port(5050, node), "/master/state"));
      if (m.find()) {
        return (Integer.parseInt(m.group(1)) - 5050 - OFFSET) / 10 + 1;
      }
    }
    return 0;
  }

  private Row leaderRow(List<Integer> nodes) {
    for (int node : nodes) {
      Row row = row(node);
      if (row != null && row.leading()) {
        return row;
      }
    }
    return null;
  }

  private Row row(int node) {
    String out = karaf(node, "framework:list");
    Matcher m = ROW.matcher(out);
    if (!m.find()) {
      return null;
    }
    boolean leading = m.group(2).startsWith("this node");
    return new Row(node, m.group(1), leading, leading ? m.group(3) : m.group(2),
        m.group(4).equals("yes"), m.group(5));
  }

  private static int port(int base, int node) {
    return base + 10 * (node - 1) + OFFSET;
  }

  /** Runs a Karaf command on a node through {@code bin/client -b} (no TTY). */
  private static String karaf(int node, String command) {
    try {
      return LauncherIT.client(DATA, port(8101, node), 3, command).out();
    } catch (Exception e) {
      return "client failed: " + e;
    }
  }

  private String get(int port, String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(10)).GET().build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      return "GET failed: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private HttpResponse<String> post(int port, String path, String json) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static <T> T waitFor(java.util.function.Supplier<T> probe, Predicate<T> done,
      String what) {
    long end = System.nanoTime() + WAIT.toNanos();
    T last = null;
    while (System.nanoTime() < end) {
      last = probe.get();
      if (done.test(last)) {
        return last;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1000));
    }
    throw new AssertionError("no " + what + " within " + WAIT + "; last: " + last);
  }
}
