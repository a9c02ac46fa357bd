package io.cairn.agent.internal.core;

import io.cairn.proto.agent.StatusUpdate;
import io.cairn.proto.mesos.v1.Protos.FrameworkInfo;
import io.cairn.proto.mesos.v1.Protos.TaskInfo;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import io.cairn.proto.mesos.v1.Protos.TaskStatus;
import java.util.List;
import java.util.Optional;

/**
 * {@link AgentCore}'s mutable books on one task: its framework and TaskInfo, the latest state and
 * status, its health policy. Touched only by the core, on the agent's event thread.
 */
final class TaskEntry {
  FrameworkInfo framework;
  final TaskInfo info;
  TaskState state = TaskState.TASK_STAGING;
  TaskStatus latest;
  HealthPolicy health;
  boolean healthKilled;

  TaskEntry(FrameworkInfo framework, TaskInfo info) {
    this.framework = framework;
    this.info = info;
  }

  String taskId() {
    return info.getTaskId().getValue();
  }

  String frameworkId() {
    return framework.getId().getValue();
  }

  TaskRecord record(List<StatusUpdate> pending) {
    return new TaskRecord(framework, info, state, Optional.ofNullable(latest), pending);
  }
}
