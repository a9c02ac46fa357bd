package io.cairn.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.protobuf.ByteString;
import io.cairn.proto.agent.AgentMessage;
import io.cairn.proto.agent.ReregisterAgent;
import io.cairn.proto.agent.StatusUpdate;
import io.cairn.proto.mesos.v1.Protos.AgentID;
import io.cairn.proto.mesos.v1.Protos.AgentInfo;
import io.cairn.proto.mesos.v1.Protos.FrameworkID;
import io.cairn.proto.mesos.v1.Protos.Task;
import io.cairn.proto.mesos.v1.Protos.TaskID;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import io.cairn.proto.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.Test;

class AgentMessageTest {

  private static final ByteString UUID = ByteString.copyFromUtf8("0123456789abcdef");

  @Test
  void statusUpdateSurvivesARoundTripInTheEnvelope() throws Exception {
    AgentMessage sent =
        AgentMessage.newBuilder()
            .setLeaderTerm(7)
            .setStatusUpdate(
                StatusUpdate.newBuilder()
                    .setFrameworkId(FrameworkID.newBuilder().setValue("framework-1"))
                    .setAgentId(AgentID.newBuilder().setValue("agent-1"))
                    .setStatus(
                        TaskStatus.newBuilder()
                            .setTaskId(TaskID.newBuilder().setValue("task-1"))
                            .setState(TaskState.TASK_RUNNING)
                            .setUuid(UUID))
                    .setTimestamp(1_700_000_000.0)
                    .setUuid(UUID)
                    .setLatestState(TaskState.TASK_FINISHED))
            .build();

    AgentMessage received = AgentMessage.parseFrom(sent.toByteArray());

    assertEquals(AgentMessage.BodyCase.STATUS_UPDATE, received.getBodyCase());
    assertEquals(7, received.getLeaderTerm());
    assertEquals(TaskState.TASK_FINISHED, received.getStatusUpdate().getLatestState());
    assertEquals(UUID, received.getStatusUpdate().getUuid());
    assertEquals(sent, received);
  }

  @Test
  void reregistrationCarriesRunningTasks() throws Exception {
    Task running =
        Task.newBuilder()
            .setName("web")
            .setTaskId(TaskID.newBuilder().setValue("web-1"))
            .setFrameworkId(FrameworkID.newBuilder().setValue("framework-1"))
            .setAgentId(AgentID.newBuilder().setValue("agent-1"))
            .setState(TaskState.TASK_RUNNING)
            .setStatusUpdateState(TaskState.TASK_RUNNING)
            .setStatusUpdateUuid(UUID)
            .build();
    AgentMessage sent =
        AgentMessage.newBuilder()
            .setReregisterAgent(
                ReregisterAgent.newBuilder()
                    .setAgentInfo(
                        AgentInfo.newBuilder()
                            .setHostname("host-a")
                            .setId(AgentID.newBuilder().setValue("agent-1")))
                    .addTasks(running)
                    .setVersion("0.1.0"))
            .build();

    AgentMessage received = AgentMessage.parseFrom(sent.toByteArray());

    assertEquals(AgentMessage.BodyCase.REREGISTER_AGENT, received.getBodyCase());
    assertFalse(received.hasLeaderTerm(), "0 before the first registration is left unset");
    assertEquals(running, received.getReregisterAgent().getTasks(0));
  }
}
