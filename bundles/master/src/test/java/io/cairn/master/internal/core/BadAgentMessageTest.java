package io.cairn.master.internal.core;

import static io.cairn.master.internal.core.MasterHarness.frameworkInfo;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.master.AgentState;
import io.cairn.proto.agent.AgentMessage;
import io.cairn.proto.agent.ReregisterAgent;
import io.cairn.proto.mesos.v1.Protos.AgentID;
import io.cairn.proto.mesos.v1.Protos.AgentInfo;
import io.cairn.proto.mesos.v1.Protos.ExecutorID;
import io.cairn.proto.mesos.v1.Protos.ExecutorInfo;
import io.cairn.proto.mesos.v1.Protos.FrameworkID;
import io.cairn.proto.mesos.v1.Protos.Task;
import io.cairn.proto.mesos.v1.Protos.TaskID;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Agent messages that name no framework (issue 6): a re-registration with such a task used to
 * throw a NullPointerException out of the core (the driver then dropped the whole core as after a
 * fail-over). Now the message is dropped with a sentence, as Mesos's master drops an invalid
 * re-registration, and the books, the allocator and the registry are unchanged.
 */
class BadAgentMessageTest {
  private static final AgentID AGENT = AgentID.newBuilder().setValue("old-S1").build();
  private static final FrameworkID FW = FrameworkID.newBuilder().setValue("old-0001").build();

  private static AgentInfo known() {
    return MasterHarness.agentInfo("h1", 4, 4096).toBuilder().setId(AGENT).build();
  }

  private static Task task(String id, String frameworkId) {
    return Task.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
        .setFrameworkId(FrameworkID.newBuilder().setValue(frameworkId)).setAgentId(AGENT)
        .setState(TaskState.TASK_RUNNING).addResources(MasterHarness.scalar("cpus", 1))
        .addResources(MasterHarness.scalar("mem", 64)).build();
  }

  private static AgentMessage reregister(ReregisterAgent.Builder message) {
    return AgentMessage.newBuilder().setReregisterAgent(message.setAgentInfo(known())).build();
  }

  @Test
  void aReregistrationWithATaskWithoutFrameworkIdIsDroppedAndChangesNothing() {
    MasterHarness h = new MasterHarness(MasterSettings.DEFAULTS, List.of(known()));
    AgentMessage bad = reregister(ReregisterAgent.newBuilder()
        .addFrameworks(frameworkInfo("fw").toBuilder().setId(FW))
        .addTasks(task("good", FW.getValue())).addTasks(task("orphan", "")));

    assertDoesNotThrow(() -> h.core.onAgentMessage(7, bad));

    assertFalse(h.core.stopped());
    assertEquals(0, h.commit(), "no registry write");
    assertTrue(h.toAgents.getOrDefault(7L, List.of()).isEmpty(), "no answer: "
        + h.toAgents.get(7L));
    assertTrue(h.closedAgents.isEmpty(), "the agent is not shut down: it may retry");
    assertTrue(h.core.agents.isEmpty(), "the agent is not in the books");
    assertTrue(h.core.frameworks.isEmpty(), "no framework recovered from a dropped message");
    assertTrue(h.core.allocator.books().allocations().isEmpty(), "nothing allocated");
    assertEquals(AgentState.ADMITTED, h.registry.view().agents().get(0).state());

    // The same agent with a valid message is accepted as usual afterwards.
    h.core.onAgentMessage(7, reregister(ReregisterAgent.newBuilder()
        .addFrameworks(frameworkInfo("fw").toBuilder().setId(FW))
        .addTasks(task("good", FW.getValue()))));
    assertTrue(h.lastToAgent(7).hasAgentReregistered());
    assertEquals(1, h.core.agents.get("old-S1").tasks.size());
    assertEquals(0, h.commit());
  }

  @Test
  void eachKindOfInvalidReregistrationIsNamedInOneSentence() {
    assertNull(AgentChannel.invalidReregistration(ReregisterAgent.newBuilder()
        .setAgentInfo(known()).addTasks(task("t", "f")).build()));
    assertEquals("task 'orphan' is reported without a framework id",
        AgentChannel.invalidReregistration(ReregisterAgent.newBuilder().setAgentInfo(known())
            .addTasks(task("orphan", "")).build()));
    assertEquals("a task of framework 'f' is reported without a task id",
        AgentChannel.invalidReregistration(ReregisterAgent.newBuilder().setAgentInfo(known())
            .addTasks(task("", "f")).build()));
    assertEquals("task 't' of framework 'f' is reported twice",
        AgentChannel.invalidReregistration(ReregisterAgent.newBuilder().setAgentInfo(known())
            .addTasks(task("t", "f")).addTasks(task("t", "f")).build()));
    assertEquals("framework 'fw' is reported without a framework id",
        AgentChannel.invalidReregistration(ReregisterAgent.newBuilder().setAgentInfo(known())
            .addFrameworks(frameworkInfo("fw")).build()));
    assertEquals("executor 'e' is reported without a framework id",
        AgentChannel.invalidReregistration(ReregisterAgent.newBuilder().setAgentInfo(known())
            .addExecutorInfos(ExecutorInfo.newBuilder()
                .setExecutorId(ExecutorID.newBuilder().setValue("e"))).build()));
  }

  @Test
  void aStatusUpdateWithoutFrameworkIdIsIgnored() {
    MasterHarness h = new MasterHarness(MasterSettings.DEFAULTS, List.of(known()));
    h.core.onAgentMessage(7, reregister(ReregisterAgent.newBuilder()
        .addFrameworks(frameworkInfo("fw").toBuilder().setId(FW))
        .addTasks(task("t1", FW.getValue()))));
    assertTrue(h.lastToAgent(7).hasAgentReregistered());
    int sent = h.toAgents.get(7L).size();

    assertDoesNotThrow(() -> h.statusUpdate(7, "old-S1", "", "t1", TaskState.TASK_FAILED,
        (byte) 1));
    assertDoesNotThrow(() -> h.statusUpdate(7, "old-S1", FW.getValue(), "",
        TaskState.TASK_FAILED, (byte) 2));

    assertFalse(h.core.stopped());
    assertEquals(sent, h.toAgents.get(7L).size(), "nothing answered (no acknowledgement)");
    assertEquals(TaskState.TASK_RUNNING,
        h.core.agents.get("old-S1").tasks.values().iterator().next().task.getState());
    assertEquals(1, h.core.allocator.books().allocations().size(), "t1's resources still used");
    // A valid update for the same task still applies.
    h.statusUpdate(7, "old-S1", FW.getValue(), "t1", TaskState.TASK_FAILED, (byte) 3);
    assertEquals(TaskState.TASK_FAILED,
        h.core.agents.get("old-S1").tasks.values().iterator().next().task.getState());
  }
}
