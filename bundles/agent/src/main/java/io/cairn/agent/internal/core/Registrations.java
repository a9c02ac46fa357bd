package io.cairn.agent.internal.core;

import io.cairn.proto.agent.RegisterAgent;
import io.cairn.proto.agent.ReregisterAgent;
import io.cairn.proto.agent.StatusUpdate;
import io.cairn.proto.mesos.v1.Protos.AgentInfo;
import io.cairn.proto.mesos.v1.Protos.ExecutorID;
import io.cairn.proto.mesos.v1.Protos.FrameworkInfo;
import io.cairn.proto.mesos.v1.Protos.Task;
import io.cairn.proto.mesos.v1.Protos.TaskInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds RegisterAgent and ReregisterAgent from the agent's books. Pure functions. */
public final class Registrations {
  private Registrations() {}

  /** First registration: the agent has no id. */
  public static RegisterAgent register(AgentInfo agentInfo, String version) {
    return RegisterAgent.newBuilder()
        .setAgentInfo(agentInfo.toBuilder().clearId())
        .setVersion(version)
        .addCapabilities(capability(AgentInfo.Capability.Type.MULTI_ROLE))
        .addCapabilities(capability(AgentInfo.Capability.Type.AGENT_DRAINING))
        .build();
  }

  /**
   * Re-registration with the checkpointed id: every task the agent knows (non-terminal ones, and
   * terminal ones whose last update is unacknowledged) and their frameworks.
   */
  public static ReregisterAgent reregister(
      AgentInfo agentInfo, String version, List<TaskRecord> records) {
    ReregisterAgent.Builder message =
        ReregisterAgent.newBuilder()
            .setAgentInfo(agentInfo)
            .setVersion(version)
            .addCapabilities(capability(AgentInfo.Capability.Type.MULTI_ROLE))
            .addCapabilities(capability(AgentInfo.Capability.Type.AGENT_DRAINING));
    Map<String, FrameworkInfo> frameworks = new LinkedHashMap<>();
    for (TaskRecord record : records) {
      message.addTasks(task(agentInfo, record));
      frameworks.putIfAbsent(record.frameworkId(), record.framework());
    }
    message.addAllFrameworks(frameworks.values());
    return message.build();
  }

  /** The Mesos {@code Task} of one record: state, latest status, head update's state and uuid. */
  public static Task task(AgentInfo agentInfo, TaskRecord record) {
    TaskInfo info = record.task();
    Task.Builder task =
        Task.newBuilder()
            .setName(info.getName())
            .setTaskId(info.getTaskId())
            .setFrameworkId(record.framework().getId())
            .setExecutorId(ExecutorID.newBuilder().setValue(record.taskId()))
            .setAgentId(agentInfo.getId())
            .setState(record.state())
            .addAllResources(info.getResourcesList());
    record.latest().ifPresent(task::addStatuses);
    if (!record.pending().isEmpty()) {
      StatusUpdate head = record.pending().get(0);
      task.setStatusUpdateState(head.getStatus().getState()).setStatusUpdateUuid(head.getUuid());
    }
    if (info.hasLabels()) {
      task.setLabels(info.getLabels());
    }
    if (info.hasDiscovery()) {
      task.setDiscovery(info.getDiscovery());
    }
    if (info.hasContainer()) {
      task.setContainer(info.getContainer());
    }
    if (info.hasHealthCheck()) {
      task.setHealthCheck(info.getHealthCheck());
    }
    if (info.hasKillPolicy()) {
      task.setKillPolicy(info.getKillPolicy());
    }
    return task.build();
  }

  private static AgentInfo.Capability capability(AgentInfo.Capability.Type type) {
    return AgentInfo.Capability.newBuilder().setType(type).build();
  }
}
