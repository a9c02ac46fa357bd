package io.cairn.agent.internal.core;

import com.google.protobuf.ByteString;
import io.cairn.proto.agent.ReconcileTasks;
import io.cairn.proto.agent.StatusUpdate;
import io.cairn.proto.mesos.v1.Protos.AgentID;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import io.cairn.proto.mesos.v1.Protos.TaskStatus;
import java.util.Optional;

/**
 * The agent's answer to one task of a ReconcileTasks: its latest status, or TASK_LOST (TASK_DROPPED
 * for PARTITION_AWARE frameworks) when the agent does not know it; always with
 * REASON_RECONCILIATION and an empty uuid, because such answers are not retried and must not be
 * acknowledged. Pure.
 */
final class Reconciliation {
  private Reconciliation() {}

  static StatusUpdate answer(ReconcileTasks reconcile, TaskStatus asked,
      Optional<TaskStatus> latest, AgentID agentId, long wallMillis) {
    TaskStatus.Builder answer;
    if (latest.isPresent()) {
      answer = latest.get().toBuilder().clearUuid();
    } else {
      TaskState state = reconcile.hasFramework()
          ? Uuids.droppedOrLost(reconcile.getFramework()) : TaskState.TASK_LOST;
      answer = TaskStatus.newBuilder().setTaskId(asked.getTaskId()).setState(state)
          .setSource(TaskStatus.Source.SOURCE_AGENT).setAgentId(agentId)
          .setMessage("Task is unknown to the agent");
    }
    answer.setReason(TaskStatus.Reason.REASON_RECONCILIATION).setTimestamp(wallMillis / 1000.0);
    return StatusUpdate.newBuilder()
        .setFrameworkId(reconcile.getFrameworkId())
        .setAgentId(agentId)
        .setStatus(answer)
        .setTimestamp(answer.getTimestamp())
        .setUuid(ByteString.EMPTY)
        .setLatestState(answer.getState())
        .build();
  }
}
