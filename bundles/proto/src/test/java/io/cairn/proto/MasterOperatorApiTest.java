package io.cairn.proto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import io.cairn.proto.mesos.v1.master.Protos.Call;
import io.cairn.proto.mesos.v1.master.Protos.Event;
import io.cairn.proto.mesos.v1.master.Protos.Response;
import org.junit.jupiter.api.Test;

/** The v1 operator API subset (include/mesos/v1/master/master.proto) decodes Mesos's bytes. */
class MasterOperatorApiTest {

  @Test
  void getAgentsResponseFromMesosDecodes() throws Exception {
    Wire agentInfo =
        Wire.message()
            .string(1, "host-a")
            .message(6, Wire.message().string(1, "agent-1"))
            .int32(8, 5051);
    byte[] bytes =
        Wire.message()
            .enumValue(1, 9) // Response.GET_AGENTS
            .message(
                10,
                Wire.message()
                    .message(
                        1,
                        // Agent: agent_info=1, active=2, version=3, deactivated=12.
                        Wire.message()
                            .message(1, agentInfo)
                            .bool(2, true)
                            .string(3, "1.11.0")
                            .bool(12, false)))
            .toByteArray();

    Response response = Response.parseFrom(bytes);

    assertEquals(Response.Type.GET_AGENTS, response.getType());
    Response.GetAgents.Agent agent = response.getGetAgents().getAgents(0);
    assertEquals("agent-1", agent.getAgentInfo().getId().getValue());
    assertTrue(agent.getActive());
    assertEquals("1.11.0", agent.getVersion());
    assertTrue(agent.hasDeactivated());
    assertArrayEquals(bytes, response.toByteArray());
  }

  @Test
  void taskUpdatedEventFromMesosDecodes() throws Exception {
    byte[] bytes =
        Wire.message()
            .enumValue(1, 3) // Event.TASK_UPDATED
            .message(
                4,
                Wire.message()
                    .message(1, Wire.message().string(1, "framework-1"))
                    .message(
                        2,
                        Wire.message()
                            .message(1, Wire.message().string(1, "task-1"))
                            .enumValue(2, 1)) // TASK_RUNNING
                    .enumValue(3, 2)) // TASK_FINISHED
            .toByteArray();

    Event event = Event.parseFrom(bytes);

    assertEquals(Event.Type.TASK_UPDATED, event.getType());
    assertEquals(TaskState.TASK_RUNNING, event.getTaskUpdated().getStatus().getState());
    assertEquals(TaskState.TASK_FINISHED, event.getTaskUpdated().getState());
  }

  @Test
  void operatorCallsInJsonParse() throws Exception {
    Call.Builder getState = Call.newBuilder();
    JsonFormat.parser().merge("{\"type\": \"GET_STATE\"}", getState);
    assertEquals(Call.Type.GET_STATE, getState.getType());

    Call.Builder drain = Call.newBuilder();
    JsonFormat.parser()
        .merge(
            "{\"type\": \"DRAIN_AGENT\", \"drain_agent\": {\"agent_id\": {\"value\": \"a1\"},"
                + " \"max_grace_period\": \"10s\", \"mark_gone\": true}}",
            drain);
    assertEquals(37, drain.getType().getNumber());
    assertEquals(10, drain.getDrainAgent().getMaxGracePeriod().getSeconds());
    assertTrue(drain.getDrainAgent().getMarkGone());
  }
}
