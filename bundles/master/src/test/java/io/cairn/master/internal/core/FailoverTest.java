package io.cairn.master.internal.core;

import static io.cairn.master.internal.core.MasterHarness.frameworkInfo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.master.AgentState;
import io.cairn.proto.agent.AgentMessage;
import io.cairn.proto.agent.ReregisterAgent;
import io.cairn.proto.mesos.v1.Protos.AgentID;
import io.cairn.proto.mesos.v1.Protos.AgentInfo;
import io.cairn.proto.mesos.v1.Protos.FrameworkID;
import io.cairn.proto.mesos.v1.Protos.Resource;
import io.cairn.proto.mesos.v1.Protos.Task;
import io.cairn.proto.mesos.v1.Protos.TaskID;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A newly elected master: agents of the registry re-register with their tasks (the books are
 * rebuilt from them), those that do not come back in time become unreachable, and removals obey
 * the rate limit.
 */
class FailoverTest {
  private static AgentInfo known(String id, String host) {
    return MasterHarness.agentInfo(host, 4, 4096).toBuilder()
        .setId(AgentID.newBuilder().setValue(id)).build();
  }

  @Test
  void anAgentReregistersWithItsTasksAndItsFrameworkSubscribesAgain() {
    MasterHarness h = new MasterHarness(MasterSettings.DEFAULTS, List.of(known("old-S1", "h1")));
    FrameworkID fw = FrameworkID.newBuilder().setValue("old-0001").build();
    Task task = Task.newBuilder().setName("t").setTaskId(TaskID.newBuilder().setValue("t1"))
        .setFrameworkId(fw).setAgentId(AgentID.newBuilder().setValue("old-S1"))
        .setState(TaskState.TASK_RUNNING)
        .addResources(MasterHarness.scalar("cpus", 1)).addResources(MasterHarness.scalar("mem", 64))
        .build();
    h.core.onAgentMessage(7, AgentMessage.newBuilder().setReregisterAgent(ReregisterAgent
        .newBuilder().setAgentInfo(known("old-S1", "h1")).addTasks(task)
        .addFrameworks(frameworkInfo("fw").toBuilder().setId(fw))).build());
    assertEquals(0, h.commit(), "an admitted agent needs no registry write");
    assertTrue(h.lastToAgent(7).hasAgentReregistered());
    assertEquals(1, h.core.state().getGetTasks().getTasksCount());
    assertTrue(h.core.state().getGetFrameworks().getFrameworks(0).getRecovered());

    h.core.onSubscribe("s1", io.cairn.proto.mesos.v1.scheduler.Protos.Call.newBuilder()
        .setType(io.cairn.proto.mesos.v1.scheduler.Protos.Call.Type.SUBSCRIBE)
        .setSubscribe(io.cairn.proto.mesos.v1.scheduler.Protos.Call.Subscribe.newBuilder()
            .setFrameworkInfo(frameworkInfo("fw").toBuilder().setId(fw))).build());
    assertEquals(3.0, h.offers("s1").get(0).getResourcesList().stream()
        .filter(r -> r.getName().equals("cpus")).mapToDouble(r -> r.getScalar().getValue())
        .sum(), 1e-9, "the running task's cpu is not offered again");

    h.clock.advanceMs(600_000);
    h.core.onTick();
    h.commit();
    assertEquals(AgentState.ADMITTED, h.registry.view().agents().get(0).state());
  }

  @Test
  void reportedTasksEnterTheAllocatorSummedPerFrameworkAndRole() {
    MasterHarness h = new MasterHarness(MasterSettings.DEFAULTS, List.of(known("old-S1", "h1")));
    FrameworkID a = FrameworkID.newBuilder().setValue("old-0001").build();
    FrameworkID b = FrameworkID.newBuilder().setValue("old-0002").build();
    AgentID agent = AgentID.newBuilder().setValue("old-S1").build();
    Resource bCpu = MasterHarness.scalar("cpus", 1).toBuilder()
        .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole("b")).build();
    ReregisterAgent.Builder message = ReregisterAgent.newBuilder()
        .setAgentInfo(known("old-S1", "h1"))
        .addFrameworks(frameworkInfo("a").toBuilder().setId(a))
        .addFrameworks(frameworkInfo("b").toBuilder().setId(b).clearRoles().addRoles("b"))
        .addTasks(task("a1", a, agent, TaskState.TASK_RUNNING, 1, 64))
        .addTasks(task("a2", a, agent, TaskState.TASK_RUNNING, 1, 64))
        .addTasks(task("a3", a, agent, TaskState.TASK_FINISHED, 1, 64))
        .addTasks(task("b1", b, AgentID.newBuilder().setValue("elsewhere").build(),
            TaskState.TASK_RUNNING, 0, 0)
            .toBuilder().clearResources().addResources(bCpu).build());
    h.core.onAgentMessage(7, AgentMessage.newBuilder().setReregisterAgent(message).build());

    assertTrue(h.lastToAgent(7).hasAgentReregistered());
    assertEquals(0, h.lastToAgent(7).getAgentReregistered().getReconciliationsCount(),
        "every task the master knows of on the agent was reported");
    List<io.cairn.allocator.Allocation> used = h.core.allocator.books().allocations();
    assertEquals(2, used.size(), "one allocation per framework and role: " + used);
    io.cairn.allocator.Allocation ofA = used.stream()
        .filter(u -> u.frameworkId().value().equals("old-0001")).findFirst().orElseThrow();
    assertEquals("*", ofA.role());
    assertEquals(2_000, ofA.resources().quantities().cpuMillis(),
        "the two running tasks, not the finished one");
    assertEquals(128, ofA.resources().quantities().memMb());
    io.cairn.allocator.Allocation ofB = used.stream()
        .filter(u -> u.frameworkId().value().equals("old-0002")).findFirst().orElseThrow();
    assertEquals("b", ofB.role());
    assertEquals(1_000, ofB.resources().quantities().cpuMillis());
    assertTrue(h.core.agents.get("old-S1").tasks.values().stream()
        .allMatch(t -> t.task.getAgentId().equals(agent)),
        "a task reported with another agent's id gets this agent's");
  }

  private static Task task(String id, FrameworkID framework, AgentID agent, TaskState state,
      double cpus, double mem) {
    Task.Builder task = Task.newBuilder().setName(id).setTaskId(TaskID.newBuilder().setValue(id))
        .setFrameworkId(framework).setAgentId(agent).setState(state);
    if (cpus > 0) {
      task.addResources(MasterHarness.scalar("cpus", cpus));
    }
    if (mem > 0) {
      task.addResources(MasterHarness.scalar("mem", mem));
    }
    return task.build();
  }

  @Test
  void anAgentThatDoesNotComeBackIsUnreachableAfterTheReregisterTimeout() {
    MasterHarness h = new MasterHarness(MasterSettings.DEFAULTS, List.of(known("old-S1", "h1")));
    h.clock.advanceMs(599_000);
    h.core.onTick();
    assertEquals(0, h.commit());
    h.clock.advanceMs(1_000);
    h.core.onTick();
    assertEquals(1, h.commit());
    assertEquals(AgentState.UNREACHABLE, h.registry.view().agents().get(0).state());
  }

  @Test
  void removalsWaitForTheRateLimit() {
    MasterSettings limited = new MasterSettings(1_000, 15_000, 15_000, 5, 600_000, 60_000);
    MasterHarness h = new MasterHarness(limited, List.of());
    h.registerAgent(1, "h1");
    h.registerAgent(2, "h2");
    for (int i = 0; i < 6; i++) {
      h.clock.advanceMs(15_000);
      h.core.onTick();
    }
    h.commit();
    assertEquals(1, h.closedAgents.size(), "one removal now, the other waits for a permit");
    assertEquals(1, h.core.agentChannel.queuedRemovals().size());
    h.clock.advanceMs(59_000);
    h.core.onTick();
    assertEquals(1, h.closedAgents.size());
    h.clock.advanceMs(1_000);
    h.core.onTick();
    h.commit();
    assertEquals(2, h.closedAgents.size());
    assertEquals(List.of(AgentState.UNREACHABLE, AgentState.UNREACHABLE),
        h.registry.view().agents().stream().map(a -> a.state()).toList());
  }

  @Test
  void aPongCancelsAQueuedRemoval() {
    MasterSettings limited = new MasterSettings(1_000, 15_000, 15_000, 5, 600_000, 60_000);
    MasterHarness h = new MasterHarness(limited, List.of());
    h.registerAgent(1, "h1");
    h.registerAgent(2, "h2");
    for (int i = 0; i < 6; i++) {
      h.clock.advanceMs(15_000);
      h.core.onTick();
    }
    h.commit();
    long queued = h.core.agentChannel.queuedRemovals().get(0).endsWith("S1") ? 1 : 2;
    h.pong(queued);
    assertTrue(h.core.agentChannel.queuedRemovals().isEmpty());
    h.clock.advanceMs(60_000);
    h.core.onTick();
    assertEquals(1, h.closedAgents.size());
  }
}
