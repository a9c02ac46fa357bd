package io.cairn.agent.internal.containerizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.agent.internal.core.CommandSpec;
import io.cairn.agent.internal.core.LaunchSpec;
import io.cairn.agent.internal.core.SandboxLayout;
import io.cairn.agent.internal.core.TaskCheckpoint;
import io.cairn.agent.internal.core.TaskResources;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import io.cairn.proto.mesos.v1.Protos.TaskStatus.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The process containerizer against real child processes (/bin/sh, sleep, echo, true). */
class ProcessContainerizerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final String FRAMEWORK = "fw-1";

  @TempDir Path work;
  private final RecordingListener listener = new RecordingListener();
  private final List<ProcessContainerizer> containerizers = new ArrayList<>();
  private final Set<Long> pids = new HashSet<>();
  private ProcessContainerizer containerizer;

  @BeforeEach
  void setUp() {
    containerizer = newContainerizer(listener);
  }

  @AfterEach
  void stopEverything() throws IOException {
    containerizers.forEach(ProcessContainerizer::close);
    for (long pid : pids) {
      // Kill the group first (the task's children), then the pid itself.
      ProcFs.stat(pid).filter(s -> s.processGroup() == pid).ifPresent(s -> killGroup(pid));
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
    for (long pid : pids) {
      Await.until("pid " + pid + " gone", TIMEOUT, () -> isGone(pid));
    }
  }

  @Test
  void exitZeroIsFinishedAfterStartingAndRunning() throws Exception {
    launch(shell("ok", "true"));
    listener.awaitTerminal("ok", TIMEOUT);
    List<TaskStatusUpdate> updates = listener.of("ok");
    assertEquals(
        List.of(TaskState.TASK_STARTING, TaskState.TASK_RUNNING, TaskState.TASK_FINISHED),
        updates.stream().map(TaskStatusUpdate::state).toList());
    assertEquals(List.of(0, 1, 2), updates.stream().map(u -> u.state().getNumber()).toList());
    assertEquals(3, updates.stream().map(TaskStatusUpdate::uuid).distinct().count());
    assertEquals(16, updates.get(2).toProto("agent-1").getUuid().size());
  }

  @Test
  void nonZeroExitIsFailedNamingTheStatus() throws Exception {
    launch(shell("bad", "exit 3"));
    TaskStatusUpdate last = listener.awaitTerminal("bad", TIMEOUT);
    assertEquals(TaskState.TASK_FAILED, last.state());
    assertTrue(last.transition().message().contains("status 3"), last.transition().message());
  }

  @ParameterizedTest(name = "missing program {0}")
  @ValueSource(strings = {"/nonexistent/cairn-no-such-binary", "cairn-no-such-binary"})
  void missingBinaryIsFailedWithLaunchFailedReason(String program) throws Exception {
    LaunchedTask launched =
        launch(
            LaunchSpec.commandTask(
                "missing", FRAMEWORK, CommandSpec.argv(program, "x"), TaskResources.none()));
    TaskStatusUpdate last = listener.awaitTerminal("missing", TIMEOUT);
    assertEquals(TaskState.TASK_FAILED, last.state());
    assertEquals(Optional.of(Reason.REASON_CONTAINER_LAUNCH_FAILED), last.transition().reason());
    assertTrue(last.transition().message().contains("cairn-no-such-binary"));
    assertTrue(launched.pid().isEmpty());
  }

  @Test
  void taskSeesSandboxIdsHostAndPorts() throws Exception {
    LaunchSpec spec =
        shell("env", "env > \"$MESOS_SANDBOX/env.txt\"")
            .withEnvironment(Map.of("GREETING", "hello world", "MESOS_TASK_ID", "forged"));
    spec =
        new LaunchSpec(
            spec.taskId(),
            spec.frameworkId(),
            spec.executorId(),
            spec.command(),
            spec.environment(),
            new TaskResources(0.5, 64, List.of(31000, 31005)),
            spec.killGracePeriod());
    LaunchedTask launched = launch(spec);
    assertEquals(TaskState.TASK_FINISHED, listener.awaitTerminal("env", TIMEOUT).state());
    Map<String, String> env =
        Files.readAllLines(launched.sandbox().resolve("env.txt")).stream()
            .filter(l -> l.contains("="))
            .collect(
                Collectors.toMap(
                    l -> l.substring(0, l.indexOf('=')),
                    l -> l.substring(l.indexOf('=') + 1),
                    (a, b) -> a));
    assertEquals("31000", env.get("PORT0"));
    assertEquals("31005", env.get("PORT1"));
    assertEquals("31000", env.get("PORT"));
    assertEquals("31000,31005", env.get("PORTS"));
    assertEquals("host-1.example", env.get("HOST"));
    assertEquals("env", env.get("MESOS_TASK_ID"));
    assertEquals(FRAMEWORK, env.get("MESOS_FRAMEWORK_ID"));
    assertEquals("agent-1", env.get("MESOS_AGENT_ID"));
    assertEquals(launched.sandbox().toString(), env.get("MESOS_SANDBOX"));
    assertEquals("hello world", env.get("GREETING"));
    Path expected =
        work.resolve("frameworks")
            .resolve(FRAMEWORK)
            .resolve("executors")
            .resolve("env")
            .resolve("runs")
            .resolve(launched.containerId());
    assertEquals(expected, launched.sandbox());
  }

  @Test
  void stdoutAndStderrGoToSandboxFiles() throws Exception {
    LaunchedTask launched = launch(shell("io", "echo to-out; echo to-err >&2"));
    listener.awaitTerminal("io", TIMEOUT);
    assertEquals("to-out\n", Files.readString(launched.sandbox().resolve("stdout")));
    assertEquals("to-err\n", Files.readString(launched.sandbox().resolve("stderr")));
  }

  @Test
  void argvCommandRunsWithoutShell() throws Exception {
    LaunchedTask launched =
        launch(
            LaunchSpec.commandTask(
                "argv",
                FRAMEWORK,
                CommandSpec.argv("echo", "$HOME", "two words"),
                TaskResources.none()));
    assertEquals(TaskState.TASK_FINISHED, listener.awaitTerminal("argv", TIMEOUT).state());
    assertEquals("$HOME two words\n", Files.readString(launched.sandbox().resolve("stdout")));
  }

  @Test
  void taskThatExitsOnTermIsKilledBeforeTheGracePeriod() throws Exception {
    LaunchedTask launched =
        launch(
            shell("trap", "trap 'exit 0' TERM; touch ready; sleep 60 & wait")
                .withKillGracePeriod(TIMEOUT));
    awaitFile(launched.sandbox().resolve("ready"));
    long start = System.nanoTime();
    assertTrue(containerizer.kill("trap").get(5, TimeUnit.SECONDS));
    TaskStatusUpdate last = listener.awaitTerminal("trap", TIMEOUT);
    assertEquals(TaskState.TASK_KILLED, last.state());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0);
  }

  @Test
  void taskThatIgnoresTermIsKilledAfterTheGracePeriod() throws Exception {
    LaunchedTask launched = launch(shell("stubborn", "trap '' TERM; touch ready; sleep 60"));
    awaitFile(launched.sandbox().resolve("ready"));
    long start = System.nanoTime();
    Duration grace = Duration.ofMillis(500);
    assertTrue(containerizer.kill("stubborn", grace).get(5, TimeUnit.SECONDS));
    TaskStatusUpdate last = listener.awaitTerminal("stubborn", TIMEOUT);
    assertEquals(TaskState.TASK_KILLED, last.state());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(grace) >= 0);
    assertTrue(last.transition().message().contains("signal 9"), last.transition().message());
  }

  @Test
  void killReachesTheWholeProcessTree() throws Exception {
    LaunchedTask launched = launch(shell("tree", "sleep 60 & echo $! > child.pid; wait"));
    long child = awaitPidFile(launched.sandbox().resolve("child.pid"));
    assertTrue(containerizer.kill("tree", Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS));
    assertEquals(TaskState.TASK_KILLED, listener.awaitTerminal("tree", TIMEOUT).state());
    Await.until("child " + child + " gone", TIMEOUT, () -> isGone(child));
  }

  @Test
  void leaderExitDestroysItsBackgroundChildren() throws Exception {
    LaunchedTask launched = launch(shell("orphan", "sleep 60 & echo $! > child.pid"));
    assertEquals(TaskState.TASK_FINISHED, listener.awaitTerminal("orphan", TIMEOUT).state());
    long child = Long.parseLong(Files.readString(launched.sandbox().resolve("child.pid")).trim());
    pids.add(child);
    Await.until("child " + child + " gone", TIMEOUT, () -> isGone(child));
  }

  @Test
  void duplicateTaskIdIsRejectedAndUnknownKillIsIgnored() throws Exception {
    launch(shell("twice", "sleep 60"));
    ExecutionException rejected =
        assertThrows(
            ExecutionException.class,
            () -> containerizer.launch(shell("twice", "true")).get(5, TimeUnit.SECONDS));
    assertInstanceOf(IllegalArgumentException.class, rejected.getCause());
    assertFalse(containerizer.kill("no-such-task").get(5, TimeUnit.SECONDS));
    assertTrue(containerizer.kill("twice", Duration.ZERO).get(5, TimeUnit.SECONDS));
    assertEquals(TaskState.TASK_KILLED, listener.awaitTerminal("twice", TIMEOUT).state());
  }

  @Test
  void recoveryAdoptsALiveTaskWhichCanThenBeKilled() throws Exception {
    LaunchedTask launched = launch(shell("long", "exec sleep 60"));
    listener.await("long", TaskState.TASK_RUNNING, TIMEOUT);
    containerizer.close(); // The agent goes away; the task keeps running.
    assertFalse(isGone(launched.pid().getAsLong()));

    RecordingListener second = new RecordingListener();
    ProcessContainerizer recovered = newContainerizer(second);
    RecoveryResult result = recovered.recover().get(5, TimeUnit.SECONDS);
    assertEquals(List.of("long"), result.adopted());
    assertEquals(
        Optional.of(TaskState.TASK_RUNNING), recovered.state("long").get(5, TimeUnit.SECONDS));

    assertTrue(recovered.kill("long", Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS));
    assertEquals(TaskState.TASK_KILLED, second.awaitTerminal("long", TIMEOUT).state());
    assertTrue(isGone(launched.pid().getAsLong()));
    // A third containerizer finds the terminal checkpoint and has nothing to do.
    RecoveryResult again =
        newContainerizer(new RecordingListener()).recover().get(5, TimeUnit.SECONDS);
    assertEquals(List.of(), again.adopted());
    assertEquals(List.of(), again.failed());
  }

  /**
   * After a real agent restart the task is no longer the JVM's child. This starts one that never
   * was (a daemonised {@code sleep} whose parent shell has exited), checkpoints it as a previous
   * containerizer would have, and adopts and kills it.
   */
  @Test
  void recoveryAdoptsAProcessThatIsNotOurChild() throws Exception {
    long pid = startStray(Duration.ofSeconds(60));
    checkpoint("stray", pid, ProcFs.stat(pid).orElseThrow().startTimeTicks());

    assertEquals(List.of("stray"), containerizer.recover().get(5, TimeUnit.SECONDS).adopted());
    assertTrue(containerizer.kill("stray", Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS));
    TaskStatusUpdate last = listener.awaitTerminal("stray", TIMEOUT);
    assertEquals(TaskState.TASK_KILLED, last.state());
    assertTrue(isGone(pid));
  }

  @Test
  void anAdoptedTaskThatEndsByItselfIsFailedWithUnknownStatus() throws Exception {
    long pid = startStray(Duration.ofSeconds(1));
    checkpoint("short", pid, ProcFs.stat(pid).orElseThrow().startTimeTicks());
    assertEquals(List.of("short"), containerizer.recover().get(5, TimeUnit.SECONDS).adopted());
    TaskStatusUpdate last = listener.awaitTerminal("short", TIMEOUT);
    assertEquals(TaskState.TASK_FAILED, last.state());
    assertTrue(last.transition().message().contains("unknown status"));
  }

  @Test
  void recoveryDoesNotAdoptAReusedPid() throws Exception {
    long pid = startStray(Duration.ofSeconds(60));
    checkpoint("reused", pid, ProcFs.stat(pid).orElseThrow().startTimeTicks() - 1);
    assertEquals(List.of("reused"), containerizer.recover().get(5, TimeUnit.SECONDS).failed());
    TaskStatusUpdate last = listener.awaitTerminal("reused", TIMEOUT);
    assertTrue(last.transition().message().contains("another process"));
    assertFalse(isGone(pid), "a stranger's process must not be signalled");
  }

  @Test
  void recoveryReportsATaskWhoseProcessDiedAsFailed() throws Exception {
    LaunchedTask launched = launch(shell("died", "exec sleep 60"));
    listener.await("died", TaskState.TASK_RUNNING, TIMEOUT);
    containerizer.close();
    long pid = launched.pid().getAsLong();
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    Await.until("pid " + pid + " gone", TIMEOUT, () -> isGone(pid));

    RecordingListener second = new RecordingListener();
    RecoveryResult result = newContainerizer(second).recover().get(5, TimeUnit.SECONDS);
    assertEquals(List.of("died"), result.failed());
    TaskStatusUpdate update = second.awaitTerminal("died", TIMEOUT);
    assertEquals(TaskState.TASK_FAILED, update.state());
    assertEquals(Optional.of(Reason.REASON_EXECUTOR_TERMINATED), update.transition().reason());
    assertTrue(update.transition().message().contains("pid=" + pid), update.transition().message());
  }

  @Test
  void recoverySkipsACorruptCheckpoint() throws Exception {
    launch(shell("quick", "true"));
    listener.awaitTerminal("quick", TIMEOUT);
    Path checkpoint;
    try (var files =
        Files.find(
            work.resolve("meta"),
            8,
            (p, a) -> p.getFileName().toString().equals("task.checkpoint"))) {
      checkpoint = files.findFirst().orElseThrow();
    }
    Files.writeString(checkpoint, "task.id=quick\n"); // a torn write: no checksum line
    RecoveryResult result =
        newContainerizer(new RecordingListener()).recover().get(5, TimeUnit.SECONDS);
    assertEquals(List.of(checkpoint.toString()), result.unreadable());
  }

  /** Starts {@code sleep} in its own group, as a grandchild whose parent shell has exited. */
  private long startStray(Duration duration) throws Exception {
    long seconds = duration.toSeconds();
    Process parent =
        new ProcessBuilder(
                "/bin/sh", "-c", "setsid sleep " + seconds + " >/dev/null 2>&1 & echo $!")
            .redirectErrorStream(true)
            .start();
    long pid = Long.parseLong(new String(parent.getInputStream().readAllBytes()).trim());
    pids.add(pid);
    assertTrue(parent.waitFor(5, TimeUnit.SECONDS));
    return pid;
  }

  /** Writes the checkpoint a previous containerizer would have written for {@code pid}. */
  private void checkpoint(String taskId, long pid, long startTime) throws IOException {
    LaunchSpec spec = shell(taskId, "sleep 60");
    Path meta = new SandboxLayout(work).meta(FRAMEWORK, taskId, "cid-" + taskId);
    Files.createDirectories(meta);
    CheckpointFiles.writeAtomically(
        meta.resolve(SandboxLayout.CHECKPOINT_FILE),
        new TaskCheckpoint(spec, "cid-" + taskId, pid, startTime, true, Optional.empty()).encode());
  }

  private ProcessContainerizer newContainerizer(TaskStatusListener statusListener) {
    ProcessContainerizer created =
        new ProcessContainerizer(
            ContainerizerConfig.detect(work, "agent-1", "host-1.example"), statusListener);
    containerizers.add(created);
    return created;
  }

  private static LaunchSpec shell(String taskId, String commandLine) {
    return LaunchSpec.commandTask(
        taskId, FRAMEWORK, CommandSpec.shell(commandLine), TaskResources.none());
  }

  private LaunchedTask launch(LaunchSpec spec) throws Exception {
    LaunchedTask launched = containerizer.launch(spec).get(5, TimeUnit.SECONDS);
    launched.pid().ifPresent(pids::add);
    return launched;
  }

  private long awaitPidFile(Path file) throws IOException {
    Await.until(file + " written", TIMEOUT, () -> readable(file));
    long pid = Long.parseLong(Files.readString(file).trim());
    pids.add(pid);
    return pid;
  }

  private static boolean readable(Path file) {
    try {
      return Files.exists(file) && Files.readString(file).endsWith("\n");
    } catch (IOException e) {
      throw new AssertionError("cannot read " + file, e);
    }
  }

  private static void awaitFile(Path file) {
    Await.until(file + " created", TIMEOUT, () -> Files.exists(file));
  }

  private static boolean isGone(long pid) {
    return ProcFs.stat(pid).map(s -> !s.isLive()).orElse(true);
  }

  private static void killGroup(long pgid) {
    try {
      Process kill = new ProcessBuilder("kill", "-s", "KILL", "--", "-" + pgid).start();
      kill.waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new AssertionError("cannot run kill for pgid " + pgid, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted killing pgid " + pgid, e);
    }
  }
}
