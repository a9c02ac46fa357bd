package io.cairn.agent.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.cairn.env.RandomSource;
import io.cairn.proto.agent.AgentMessage;
import io.cairn.proto.agent.AgentRegistered;
import io.cairn.proto.agent.AgentReregistered;
import io.cairn.proto.agent.KillTask;
import io.cairn.proto.agent.Ping;
import io.cairn.proto.agent.ReconcileTasks;
import io.cairn.proto.agent.RunTask;
import io.cairn.proto.agent.StatusUpdate;
import io.cairn.proto.agent.StatusUpdateAcknowledgement;
import io.cairn.proto.mesos.v1.Protos;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AgentCoreTest {
  static final Protos.FrameworkInfo FRAMEWORK =
      Protos.FrameworkInfo.newBuilder()
          .setUser("root")
          .setName("fw")
          .setId(Protos.FrameworkID.newBuilder().setValue("fw-1"))
          .build();
  static final Protos.AgentInfo INFO =
      Protos.AgentInfo.newBuilder()
          .setHostname("h1")
          .addAllResources(MesosText.parseResources("cpus:2;mem:1024"))
          .build();

  final ManualClock clock = new ManualClock();
  final RecordingEffects effects = new RecordingEffects();
  AgentCore core;

  @BeforeEach
  void setUp() {
    core = new AgentCore(INFO, "test", clock, RandomSource.seeded(7), effects);
  }

  static AgentMessage fromMaster(long term, AgentMessage.Builder body) {
    return body.setLeaderTerm(term).build();
  }

  static Protos.TaskInfo task(String id) {
    return Protos.TaskInfo.newBuilder()
        .setName(id)
        .setTaskId(Protos.TaskID.newBuilder().setValue(id))
        .setAgentId(Protos.AgentID.newBuilder().setValue("a-1"))
        .setCommand(Protos.CommandInfo.newBuilder().setValue("sleep 30"))
        .build();
  }

  void register() {
    core.connected();
    assertTrue(effects.drain().get(0).hasRegisterAgent());
    core.receive(
        fromMaster(
            3,
            AgentMessage.newBuilder()
                .setAgentRegistered(
                    AgentRegistered.newBuilder()
                        .setAgentId(Protos.AgentID.newBuilder().setValue("a-1"))
                        .setTotalPingTimeoutMs(75_000))));
  }

  Protos.TaskStatus containerStatus(String taskId, TaskState state, int uuidByte) {
    return Protos.TaskStatus.newBuilder()
        .setTaskId(Protos.TaskID.newBuilder().setValue(taskId))
        .setState(state)
        .setUuid(ByteString.copyFrom(new byte[] {(byte) uuidByte}))
        .build();
  }

  AgentMessage ack(String taskId, ByteString uuid) {
    return fromMaster(
        3,
        AgentMessage.newBuilder()
            .setStatusUpdateAcknowledgement(
                StatusUpdateAcknowledgement.newBuilder()
                    .setAgentId(Protos.AgentID.newBuilder().setValue("a-1"))
                    .setFrameworkId(FRAMEWORK.getId())
                    .setTaskId(Protos.TaskID.newBuilder().setValue(taskId))
                    .setUuid(uuid)));
  }

  void runTask(String id) {
    core.receive(
        fromMaster(
            3,
            AgentMessage.newBuilder()
                .setRunTask(RunTask.newBuilder().setFramework(FRAMEWORK).setTask(task(id)))));
  }

  @Test
  void registersThenPersistsTheIdAndAnswersPings() {
    register();
    assertEquals(AgentCore.Registration.REGISTERED, core.registration());
    assertEquals("a-1", effects.agentInfo.orElseThrow().getId().getValue());
    core.receive(fromMaster(3, AgentMessage.newBuilder().setPing(Ping.newBuilder().setConnected(true).setSequence(9))));
    AgentMessage pong = effects.drain().get(0);
    assertEquals(9, pong.getPong().getSequence());
    assertEquals(3, pong.getLeaderTerm());
  }

  @Test
  void registrationIsRetriedWithBackoffUntilAnswered() {
    core.connected();
    effects.drain();
    clock.advance(Duration.ofMillis(999));
    core.tick();
    assertTrue(effects.drain().isEmpty());
    clock.advance(Duration.ofMillis(1));
    core.tick();
    assertTrue(effects.drain().get(0).hasRegisterAgent());
    clock.advance(Duration.ofMillis(1999));
    core.tick();
    assertTrue(effects.drain().isEmpty(), "second retry waits 2 s");
  }

  @Test
  void messagesOfADeposedMasterAreIgnored() {
    register();
    core.receive(fromMaster(2, AgentMessage.newBuilder().setRunTask(
        RunTask.newBuilder().setFramework(FRAMEWORK).setTask(task("t1")))));
    assertTrue(effects.launched.isEmpty());
    runTask("t1");
    assertEquals(List.of("t1"), effects.launched);
  }

  @Test
  void statusUpdatesAreRetriedWithBackoffUntilAcknowledgedInOrder() {
    register();
    runTask("t1");
    core.onTaskStatus(containerStatus("t1", TaskState.TASK_STARTING, 1));
    core.onTaskStatus(containerStatus("t1", TaskState.TASK_RUNNING, 2));
    // Persist happens before the send.
    assertEquals(List.of("persist t1", "persist t1", "send STATUS_UPDATE", "persist t1"),
        effects.log.subList(effects.log.size() - 4, effects.log.size()));
    List<AgentMessage> sent = effects.drain();
    assertEquals(1, sent.size(), "only the head is sent");
    StatusUpdate head = sent.get(0).getStatusUpdate();
    assertEquals(TaskState.TASK_STARTING, head.getStatus().getState());
    assertEquals("a-1", head.getAgentId().getValue());

    clock.advance(Duration.ofSeconds(10));
    core.tick();
    StatusUpdate retried = effects.drain().get(0).getStatusUpdate();
    assertEquals(TaskState.TASK_STARTING, retried.getStatus().getState());
    assertEquals(TaskState.TASK_RUNNING, retried.getLatestState(), "retries carry the newest state");
    clock.advance(Duration.ofSeconds(19));
    core.tick();
    assertTrue(effects.drain().isEmpty(), "second retry after 20 s");
    clock.advance(Duration.ofSeconds(1));
    core.tick();
    assertEquals(1, effects.drain().size());

    core.receive(ack("t1", ByteString.copyFrom(new byte[] {9})));
    assertTrue(effects.drain().isEmpty(), "a stale uuid is ignored");
    core.receive(ack("t1", head.getUuid()));
    AgentMessage next = effects.drain().get(0);
    assertEquals(TaskState.TASK_RUNNING, next.getStatusUpdate().getStatus().getState());
    assertEquals(1, effects.persisted.get("t1").pending().size());
  }

  @Test
  void backoffIsCappedAtTenMinutes() {
    register();
    runTask("t1");
    core.onTaskStatus(containerStatus("t1", TaskState.TASK_STARTING, 1));
    effects.drain();
    int sends = 0;
    for (int i = 0; i < 60 * 60; i++) { // one hour in 1 s ticks, with pings
      clock.advance(Duration.ofSeconds(1));
      core.receive(fromMaster(3, AgentMessage.newBuilder().setPing(Ping.newBuilder().setConnected(true))));
      core.tick();
      sends += (int) effects.drain().stream().filter(AgentMessage::hasStatusUpdate).count();
    }
    // 10+20+40+80+160+320+600 s = 1230 s, then every 600 s: 7 + 3 = 10 sends in 3600 s.
    assertEquals(10, sends);
  }

  @Test
  void terminalUpdateAcknowledgedRemovesTheTask() {
    register();
    runTask("t1");
    core.onTaskStatus(containerStatus("t1", TaskState.TASK_FAILED, 5));
    StatusUpdate update = effects.drain().get(0).getStatusUpdate();
    core.receive(ack("t1", update.getUuid()));
    assertEquals(List.of("t1"), effects.removed);
    assertTrue(core.records().isEmpty());
  }

  @Test
  void updatesWaitWhileDisconnectedAndAreFlushedOnReregistration() {
    register();
    runTask("t1");
    core.disconnected();
    core.onTaskStatus(containerStatus("t1", TaskState.TASK_RUNNING, 1));
    assertTrue(effects.drain().isEmpty());
    core.connected();
    AgentMessage reregister = effects.drain().get(0);
    assertTrue(reregister.hasReregisterAgent());
    assertEquals(1, reregister.getReregisterAgent().getTasksCount());
    assertEquals(TaskState.TASK_RUNNING, reregister.getReregisterAgent().getTasks(0).getState());
    assertEquals(1, reregister.getReregisterAgent().getFrameworksCount());
    core.receive(fromMaster(4, AgentMessage.newBuilder().setAgentReregistered(
        AgentReregistered.newBuilder().setAgentId(Protos.AgentID.newBuilder().setValue("a-1")))));
    AgentMessage flushed = effects.drain().get(0);
    assertEquals(4, flushed.getLeaderTerm());
    assertEquals(TaskState.TASK_RUNNING, flushed.getStatusUpdate().getStatus().getState());
  }

  @Test
  void pingTimeoutDisconnects() {
    register();
    clock.advance(Duration.ofSeconds(76));
    core.tick();
    assertEquals(1, effects.disconnects);
    assertEquals(AgentCore.Registration.DISCONNECTED, core.registration());
  }

  @Test
  void killTaskUsesTheKillPolicyOverride() {
    register();
    runTask("t1");
    core.onTaskStatus(containerStatus("t1", TaskState.TASK_RUNNING, 1));
    core.receive(fromMaster(3, AgentMessage.newBuilder().setKillTask(KillTask.newBuilder()
        .setFrameworkId(FRAMEWORK.getId())
        .setTaskId(Protos.TaskID.newBuilder().setValue("t1"))
        .setKillPolicy(Protos.KillPolicy.newBuilder().setGracePeriod(
            Protos.DurationInfo.newBuilder().setNanoseconds(1_000_000_000L))))));
    assertEquals(Duration.ofSeconds(1), effects.killed.get("t1").orElseThrow());
  }

  @Test
  void reconcileAnswersKnownAndUnknownTasksWithoutUuid() {
    register();
    runTask("t1");
    core.onTaskStatus(containerStatus("t1", TaskState.TASK_RUNNING, 1));
    effects.drain();
    core.receive(fromMaster(3, AgentMessage.newBuilder().setReconcileTasks(ReconcileTasks.newBuilder()
        .setFrameworkId(FRAMEWORK.getId())
        .addStatuses(containerStatus("t1", TaskState.TASK_STAGING, 0))
        .addStatuses(containerStatus("ghost", TaskState.TASK_RUNNING, 0)))));
    List<AgentMessage> answers = effects.drain();
    assertEquals(TaskState.TASK_RUNNING, answers.get(0).getStatusUpdate().getStatus().getState());
    assertEquals(TaskState.TASK_LOST, answers.get(1).getStatusUpdate().getStatus().getState());
    for (AgentMessage answer : answers) {
      assertTrue(answer.getStatusUpdate().getUuid().isEmpty());
      assertEquals(Protos.TaskStatus.Reason.REASON_RECONCILIATION,
          answer.getStatusUpdate().getStatus().getReason());
    }
  }

  @Test
  void restartRecoversRecordsAndFailsTasksTheContainerizerLost() {
    register();
    runTask("t1");
    runTask("t2");
    core.onTaskStatus(containerStatus("t1", TaskState.TASK_RUNNING, 1));
    core.onTaskStatus(containerStatus("t2", TaskState.TASK_RUNNING, 2));
    List<TaskRecord> saved = core.records();

    RecordingEffects after = new RecordingEffects();
    AgentCore restarted = new AgentCore(
        effects.agentInfo.orElseThrow(), "test", clock, RandomSource.seeded(8), after);
    restarted.recover(saved);
    restarted.recoveryDone(Set.of("t1"));
    assertEquals(TaskState.TASK_FAILED, after.persisted.get("t2").state());
    restarted.connected();
    AgentMessage reregister = after.drain().get(0);
    assertEquals("a-1", reregister.getReregisterAgent().getAgentInfo().getId().getValue());
    assertEquals(2, reregister.getReregisterAgent().getTasksCount());
    assertFalse(reregister.getReregisterAgent().getTasks(1).getStatusUpdateUuid().isEmpty());
  }

  @Test
  void drainKillsWithCappedGraceAndRefusesNewTasks() {
    register();
    runTask("t1");
    core.onTaskStatus(containerStatus("t1", TaskState.TASK_RUNNING, 1));
    core.drain(java.util.Optional.of(Duration.ofSeconds(1)));
    assertEquals(Duration.ofSeconds(1), effects.killed.get("t1").orElseThrow());
    runTask("t2");
    assertFalse(effects.launched.contains("t2"));
    assertEquals(TaskState.TASK_LOST, effects.persisted.get("t2").state());
  }

  @Test
  void healthChecksReportAndKillAfterConsecutiveFailures() {
    register();
    Protos.TaskInfo checked = task("t1").toBuilder().setHealthCheck(Protos.HealthCheck.newBuilder()
        .setType(Protos.HealthCheck.Type.TCP)
        .setTcp(Protos.HealthCheck.TCPCheckInfo.newBuilder().setPort(1))
        .setGracePeriodSeconds(5).setConsecutiveFailures(2)).build();
    core.receive(fromMaster(3, AgentMessage.newBuilder()
        .setRunTask(RunTask.newBuilder().setFramework(FRAMEWORK).setTask(checked))));
    core.onTaskStatus(containerStatus("t1", TaskState.TASK_RUNNING, 1));
    assertEquals(List.of("t1"), effects.healthChecks);
    int before = core.pendingUpdates();
    core.onHealthResult("t1", false, "refused");
    assertEquals(before, core.pendingUpdates(), "failures in the grace period are ignored");
    core.onHealthResult("t1", true, "ok");
    assertTrue(core.records().get(0).latest().orElseThrow().getHealthy());
    core.onHealthResult("t1", false, "refused");
    assertFalse(core.records().get(0).latest().orElseThrow().getHealthy());
    assertTrue(effects.killed.isEmpty());
    core.onHealthResult("t1", false, "refused");
    assertTrue(effects.killed.containsKey("t1"));
    core.onTaskStatus(containerStatus("t1", TaskState.TASK_KILLED, 3));
    Protos.TaskStatus last = core.records().get(0).latest().orElseThrow();
    assertFalse(last.getHealthy());
    assertEquals(Protos.TaskStatus.Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED, last.getReason());
  }

  @Test
  void shutdownFrameworkKillsOnlyItsTasks() {
    register();
    runTask("t1");
    Protos.FrameworkInfo other = FRAMEWORK.toBuilder()
        .setId(Protos.FrameworkID.newBuilder().setValue("fw-2")).build();
    core.receive(fromMaster(3, AgentMessage.newBuilder().setRunTask(
        RunTask.newBuilder().setFramework(other).setTask(task("t2")))));
    core.onTaskStatus(containerStatus("t1", TaskState.TASK_RUNNING, 1));
    core.onTaskStatus(containerStatus("t2", TaskState.TASK_RUNNING, 2));
    core.receive(fromMaster(3, AgentMessage.newBuilder().setShutdownFramework(
        io.cairn.proto.agent.ShutdownFramework.newBuilder().setFrameworkId(other.getId()))));
    assertEquals(Set.of("t2"), effects.killed.keySet());
  }

  @Test
  void runTaskGroupLaunchesEveryTask() {
    register();
    core.receive(fromMaster(3, AgentMessage.newBuilder().setRunTaskGroup(
        io.cairn.proto.agent.RunTaskGroup.newBuilder().setFramework(FRAMEWORK)
            .setExecutor(Protos.ExecutorInfo.newBuilder()
                .setExecutorId(Protos.ExecutorID.newBuilder().setValue("e1")))
            .setTaskGroup(Protos.TaskGroupInfo.newBuilder().addTasks(task("g1")).addTasks(task("g2"))))));
    assertEquals(List.of("g1", "g2"), effects.launched);
  }

  @Test
  void shutdownAgentKillsForgetsTheIdAndRegistersAfresh() {
    register();
    runTask("t1");
    core.onTaskStatus(containerStatus("t1", TaskState.TASK_RUNNING, 1));
    core.receive(fromMaster(3, AgentMessage.newBuilder().setShutdownAgent(
        io.cairn.proto.agent.ShutdownAgent.newBuilder().setMessage("agent is gone"))));
    assertTrue(effects.killed.containsKey("t1"));
    assertTrue(effects.agentInfo.isEmpty());
    assertTrue(effects.persisted.isEmpty());
    assertEquals(1, effects.disconnects);
    effects.drain();
    core.connected();
    assertTrue(effects.drain().get(0).hasRegisterAgent(), "a new registration, without the old id");
  }

  @Test
  void launchRejectionIsTaskFailedWithTheReason() {
    register();
    runTask("t1");
    core.onLaunchRejected("t1", "task 't1' asks for a DOCKER container");
    AgentMessage sent = effects.drain().get(0);
    assertEquals(TaskState.TASK_FAILED, sent.getStatusUpdate().getStatus().getState());
    assertEquals(Protos.TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED,
        sent.getStatusUpdate().getStatus().getReason());
    assertEquals(16, sent.getStatusUpdate().getUuid().size());
  }
}
