package io.cairn.master.internal.core;

import static io.cairn.master.internal.core.MasterHarness.accept;
import static io.cairn.master.internal.core.MasterHarness.frameworkInfo;
import static io.cairn.master.internal.core.MasterHarness.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.proto.agent.AgentMessage;
import io.cairn.proto.mesos.v1.Protos.AgentID;
import io.cairn.proto.mesos.v1.Protos.Filters;
import io.cairn.proto.mesos.v1.Protos.FrameworkInfo;
import io.cairn.proto.mesos.v1.Protos.Offer;
import io.cairn.proto.mesos.v1.Protos.OfferID;
import io.cairn.proto.mesos.v1.Protos.TaskID;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import io.cairn.proto.mesos.v1.Protos.TaskStatus;
import io.cairn.proto.mesos.v1.scheduler.Protos.Call;
import io.cairn.proto.mesos.v1.scheduler.Protos.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The master core driven through whole scenarios with a manual clock and a recording outbox. */
class MasterCoreTest {
  private final MasterHarness h = new MasterHarness();

  @Test
  void anAgentIsAnsweredOnlyAfterTheRegistryAdmittedIt() {
    h.core.onAgentMessage(1, AgentMessage.newBuilder().setRegisterAgent(
        io.cairn.proto.agent.RegisterAgent.newBuilder()
            .setAgentInfo(MasterHarness.agentInfo("h1", 4, 4096))).build());
    assertTrue(h.toAgents.isEmpty(), "no answer before the registry applied the admission");
    assertEquals(1, h.commit());
    String id = h.lastToAgent(1).getAgentRegistered().getAgentId().getValue();
    assertEquals("m1-S1", id);
    assertEquals(1, h.registry.view().agents().size());
    assertEquals(75_000, h.lastToAgent(1).getAgentRegistered().getTotalPingTimeoutMs());
  }

  @Test
  void aFrameworkGetsOffersLaunchesAndSeesItsTaskRunUntilAcknowledged() {
    String agent = h.registerAgent(1, "h1");
    String fw = h.subscribe("s1", frameworkInfo("marathon"));
    assertEquals("m1-0000", fw);
    List<Offer> offers = h.offers("s1");
    assertEquals(1, offers.size(), "one offer for the one agent");
    Offer offer = offers.get(0);
    assertEquals(agent, offer.getAgentId().getValue());
    assertEquals("rack", offer.getAttributes(0).getName());

    CallResult result = h.call("s1", fw, accept(List.of(offer.getId().getValue()),
        task("t1", agent, 1, 128)));
    assertTrue(result.accepted(), result.message());
    AgentMessage run = h.lastToAgent(1);
    assertTrue(run.hasRunTask(), "RunTask sent: " + run);
    assertEquals("t1", run.getRunTask().getTask().getTaskId().getValue());
    assertEquals(fw, run.getRunTask().getFramework().getId().getValue());
    assertEquals(TaskState.TASK_STAGING, h.core.state().getGetTasks().getTasks(0).getState());

    h.statusUpdate(1, agent, fw, "t1", TaskState.TASK_RUNNING, (byte) 7);
    TaskStatus update = h.updates("s1").get(0);
    assertEquals(TaskState.TASK_RUNNING, update.getState());
    assertEquals(16, update.getUuid().size());

    h.call("s1", fw, Call.newBuilder().setType(Call.Type.ACKNOWLEDGE).setAcknowledge(
        Call.Acknowledge.newBuilder().setAgentId(AgentID.newBuilder().setValue(agent))
            .setTaskId(TaskID.newBuilder().setValue("t1")).setUuid(update.getUuid())));
    AgentMessage ack = h.lastToAgent(1);
    assertTrue(ack.hasStatusUpdateAcknowledgement(), "ack forwarded: " + ack);
    assertEquals(update.getUuid(), ack.getStatusUpdateAcknowledgement().getUuid());
  }

  @Test
  void unusedResourcesOfAnAcceptComeBackInALaterOffer() {
    String agent = h.registerAgent(1, "h1");
    String fw = h.subscribe("s1", frameworkInfo("fw"));
    Offer offer = h.offers("s1").get(0);
    h.call("s1", fw, accept(List.of(offer.getId().getValue()), task("t1", agent, 1, 128))
        .setAccept(Call.Accept.newBuilder().addOfferIds(offer.getId())
            .addOperations(accept(List.of(), task("t1", agent, 1, 128)).getAccept()
                .getOperations(0))
            .setFilters(Filters.newBuilder().setRefuseSeconds(0))));
    h.clock.advanceMs(1_000);
    h.core.onTick();
    List<Offer> offers = h.offers("s1");
    assertEquals(2, offers.size(), "the rest is offered again");
    assertEquals(3.0, cpus(offers.get(1)), 1e-9);
  }

  @Test
  void badLaunchesAreRejectedPreciselyAndChangeNothing() {
    String agent = h.registerAgent(1, "h1");
    String fw = h.subscribe("s1", frameworkInfo("fw"));
    String offer = h.offers("s1").get(0).getId().getValue();

    h.call("s1", fw, accept(List.of(offer), task("big", agent, 64, 128), task("ok", agent, 1, 64),
        task("ok", agent, 1, 64)));
    List<TaskStatus> updates = h.updates("s1");
    assertEquals(2, updates.size());
    assertEquals(TaskState.TASK_ERROR, updates.get(0).getState());
    assertEquals(TaskStatus.Reason.REASON_TASK_INVALID, updates.get(0).getReason());
    assertTrue(updates.get(0).getMessage().contains("asks for"), updates.get(0).getMessage());
    assertTrue(updates.get(1).getMessage().contains("already used"), updates.get(1).getMessage());
    assertEquals(1, h.agentMessages(1, AgentMessage.BodyCase.RUN_TASK).size(), "only 'ok' ran");

    // The same offer again: unknown now; every task is dropped (LOST: not partition aware).
    h.call("s1", fw, accept(List.of(offer), task("t2", agent, 1, 64)));
    TaskStatus dropped = h.updates("s1").get(2);
    assertEquals(TaskState.TASK_LOST, dropped.getState());
    assertEquals(TaskStatus.Reason.REASON_INVALID_OFFERS, dropped.getReason());
    assertTrue(dropped.getMessage().contains("unknown or no longer valid"), dropped.getMessage());
    assertEquals(1, h.core.state().getGetTasks().getTasksCount(), "books unchanged");
  }

  @Test
  void callsNeedTheFrameworksStreamId() {
    h.registerAgent(1, "h1");
    String fw = h.subscribe("s1", frameworkInfo("fw"));
    CallResult wrong = h.call("other", fw, Call.newBuilder().setType(Call.Type.REVIVE));
    assertEquals(CallResult.Status.BAD_REQUEST, wrong.status());
    CallResult unknown = h.call("s1", "nope", Call.newBuilder().setType(Call.Type.REVIVE));
    assertEquals(CallResult.Status.FORBIDDEN, unknown.status());
    CallResult noId = h.core.onCall("s1", Call.newBuilder().setType(Call.Type.REVIVE).build());
    assertEquals(CallResult.Status.BAD_REQUEST, noId.status());
  }

  @Test
  void aDeclineWithAFilterKeepsTheAgentAwayUntilItExpires() {
    h.registerAgent(1, "h1");
    String fw = h.subscribe("s1", frameworkInfo("fw"));
    Offer offer = h.offers("s1").get(0);
    h.call("s1", fw, Call.newBuilder().setType(Call.Type.DECLINE).setDecline(
        Call.Decline.newBuilder().addOfferIds(offer.getId())
            .setFilters(Filters.newBuilder().setRefuseSeconds(10))));
    for (int i = 0; i < 9; i++) {
      h.clock.advanceMs(1_000);
      h.core.onTick();
    }
    assertEquals(1, h.offers("s1").size(), "filtered for 10 s");
    h.clock.advanceMs(1_500);
    h.core.onTick();
    assertEquals(2, h.offers("s1").size(), "offered again after the filter");
  }

  @Test
  void aSilentAgentBecomesUnreachableItsOffersAreRescindedAndItsTasksLost() {
    String agent = h.registerAgent(1, "h1");
    String fw = h.subscribe("s1", frameworkInfo("fw"));
    Offer offer = h.offers("s1").get(0);
    h.call("s1", fw, accept(List.of(offer.getId().getValue()), task("t1", agent, 1, 64))
        .setAccept(Call.Accept.newBuilder().addOfferIds(offer.getId())
            .addOperations(accept(List.of(), task("t1", agent, 1, 64)).getAccept()
                .getOperations(0))
            .setFilters(Filters.newBuilder().setRefuseSeconds(0))));
    h.clock.advanceMs(1_000);
    h.core.onTick();
    assertEquals(2, h.offers("s1").size());
    // Pings go out at 15, 30, 45, 60 and 75 s; the fifth one times out unanswered at 90 s.
    for (int i = 0; i < 5; i++) {
      h.clock.advanceMs(15_000);
      h.core.onTick();
      assertTrue(h.closedAgents.isEmpty(), "still reachable after " + (i + 1) + " periods");
    }
    h.clock.advanceMs(15_000);
    h.core.onTick();
    h.commit();
    assertEquals(List.of(1L), h.closedAgents);
    assertEquals(io.cairn.master.AgentState.UNREACHABLE,
        h.registry.view().agents().get(0).state());
    assertFalse(h.events("s1", Event.Type.RESCIND).isEmpty(), "outstanding offer rescinded");
    TaskStatus lost = h.updates("s1").get(h.updates("s1").size() - 1);
    assertEquals(TaskState.TASK_LOST, lost.getState());
    assertEquals(0, h.core.state().getGetAgents().getAgentsCount());
  }

  @Test
  void aDisconnectRescindsTheAgentsOffersAndAReconnectBringsThemBack() {
    String agent = h.registerAgent(1, "h1");
    h.subscribe("s1", frameworkInfo("fw"));
    Offer offer = h.offers("s1").get(0);
    h.core.onAgentDisconnected(1);
    Event rescind = h.events("s1", Event.Type.RESCIND).get(0);
    assertEquals(offer.getId(), rescind.getRescind().getOfferId());
    h.clock.advanceMs(1_000);
    h.core.onTick();
    assertEquals(1, h.offers("s1").size(), "a disconnected agent is not offered");

    h.core.onAgentMessage(2, AgentMessage.newBuilder().setReregisterAgent(
        io.cairn.proto.agent.ReregisterAgent.newBuilder().setAgentInfo(
            MasterHarness.agentInfo("h1", 4, 4096).toBuilder()
                .setId(AgentID.newBuilder().setValue(agent)))).build());
    assertTrue(h.lastToAgent(2).hasAgentReregistered());
    assertEquals(2, h.offers("s1").size(), "offered again after the reconnect");
  }

  @Test
  void aFinishedAcknowledgedTaskIsCompletedAndExecutorsTalkBothWays() {
    String agent = h.registerAgent(1, "h1");
    String fw = h.subscribe("s1", frameworkInfo("fw"));
    Offer offer = h.offers("s1").get(0);
    h.call("s1", fw, accept(List.of(offer.getId().getValue()), task("t1", agent, 1, 64)));
    h.statusUpdate(1, agent, fw, "t1", TaskState.TASK_FINISHED, (byte) 9);
    TaskStatus finished = last(h.updates("s1"));
    h.call("s1", fw, Call.newBuilder().setType(Call.Type.ACKNOWLEDGE).setAcknowledge(
        Call.Acknowledge.newBuilder().setAgentId(AgentID.newBuilder().setValue(agent))
            .setTaskId(TaskID.newBuilder().setValue("t1")).setUuid(finished.getUuid())));
    var tasks = h.core.state().getGetTasks();
    assertEquals(0, tasks.getTasksCount());
    assertEquals(1, tasks.getCompletedTasksCount());
    assertEquals(TaskState.TASK_FINISHED, tasks.getCompletedTasks(0).getState());

    var executor = io.cairn.proto.mesos.v1.Protos.ExecutorID.newBuilder().setValue("e1").build();
    CallResult sent = h.call("s1", fw, Call.newBuilder().setType(Call.Type.MESSAGE).setMessage(
        Call.Message.newBuilder().setAgentId(AgentID.newBuilder().setValue(agent))
            .setExecutorId(executor).setData(com.google.protobuf.ByteString.copyFromUtf8("hi"))));
    assertTrue(sent.accepted());
    assertEquals("hi", h.lastToAgent(1).getFrameworkToExecutor().getData().toStringUtf8());
    h.core.onAgentMessage(1, AgentMessage.newBuilder().setLeaderTerm(3).setExitedExecutor(
        io.cairn.proto.agent.ExitedExecutor.newBuilder().setAgentId(AgentID.newBuilder()
            .setValue(agent)).setFrameworkId(io.cairn.proto.mesos.v1.Protos.FrameworkID
            .newBuilder().setValue(fw)).setExecutorId(executor).setStatus(9)).build());
    assertEquals(9, h.events("s1", Event.Type.FAILURE).get(0).getFailure().getStatus());
    CallResult unknownAgent = h.call("s1", fw, Call.newBuilder().setType(Call.Type.SHUTDOWN)
        .setShutdown(Call.Shutdown.newBuilder().setExecutorId(executor)
            .setAgentId(AgentID.newBuilder().setValue("nope"))));
    assertEquals(CallResult.Status.NOT_FOUND, unknownAgent.status());
  }

  @Test
  void pongsKeepAnAgentReachable() {
    h.registerAgent(1, "h1");
    for (int i = 0; i < 10; i++) {
      h.clock.advanceMs(15_000);
      h.core.onTick();
      h.pong(1);
    }
    assertTrue(h.closedAgents.isEmpty());
    assertEquals(10, h.agentMessages(1, AgentMessage.BodyCase.PING).size());
  }

  @Test
  void killReconcileAndTeardown() {
    String agent = h.registerAgent(1, "h1");
    FrameworkInfo info = frameworkInfo("fw").toBuilder().addCapabilities(
        FrameworkInfo.Capability.newBuilder()
            .setType(FrameworkInfo.Capability.Type.PARTITION_AWARE)).build();
    String fw = h.subscribe("s1", info);
    Offer offer = h.offers("s1").get(0);
    h.call("s1", fw, accept(List.of(offer.getId().getValue()), task("t1", agent, 1, 64)));

    h.call("s1", fw, Call.newBuilder().setType(Call.Type.KILL).setKill(
        Call.Kill.newBuilder().setTaskId(TaskID.newBuilder().setValue("t1"))));
    assertTrue(h.lastToAgent(1).hasKillTask());

    h.call("s1", fw, Call.newBuilder().setType(Call.Type.KILL).setKill(
        Call.Kill.newBuilder().setTaskId(TaskID.newBuilder().setValue("nope"))));
    assertEquals(TaskState.TASK_UNKNOWN, last(h.updates("s1")).getState());

    h.call("s1", fw, Call.newBuilder().setType(Call.Type.RECONCILE).setReconcile(
        Call.Reconcile.newBuilder()));
    TaskStatus implicit = last(h.updates("s1"));
    assertEquals("t1", implicit.getTaskId().getValue());
    assertEquals(TaskStatus.Reason.REASON_RECONCILIATION, implicit.getReason());

    h.call("s1", fw, Call.newBuilder().setType(Call.Type.RECONCILE).setReconcile(
        Call.Reconcile.newBuilder().addTasks(Call.Reconcile.Task.newBuilder()
            .setTaskId(TaskID.newBuilder().setValue("gone"))
            .setAgentId(AgentID.newBuilder().setValue(agent)))));
    assertEquals(TaskState.TASK_GONE, last(h.updates("s1")).getState());

    h.call("s1", fw, Call.newBuilder().setType(Call.Type.TEARDOWN));
    assertTrue(h.lastToAgent(1).hasShutdownFramework());
    assertEquals(List.of("s1"), h.closedStreams);
    h.commit();
    assertEquals(0, h.registry.view().frameworks().size());
    assertEquals(0, h.core.state().getGetFrameworks().getFrameworksCount());
  }

  /** Mesos answers reconciliation with the latest health too: a failed-over scheduler needs it. */
  @Test
  void reconciliationCarriesTheLatestHealth() {
    String agent = h.registerAgent(1, "h1");
    String fw = h.subscribe("s1", frameworkInfo("fw"));
    Offer offer = h.offers("s1").get(0);
    h.call("s1", fw, accept(List.of(offer.getId().getValue()), task("t1", agent, 1, 64)));
    TaskID t1 = TaskID.newBuilder().setValue("t1").build();
    h.statusUpdate(1, agent, fw, "t1", TaskState.TASK_RUNNING, (byte) 1);
    Call.Builder reconcile = Call.newBuilder().setType(Call.Type.RECONCILE).setReconcile(
        Call.Reconcile.newBuilder().addTasks(Call.Reconcile.Task.newBuilder().setTaskId(t1)));
    h.call("s1", fw, reconcile);
    assertFalse(last(h.updates("s1")).hasHealthy(), "no health known yet");

    h.statusUpdate(1, agent, fw, TaskStatus.newBuilder().setTaskId(t1)
        .setState(TaskState.TASK_RUNNING).setHealthy(true)
        .setReason(TaskStatus.Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED).build(), (byte) 2);
    h.call("s1", fw, reconcile);
    TaskStatus answer = last(h.updates("s1"));
    assertEquals(TaskStatus.Reason.REASON_RECONCILIATION, answer.getReason());
    assertEquals(TaskState.TASK_RUNNING, answer.getState());
    assertTrue(answer.hasHealthy() && answer.getHealthy(), answer.toString());

    h.statusUpdate(1, agent, fw, TaskStatus.newBuilder().setTaskId(t1)
        .setState(TaskState.TASK_RUNNING).setHealthy(false).build(), (byte) 3);
    h.call("s1", fw, Call.newBuilder().setType(Call.Type.RECONCILE).setReconcile(
        Call.Reconcile.newBuilder()));
    answer = last(h.updates("s1"));
    assertTrue(answer.hasHealthy() && !answer.getHealthy(), "implicit too: " + answer);
  }

  @Test
  void heartbeatsEvery15Seconds() {
    h.subscribe("s1", frameworkInfo("fw"));
    h.clock.advanceMs(14_999);
    h.core.onTick();
    assertEquals(0, h.events("s1", Event.Type.HEARTBEAT).size());
    h.clock.advanceMs(1);
    h.core.onTick();
    assertEquals(1, h.events("s1", Event.Type.HEARTBEAT).size());
  }

  @Test
  void aResubscriptionFailsOverTheStreamAndStopClosesEverything() {
    h.registerAgent(1, "h1");
    FrameworkInfo info = frameworkInfo("fw");
    String fw = h.subscribe("s1", info);
    CallResult again = h.core.onSubscribe("s2", Call.newBuilder().setType(Call.Type.SUBSCRIBE)
        .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info.toBuilder()
            .setId(io.cairn.proto.mesos.v1.Protos.FrameworkID.newBuilder().setValue(fw))))
        .build());
    assertTrue(again.accepted());
    assertEquals(List.of("s1"), h.closedStreams);
    assertEquals(fw, h.events("s2", Event.Type.SUBSCRIBED).get(0).getSubscribed()
        .getFrameworkId().getValue());
    h.core.stop();
    assertEquals(List.of("s1", "s2"), h.closedStreams);
    assertEquals(List.of(1L), h.closedAgents);
    assertEquals(CallResult.Status.NOT_LEADER, h.core.onSubscribe("s3", Call.newBuilder()
        .setType(Call.Type.SUBSCRIBE).build()).status());
  }

  @Test
  void aFrameworkWithoutFailoverTimeoutIsRemovedWhenItsStreamCloses() {
    h.registerAgent(1, "h1");
    String fw = h.subscribe("s1", frameworkInfo("fw"));
    h.core.onStreamClosed("s1");
    assertEquals(1, h.core.state().getGetFrameworks().getFrameworksCount());
    h.clock.advanceMs(1_000);
    h.core.onTick();
    assertEquals(0, h.core.state().getGetFrameworks().getFrameworksCount(), fw + " removed");
  }

  @Test
  void aTaskGroupLaunchesAtomically() {
    String agent = h.registerAgent(1, "h1");
    String fw = h.subscribe("s1", frameworkInfo("fw"));
    Offer offer = h.offers("s1").get(0);
    io.cairn.proto.mesos.v1.Protos.ExecutorInfo executor =
        io.cairn.proto.mesos.v1.Protos.ExecutorInfo.newBuilder()
            .setType(io.cairn.proto.mesos.v1.Protos.ExecutorInfo.Type.DEFAULT)
            .setExecutorId(io.cairn.proto.mesos.v1.Protos.ExecutorID.newBuilder().setValue("e1"))
            .addResources(MasterHarness.scalar("cpus", 0.1))
            .addResources(MasterHarness.scalar("mem", 32)).build();
    Call.Builder group = Call.newBuilder().setType(Call.Type.ACCEPT).setAccept(
        Call.Accept.newBuilder().addOfferIds(offer.getId()).addOperations(
            Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH_GROUP)
                .setLaunchGroup(Offer.Operation.LaunchGroup.newBuilder().setExecutor(executor)
                    .setTaskGroup(io.cairn.proto.mesos.v1.Protos.TaskGroupInfo.newBuilder()
                        .addTasks(task("a", agent, 1, 64).toBuilder().clearCommand())
                        .addTasks(task("b", agent, 1, 64).toBuilder().clearCommand())))));
    h.call("s1", fw, group);
    AgentMessage run = h.lastToAgent(1);
    assertTrue(run.hasRunTaskGroup(), "RunTaskGroup: " + run);
    assertEquals(2, run.getRunTaskGroup().getTaskGroup().getTasksCount());
    assertEquals(2, h.core.state().getGetTasks().getTasksCount());

    // A group with one task too big: neither task runs, both get TASK_ERROR.
    h.clock.advanceMs(6_000);
    h.core.onTick();
    Offer second = h.offers("s1").get(h.offers("s1").size() - 1);
    Call.Builder bad = group.clone();
    bad.getAcceptBuilder().setOfferIds(0, second.getId()).getOperationsBuilder(0)
        .getLaunchGroupBuilder().getTaskGroupBuilder()
        .setTasks(0, task("c", agent, 1, 64).toBuilder().clearCommand())
        .setTasks(1, task("d", agent, 99, 64).toBuilder().clearCommand());
    h.call("s1", fw, bad);
    List<TaskStatus> updates = h.updates("s1");
    assertEquals(2, updates.size());
    updates.forEach(u -> assertEquals(TaskState.TASK_ERROR, u.getState()));
    assertEquals(1, h.agentMessages(1, AgentMessage.BodyCase.RUN_TASK_GROUP).size());
    assertEquals(2, h.core.state().getGetTasks().getTasksCount(), "books unchanged");
  }

  @Test
  void operatorStreamsGetTheStateThenEvents() {
    assertTrue(h.core.onOperatorSubscribe("op").accepted());
    String agent = h.registerAgent(1, "h1");
    String fw = h.subscribe("s1", frameworkInfo("fw"));
    Offer offer = h.offers("s1").get(0);
    h.call("s1", fw, accept(List.of(offer.getId().getValue()), task("t1", agent, 1, 64)));
    h.statusUpdate(1, agent, fw, "t1", TaskState.TASK_RUNNING, (byte) 1);
    h.clock.advanceMs(15_000);
    h.core.onTick();
    List<io.cairn.proto.mesos.v1.master.Protos.Event.Type> types = h.toOperators.get("op")
        .stream().map(e -> e.getType()).toList();
    assertEquals(List.of(io.cairn.proto.mesos.v1.master.Protos.Event.Type.SUBSCRIBED,
        io.cairn.proto.mesos.v1.master.Protos.Event.Type.AGENT_ADDED,
        io.cairn.proto.mesos.v1.master.Protos.Event.Type.FRAMEWORK_ADDED,
        io.cairn.proto.mesos.v1.master.Protos.Event.Type.TASK_ADDED,
        io.cairn.proto.mesos.v1.master.Protos.Event.Type.TASK_UPDATED,
        io.cairn.proto.mesos.v1.master.Protos.Event.Type.HEARTBEAT), types);
    h.core.onStreamClosed("op");
    h.clock.advanceMs(15_000);
    h.core.onTick();
    assertEquals(6, h.toOperators.get("op").size(), "nothing after the stream closed");
  }

  private static TaskStatus last(List<TaskStatus> list) {
    return list.get(list.size() - 1);
  }

  private static double cpus(Offer offer) {
    return offer.getResourcesList().stream().filter(r -> r.getName().equals("cpus"))
        .mapToDouble(r -> r.getScalar().getValue()).sum();
  }

  @SuppressWarnings("unused")
  private static OfferID id(String value) {
    return OfferID.newBuilder().setValue(value).build();
  }
}
