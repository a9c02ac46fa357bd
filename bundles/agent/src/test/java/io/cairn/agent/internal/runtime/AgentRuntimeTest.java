package io.cairn.agent.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.agent.internal.config.AgentSettings;
import io.cairn.agent.internal.config.HostFacts;
import io.cairn.proto.agent.AgentMessage;
import io.cairn.proto.agent.AgentRegistered;
import io.cairn.proto.agent.AgentReregistered;
import io.cairn.proto.agent.KillTask;
import io.cairn.proto.agent.ReregisterAgent;
import io.cairn.proto.agent.RunTask;
import io.cairn.proto.agent.StatusUpdate;
import io.cairn.proto.agent.StatusUpdateAcknowledgement;
import io.cairn.proto.mesos.v1.Protos;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent runtime against a fake master on a loopback socket, with real processes: registration,
 * status updates retried until acknowledged, a task killed from outside, KillTask, and an agent
 * restart that re-registers a running task.
 */
class AgentRuntimeTest {
  static final Duration WAIT = Duration.ofSeconds(15);
  static final Protos.FrameworkInfo FRAMEWORK = Protos.FrameworkInfo.newBuilder()
      .setUser("root").setName("fw").setId(Protos.FrameworkID.newBuilder().setValue("fw-1"))
      .build();
  static final Pattern PID = Pattern.compile("pid (\\d+)");

  @TempDir Path work;
  FakeMaster master;
  final List<AgentRuntime> runtimes = new ArrayList<>();
  final List<Long> pids = new ArrayList<>();
  long term = 1;

  @BeforeEach
  void setUp() throws Exception {
    master = new FakeMaster();
  }

  @AfterEach
  void tearDown() {
    runtimes.forEach(AgentRuntime::close);
    for (long pid : pids) {
      ProcessHandle.of(pid).ifPresent(p -> {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      });
    }
    master.close();
  }

  AgentRuntime startAgent() throws Exception {
    AgentSettings settings = AgentSettings.from(
        Map.of("master", master.address(), "work_dir", work.toString(), "http.port", "0",
            "hostname", "localhost", "resources", "cpus:2;mem:1024;disk:1024",
            "status_update_retry_min_ms", "300"),
        work, dir -> new HostFacts(2, 4096, 4096, "localhost"));
    AgentRuntime runtime = AgentRuntime.start(settings, "test");
    runtimes.add(runtime);
    return runtime;
  }

  AgentMessage.Builder frame() {
    return AgentMessage.newBuilder().setLeaderTerm(term);
  }

  void runTask(String id, String command) {
    master.send(frame().setRunTask(RunTask.newBuilder().setFramework(FRAMEWORK).setTask(
        Protos.TaskInfo.newBuilder().setName(id)
            .setTaskId(Protos.TaskID.newBuilder().setValue(id))
            .setAgentId(Protos.AgentID.newBuilder().setValue("agent-1"))
            .setCommand(Protos.CommandInfo.newBuilder().setValue(command))
            .setKillPolicy(Protos.KillPolicy.newBuilder().setGracePeriod(
                Protos.DurationInfo.newBuilder().setNanoseconds(500_000_000L))))).build());
  }

  StatusUpdate awaitUpdate(String taskId, TaskState state) throws InterruptedException {
    return master.await(m -> m.hasStatusUpdate()
        && m.getStatusUpdate().getStatus().getTaskId().getValue().equals(taskId)
        && m.getStatusUpdate().getStatus().getState() == state, WAIT).getStatusUpdate();
  }

  void ack(StatusUpdate update) {
    master.send(frame().setStatusUpdateAcknowledgement(StatusUpdateAcknowledgement.newBuilder()
        .setAgentId(update.getAgentId()).setFrameworkId(update.getFrameworkId())
        .setTaskId(update.getStatus().getTaskId()).setUuid(update.getUuid())).build());
  }

  /** Waits for the update, waits for its retry (same uuid), then acknowledges it. */
  StatusUpdate awaitRetriedThenAck(String taskId, TaskState state) throws InterruptedException {
    StatusUpdate first = awaitUpdate(taskId, state);
    StatusUpdate retried = awaitUpdate(taskId, state);
    assertEquals(first.getUuid(), retried.getUuid(), "a retry resends the same update");
    ack(first);
    return first;
  }

  /** Acknowledges each new update of {@code taskId} until one matches; returns them in order. */
  List<Protos.TaskStatus> ackUntil(String taskId,
      java.util.function.Predicate<Protos.TaskStatus> last) throws InterruptedException {
    List<Protos.TaskStatus> seen = new ArrayList<>();
    java.util.Set<com.google.protobuf.ByteString> uuids = new java.util.HashSet<>();
    while (true) {
      StatusUpdate update = master.await(m -> m.hasStatusUpdate()
          && m.getStatusUpdate().getStatus().getTaskId().getValue().equals(taskId), WAIT)
          .getStatusUpdate();
      ack(update);
      if (uuids.add(update.getUuid())) {
        seen.add(update.getStatus());
        if (last.test(update.getStatus())) {
          return seen;
        }
      }
    }
  }

  long pidOf(StatusUpdate running) {
    Matcher matcher = PID.matcher(running.getStatus().getMessage());
    assertTrue(matcher.find(), running.getStatus().getMessage());
    long pid = Long.parseLong(matcher.group(1));
    pids.add(pid);
    return pid;
  }

  void register() throws InterruptedException {
    AgentMessage register = master.await(AgentMessage::hasRegisterAgent, WAIT);
    assertEquals("localhost", register.getRegisterAgent().getAgentInfo().getHostname());
    master.send(frame().setAgentRegistered(AgentRegistered.newBuilder()
        .setAgentId(Protos.AgentID.newBuilder().setValue("agent-1"))).build());
  }

  @Test
  void runsRetriesAndReportsFailureAndKill() throws Exception {
    startAgent();
    register();
    String request = master.requests.poll();
    assertTrue(request.contains("Connection: Upgrade"), request);

    runTask("t1", "sleep 30");
    awaitRetriedThenAck("t1", TaskState.TASK_STARTING);
    StatusUpdate running = awaitRetriedThenAck("t1", TaskState.TASK_RUNNING);
    long pid = pidOf(running);

    new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
    StatusUpdate failed = awaitRetriedThenAck("t1", TaskState.TASK_FAILED);
    assertTrue(failed.getStatus().getMessage().contains("signal 9"), failed.getStatus().getMessage());

    runTask("t2", "sleep 30");
    awaitRetriedThenAck("t2", TaskState.TASK_STARTING);
    pidOf(awaitRetriedThenAck("t2", TaskState.TASK_RUNNING));
    master.send(frame().setKillTask(KillTask.newBuilder().setFrameworkId(FRAMEWORK.getId())
        .setTaskId(Protos.TaskID.newBuilder().setValue("t2"))).build());
    StatusUpdate killed = awaitUpdate("t2", TaskState.TASK_KILLED);
    ack(killed);
  }

  @Test
  void restartedAgentReregistersWithItsRunningTask() throws Exception {
    AgentRuntime first = startAgent();
    register();
    runTask("t3", "sleep 30");
    ack(awaitUpdate("t3", TaskState.TASK_STARTING));
    long pid = pidOf(awaitUpdate("t3", TaskState.TASK_RUNNING));
    // RUNNING stays unacknowledged across the restart: it must be resent afterwards.
    first.close();
    runtimes.remove(first);
    assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
        "stopping the agent leaves its tasks running");
    master.dropAgent();

    startAgent();
    ReregisterAgent reregister =
        master.await(AgentMessage::hasReregisterAgent, WAIT).getReregisterAgent();
    assertEquals("agent-1", reregister.getAgentInfo().getId().getValue());
    assertEquals(1, reregister.getTasksCount());
    assertEquals("t3", reregister.getTasks(0).getTaskId().getValue());
    assertEquals(TaskState.TASK_RUNNING, reregister.getTasks(0).getState());
    assertEquals("fw-1", reregister.getFrameworks(0).getId().getValue());
    term = 2;
    master.send(frame().setAgentReregistered(AgentReregistered.newBuilder()
        .setAgentId(Protos.AgentID.newBuilder().setValue("agent-1"))).build());
    StatusUpdate resent = awaitUpdate("t3", TaskState.TASK_RUNNING);
    ack(resent);
    master.send(frame().setKillTask(KillTask.newBuilder().setFrameworkId(FRAMEWORK.getId())
        .setTaskId(Protos.TaskID.newBuilder().setValue("t3"))).build());
    ack(awaitUpdate("t3", TaskState.TASK_KILLED));
  }

  @Test
  void followsARedirectToTheLeader() throws Exception {
    try (FakeMaster follower = new FakeMaster()) {
      follower.redirectTo(master.address());
      FakeMaster leader = master;
      master = follower;
      AgentSettings settings = AgentSettings.from(
          Map.of("master", follower.address(), "work_dir", work.toString(), "http.port", "0",
              "hostname", "localhost"),
          work, dir -> new HostFacts(1, 1024, 1024, "localhost"));
      master = leader;
      runtimes.add(AgentRuntime.start(settings, "test"));
      register();
      assertTrue(follower.requests.poll(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
          .startsWith("GET /cairn/agent/v1"));
    }
  }

  @Test
  void commandHealthCheckReportsThenKillsAfterConsecutiveFailures() throws Exception {
    AgentRuntime runtime = startAgent();
    register();
    master.send(frame().setRunTask(RunTask.newBuilder().setFramework(FRAMEWORK).setTask(
        Protos.TaskInfo.newBuilder().setName("hc")
            .setTaskId(Protos.TaskID.newBuilder().setValue("hc"))
            .setAgentId(Protos.AgentID.newBuilder().setValue("agent-1"))
            .setCommand(Protos.CommandInfo.newBuilder().setValue("touch ok; exec sleep 30"))
            .setHealthCheck(Protos.HealthCheck.newBuilder()
                .setType(Protos.HealthCheck.Type.COMMAND)
                .setCommand(Protos.CommandInfo.newBuilder().setValue("test -f ok"))
                .setDelaySeconds(0.1).setIntervalSeconds(0.2).setTimeoutSeconds(2)
                .setGracePeriodSeconds(5).setConsecutiveFailures(2)))).build());
    List<Protos.TaskStatus> seen = ackUntil("hc", st -> st.getHealthy());
    assertEquals(TaskState.TASK_RUNNING, seen.get(seen.size() - 1).getState());
    Path sandbox = runtime.snapshot().get().sandboxes().get("hc");
    java.nio.file.Files.delete(sandbox.resolve("ok"));
    seen = ackUntil("hc", st -> st.getState() == TaskState.TASK_KILLED);
    Protos.TaskStatus unhealthy = seen.get(0);
    assertEquals(TaskState.TASK_RUNNING, unhealthy.getState());
    assertEquals(false, unhealthy.getHealthy());
    Protos.TaskStatus killed = seen.get(seen.size() - 1);
    assertEquals(false, killed.getHealthy());
    assertEquals(Protos.TaskStatus.Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED,
        killed.getReason());
  }

  @Test
  void retriesWhileNoLeaderAndReregistersAfterTheConnectionDrops() throws Exception {
    master.unavailable(true);
    startAgent();
    String first = master.requests.poll(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    assertTrue(first != null && first.startsWith("GET /cairn/agent/v1"), String.valueOf(first));
    master.requests.poll(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    master.unavailable(false);
    register();
    master.dropAgent();
    ReregisterAgent again =
        master.await(AgentMessage::hasReregisterAgent, WAIT).getReregisterAgent();
    assertEquals("agent-1", again.getAgentInfo().getId().getValue());
  }
}
