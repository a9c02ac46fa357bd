package io.cairn.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Drives {@code ./cairn start|status|stop} the way a script would (no TTY), against the
 * distribution this build produced ({@code CAIRN_NO_BUILD=1}), on ports shifted by 1000 so a
 * developer's running node is left alone. Every node it starts is stopped by pid.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LauncherIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path DATA = Path.of("target/launcher-it").toAbsolutePath();

  record Run(int exitCode, String out, String err) {}

  @BeforeAll
  static void clean() throws Exception {
    cairn("stop");
    deleteRecursively(DATA);
  }

  @AfterAll
  static void stopEverything() throws Exception {
    cairn("stop");
  }

  @Test
  @Order(1)
  void startBringsUpTwoNodesAndReportsTheirEndpointsAndStartToReadyTime() throws Exception {
    Run start = cairn("start", "--nodes", "2");

    assertEquals(0, start.exitCode(), start.toString());
    // Every endpoint the node's bundles promise, ssh first then by name (agent, master, raft, zk).
    assertTrue(start.out().matches("(?s).*node=1 ready in \\d+\\.\\d+ s: ssh=127\\.0\\.0\\.1:9101 "
        + "agent=127\\.0\\.0\\.1:6051 (master=127\\.0\\.0\\.1:6050 )?"
        + "raft=127\\.0\\.0\\.1:8070 zk=127\\.0\\.0\\.1:3181.*"),
        start.out());
    assertTrue(start.out().matches("(?s).*node=2 ready in \\d+\\.\\d+ s: ssh=127\\.0\\.0\\.1:9111.*"),
        start.out());
    assertTrue(start.out().matches("(?s).*2 node\\(s\\) started, start-to-ready \\d+\\.\\d+ s.*"),
        start.out());
  }

  @Test
  @Order(2)
  void statusPrintsOneKeyValueLinePerNode() throws Exception {
    Run status = cairn("status");

    assertEquals(0, status.exitCode(), status.toString());
    List<String> lines = status.out().lines().toList();
    assertEquals(2, lines.size(), status.out());
    for (int node = 1; node <= 2; node++) {
      int shift = 10 * (node - 1);
      String expected = "node=" + node + " pid=\\d+ role=master,agent ssh=127\\.0\\.0\\.1:"
          + (9101 + shift) + " agent=127\\.0\\.0\\.1:" + (6051 + shift)
          + " (master=127\\.0\\.0\\.1:" + (6050 + shift) + " )?raft=127\\.0\\.0\\.1:"
          + (8070 + shift) + " zk=127\\.0\\.0\\.1:"
          + (3181 + shift) + " data=" + DATA.resolve("node-" + node + "/data/cairn")
          + " state=ready";
      assertTrue(lines.get(node - 1).matches(expected), lines.get(node - 1));
    }
  }

  @Test
  @Order(3)
  void startAgainRestartsOnlyTheNodeThatWasKilled() throws Exception {
    long killed = pid(2);
    ProcessHandle node2 = ProcessHandle.of(killed).orElseThrow();
    node2.destroyForcibly();
    node2.onExit().get(30, TimeUnit.SECONDS);

    Run start = cairn("start");

    assertEquals(0, start.exitCode(), start.toString());
    assertTrue(start.out().contains("node=1 already running pid=" + pid(1)), start.out());
    assertTrue(start.out().contains("node=2 ready in"), start.out());
    assertTrue(pid(2) != killed, "node 2 has a new pid");
  }

  @Test
  @Order(4)
  void stopStopsExactlyTheStartedNodes() throws Exception {
    long first = pid(1);
    long second = pid(2);

    Run stop = cairn("stop");

    assertEquals(0, stop.exitCode(), stop.toString());
    assertFalse(ProcessHandle.of(first).map(ProcessHandle::isAlive).orElse(false));
    assertFalse(ProcessHandle.of(second).map(ProcessHandle::isAlive).orElse(false));
    assertEquals(3, cairn("status").exitCode(), "status exits 3 when no node runs");
  }

  @Test
  @Order(5)
  void aBadValueInTheNodeConfigStopsStartWithOneSentence() throws Exception {
    Path cfg = DATA.resolve("node-1/etc/io.cairn.node.cfg");
    String good = Files.readString(cfg);
    Files.writeString(cfg, good.replaceAll("(?m)^roles = .*$", "roles = master,mastr"));
    try {
      Run start = cairn("start", "--nodes", "1");

      assertEquals(2, start.exitCode(), start.toString());
      // The launcher names the file relative to where it was run from.
      Path shown = Path.of("").toAbsolutePath().relativize(cfg);
      assertEquals(shown + ": roles = 'master,mastr' is not valid; 'mastr' is not a role; expected "
          + "a comma-separated list of master and agent, e.g. master,agent.",
          start.err().strip());
      assertEquals(3, cairn("status").exitCode(), "nothing was left running");
    } finally {
      Files.writeString(cfg, good);
    }
  }

  private static long pid(int node) throws IOException {
    return Long.parseLong(Files.readString(DATA.resolve("node-" + node + "/cairn.pid")).strip());
  }

  private static Run cairn(String... args) throws Exception {
    return cairnIn(DATA, 1000, args);
  }

  /** Runs {@code ./cairn ARGS --data DATA} without a TTY, ports shifted by {@code offset}. */
  static Run cairnIn(Path data, int offset, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(ROOT.resolve("cairn").toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("--data", data.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).directory(Path.of(".").toFile());
    builder.environment().put("CAIRN_NO_BUILD", "1");
    builder.environment().put("CAIRN_PORT_OFFSET", String.valueOf(offset));
    Path out = Files.createTempFile("cairn-out", ".txt");
    Path err = Files.createTempFile("cairn-err", ".txt");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(
        ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process process = builder.start();
    if (!process.waitFor(Duration.ofMinutes(3).toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("./cairn " + String.join(" ", args) + " did not finish in 3 min");
    }
    Run run = new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
    Files.delete(out);
    Files.delete(err);
    return run;
  }

  /**
   * Runs Karaf console commands on the node whose console listens on {@code sshPort}, through
   * {@code bin/client -b} (notes/runtime.md: without a TTY the client needs batch mode); the
   * client retries its connection {@code retries} times a second apart.
   */
  static Run client(Path data, int sshPort, int retries, String... commands) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(data.resolve("dist/bin/client").toString(),
        "-a", String.valueOf(sshPort), "-u", "karaf", "-p", "karaf", "-r",
        String.valueOf(retries), "-d", "1", "-b").redirectErrorStream(true);
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process process = builder.start();
    process.getOutputStream().write((String.join("\n", commands) + "\n")
        .getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("bin/client did not finish: " + out);
    }
    return new Run(process.exitValue(), out, "");
  }

  /** kill -9 of node {@code node} under {@code data} (its cairn.pid), waiting until it is gone. */
  static void killNode(Path data, int node) throws Exception {
    ProcessHandle handle = ProcessHandle.of(Long.parseLong(Files.readString(
        data.resolve("node-" + node + "/cairn.pid")).strip())).orElseThrow();
    handle.destroyForcibly();
    handle.onExit().get(30, TimeUnit.SECONDS);
  }

  /** {@code ./cairn stop} at the end of a test; a failure is logged, the test goes on. */
  static void stopNodes(Path data, int offset) throws Exception {
    Run stop = cairnIn(data, offset, "stop");
    if (stop.exitCode() != 0) {
      org.slf4j.LoggerFactory.getLogger(LauncherIT.class).warn("cairn stop exited {}: {}",
          stop.exitCode(), stop);
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
