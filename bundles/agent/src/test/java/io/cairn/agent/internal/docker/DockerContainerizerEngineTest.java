package io.cairn.agent.internal.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cairn.agent.internal.containerizer.LaunchedTask;
import io.cairn.agent.internal.containerizer.RecordingListener;
import io.cairn.agent.internal.containerizer.RecoveryResult;
import io.cairn.agent.internal.containerizer.TaskStatusUpdate;
import io.cairn.proto.mesos.v1.Protos;
import io.cairn.proto.mesos.v1.Protos.ContainerInfo;
import io.cairn.proto.mesos.v1.Protos.ContainerInfo.DockerInfo;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The docker containerizer against a real Docker engine on {@code unix:///var/run/docker.sock}
 * with the local image {@code cairn/busybox:1} ({@code .ci/docker-setup.sh start} provides both;
 * run under the itest lock). Skips, saying why, when no engine answers or the image is absent.
 */
class DockerContainerizerEngineTest {
  static final String SOCKET = System.getProperty("cairn.docker.socket",
      "unix:///var/run/docker.sock");
  static final String IMAGE = System.getProperty("cairn.docker.image", "cairn/busybox:1");
  private static final Protos.FrameworkID FRAMEWORK =
      Protos.FrameworkID.newBuilder().setValue("fw-docker-test").build();
  private static final String AGENT = "agent-docker-test";
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  private static DockerJavaEngine engine;

  @TempDir Path work;

  private static String noEngine;

  @BeforeAll
  static void probeEngine() {
    engine = new DockerJavaEngine(SOCKET);
    try {
      String version = engine.version();
      noEngine = engine.imagePresent(IMAGE) ? null : version + " has no image " + IMAGE;
    } catch (DockerEngineException e) {
      noEngine = "no Docker engine answers on " + SOCKET + " (" + e.getMessage() + ")";
      engine.close();
      engine = null;
    }
  }

  @BeforeEach
  void engineAnswers() {
    assumeTrue(noEngine == null, () -> "skipped: " + noEngine
        + "; run .ci/docker-setup.sh start (under the itest lock)");
  }

  @AfterAll
  static void closeEngine() {
    if (engine != null) {
      for (DockerEngine.ContainerState left :
          engine.listByLabels(Map.of(DockerTaskInfos.LABEL_AGENT, AGENT))) {
        engine.remove(left.id());
      }
      engine.close();
    }
  }

  private DockerContainerizer containerizer(RecordingListener listener) {
    return new DockerContainerizer(engine, work, AGENT, "localhost", Clock.systemUTC(),
        listener);
  }

  private static Protos.TaskInfo task(String id, String command, DockerInfo.Builder docker,
      int port) {
    Protos.TaskInfo.Builder task = Protos.TaskInfo.newBuilder().setName(id)
        .setTaskId(Protos.TaskID.newBuilder().setValue(id))
        .setAgentId(Protos.AgentID.newBuilder().setValue(AGENT))
        .addResources(scalar("cpus", 0.25)).addResources(scalar("mem", 48))
        .setContainer(ContainerInfo.newBuilder().setType(ContainerInfo.Type.DOCKER)
            .setDocker(docker))
        .setCommand(Protos.CommandInfo.newBuilder().setShell(true).setValue(command)
            .setEnvironment(Protos.Environment.newBuilder().addVariables(
                Protos.Environment.Variable.newBuilder().setName("GREETING").setValue("hi"))));
    if (port > 0) {
      task.addResources(Protos.Resource.newBuilder().setName("ports")
          .setType(Protos.Value.Type.RANGES).setRanges(Protos.Value.Ranges.newBuilder()
              .addRange(Protos.Value.Range.newBuilder().setBegin(port).setEnd(port))));
    }
    return task.build();
  }

  private static Protos.Resource scalar(String name, double value) {
    return Protos.Resource.newBuilder().setName(name).setType(Protos.Value.Type.SCALAR)
        .setScalar(Protos.Value.Scalar.newBuilder().setValue(value)).build();
  }

  @Test
  void aBridgedHttpdAnswersOnItsHostPortLogsToTheSandboxAndIsKilled() throws Exception {
    RecordingListener updates = new RecordingListener();
    int port = freePort();
    String command = "echo task=$MESOS_TASK_ID port0=$PORT0 greeting=$GREETING sandbox="
        + "$MESOS_SANDBOX; echo mem=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)"
        + " shares=$(cat /sys/fs/cgroup/cpu/cpu.shares) quota=$(cat"
        + " /sys/fs/cgroup/cpu/cpu.cfs_quota_us);"
        + " echo oops >&2; echo page > /tmp/index.html; echo inside > $MESOS_SANDBOX/mark;"
        + " exec httpd -f -p 8080 -h /tmp";
    try (DockerContainerizer docker = containerizer(updates)) {
      Protos.TaskInfo info = task("web", command, DockerInfo.newBuilder().setImage(IMAGE)
          .setNetwork(DockerInfo.Network.BRIDGE).addPortMappings(DockerInfo.PortMapping
              .newBuilder().setHostPort(port).setContainerPort(8080)), port);
      LaunchedTask launched = docker.launch(DockerTaskInfos.toDockerTask(FRAMEWORK, info))
          .get(10, TimeUnit.SECONDS);
      TaskStatusUpdate running = updates.await("web", TaskState.TASK_RUNNING,
          Duration.ofSeconds(60));
      assertTrue(running.transition().message().contains("mesos-" + launched.containerId()),
          running.transition().message());
      awaitTrue("httpd answers on 127.0.0.1:" + port, Duration.ofSeconds(30),
          () -> "page\n".equals(get(port)));
      Path stdout = launched.sandbox().resolve("stdout");
      awaitTrue("stdout in the sandbox", Duration.ofSeconds(10),
          () -> read(stdout).contains("task=web port0=" + port
              + " greeting=hi sandbox=/mnt/mesos/sandbox"));
      awaitTrue("stderr in the sandbox", Duration.ofSeconds(10),
          () -> read(launched.sandbox().resolve("stderr")).contains("oops"));
      assertEquals("inside\n", read(launched.sandbox().resolve("mark")),
          "the sandbox is mounted at MESOS_SANDBOX");
      if (Files.exists(Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes"))) {
        // cgroup v1 (this machine): the container sees its own limits. 0.25 cpus = 256 shares
        // and 25 ms of every 100 ms; 48 MB of memory.
        awaitTrue("limits in stdout", Duration.ofSeconds(10), () -> read(stdout).contains(
            "mem=" + 48L * 1024 * 1024 + " shares=256 quota=25000"));
      }
      String engineId = docker.engineId("web").get(5, TimeUnit.SECONDS).orElseThrow();
      DockerEngine.ContainerState state = engine.inspect(engineId).orElseThrow();
      assertEquals("web", state.labels().get(DockerTaskInfos.LABEL_TASK));
      assertEquals(launched.containerId(), state.labels().get(DockerTaskInfos.LABEL_CONTAINER));

      assertTrue(docker.kill("web", Duration.ofSeconds(1)).get(5, TimeUnit.SECONDS));
      TaskStatusUpdate killed = updates.await("web", TaskState.TASK_KILLED,
          Duration.ofSeconds(30));
      assertTrue(killed.transition().message().contains("killed"),
          killed.transition().message());
      awaitTrue("the container is removed", Duration.ofSeconds(20),
          () -> engine.inspect(engineId).isEmpty());
    }
  }

  @Test
  void exitCodesBecomeFinishedAndFailed() throws Exception {
    RecordingListener updates = new RecordingListener();
    try (DockerContainerizer docker = containerizer(updates)) {
      docker.launch(DockerTaskInfos.toDockerTask(FRAMEWORK, task("ok", "exit 0",
          DockerInfo.newBuilder().setImage(IMAGE).setNetwork(DockerInfo.Network.NONE), 0)));
      docker.launch(DockerTaskInfos.toDockerTask(FRAMEWORK, task("bad", "exit 3",
          DockerInfo.newBuilder().setImage(IMAGE).setNetwork(DockerInfo.Network.NONE), 0)));
      updates.await("ok", TaskState.TASK_FINISHED, Duration.ofSeconds(60));
      TaskStatusUpdate failed = updates.await("bad", TaskState.TASK_FAILED,
          Duration.ofSeconds(60));
      assertEquals("Command exited with status 3", failed.transition().message());
    }
  }

  @Test
  void aMissingImageFailsTheTaskWithAClearMessage() throws Exception {
    RecordingListener updates = new RecordingListener();
    try (DockerContainerizer docker = containerizer(updates)) {
      docker.launch(DockerTaskInfos.toDockerTask(FRAMEWORK, task("ghost", "true",
          DockerInfo.newBuilder().setImage("cairn/no-such-image:0"), 0)));
      TaskStatusUpdate failed = updates.await("ghost", TaskState.TASK_FAILED,
          Duration.ofSeconds(120));
      String message = failed.transition().message();
      assertTrue(message.contains("image 'cairn/no-such-image:0' is not present on this agent"
          + " and could not be pulled"), message);
      assertEquals(Protos.TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED,
          failed.transition().reason().orElseThrow());
    }
  }

  @Test
  void aNewContainerizerAdoptsRunningContainersAndReportsThoseThatEnded() throws Exception {
    RecordingListener first = new RecordingListener();
    DockerContainerizer before = containerizer(first);
    before.launch(DockerTaskInfos.toDockerTask(FRAMEWORK, task("keeps", "echo started; "
        + "exec sleep 300", DockerInfo.newBuilder().setImage(IMAGE)
        .setNetwork(DockerInfo.Network.NONE), 0)));
    before.launch(DockerTaskInfos.toDockerTask(FRAMEWORK, task("ends", "sleep 2; exit 4",
        DockerInfo.newBuilder().setImage(IMAGE).setNetwork(DockerInfo.Network.NONE), 0)));
    first.await("keeps", TaskState.TASK_RUNNING, Duration.ofSeconds(60));
    first.await("ends", TaskState.TASK_RUNNING, Duration.ofSeconds(60));
    String keepsId = before.engineId("keeps").get(5, TimeUnit.SECONDS).orElseThrow();
    before.close(); // the agent stops; containers keep running
    assertTrue(engine.inspect(keepsId).orElseThrow().running(), "the container outlives it");
    awaitTrue("'ends' exits while no containerizer watches", Duration.ofSeconds(20),
        () -> engine.listByLabels(Map.of(DockerTaskInfos.LABEL_TASK, "ends")).stream()
            .noneMatch(DockerEngine.ContainerState::running));

    RecordingListener second = new RecordingListener();
    try (DockerContainerizer after = containerizer(second)) {
      RecoveryResult recovered = after.recover().get(30, TimeUnit.SECONDS);
      assertEquals(java.util.List.of("keeps"), recovered.adopted());
      TaskStatusUpdate ended = second.await("ends", TaskState.TASK_FAILED,
          Duration.ofSeconds(10));
      assertEquals("Command exited with status 4", ended.transition().message());
      assertEquals(keepsId, after.engineId("keeps").get(5, TimeUnit.SECONDS).orElseThrow(),
          "the same container");
      assertTrue(after.kill("keeps", Duration.ZERO).get(5, TimeUnit.SECONDS));
      second.await("keeps", TaskState.TASK_KILLED, Duration.ofSeconds(30));
    }
  }

  @Test
  void containersOfThisAgentThatNoCheckpointNamesAreRemovedAtRecovery() throws Exception {
    ContainerSpec orphan = new ContainerSpec("cairn-orphan-" + System.nanoTime(), IMAGE, false,
        java.util.Optional.of(java.util.List.of("/bin/sh")), java.util.List.of("-c", "sleep 300"),
        Map.of(), Map.of(DockerTaskInfos.LABEL_AGENT, AGENT, DockerTaskInfos.LABEL_CONTAINER,
            "unknown"), "none", java.util.List.of(), java.util.List.of(), 0, 0, 0, false,
        ContainerSpec.RunOptions.none());
    String id = engine.create(orphan);
    engine.start(id);
    try (DockerContainerizer docker = containerizer(new RecordingListener())) {
      docker.recover().get(30, TimeUnit.SECONDS);
      awaitTrue("the orphan is removed", Duration.ofSeconds(30),
          () -> engine.inspect(id).isEmpty());
    }
  }

  private static String get(int port) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + port + "/index.html"))
          .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body() : "status " + response.statusCode();
    } catch (IOException e) {
      return e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return e.toString();
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static void awaitTrue(String what, Duration timeout, BooleanSupplier condition) {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
  }
}
