package io.cairn.agent.internal.core;

import io.cairn.proto.agent.StatusUpdate;
import io.cairn.proto.mesos.v1.Protos.FrameworkInfo;
import io.cairn.proto.mesos.v1.Protos.TaskInfo;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import io.cairn.proto.mesos.v1.Protos.TaskStatus;
import java.util.List;
import java.util.Optional;

/**
 * What the agent checkpoints about one task besides the containerizer's process checkpoint: the
 * framework and task it was given, the latest state, and the unacknowledged status updates (its
 * status update stream, head first). Enough to re-register the task after an agent restart and to
 * keep retrying its updates.
 *
 * @param framework the framework (with its id)
 * @param task the TaskInfo as received in RunTask
 * @param state the latest state the agent knows
 * @param latest the latest status, empty before the first one
 * @param pending unacknowledged updates, head first
 */
public record TaskRecord(
    FrameworkInfo framework,
    TaskInfo task,
    TaskState state,
    Optional<TaskStatus> latest,
    List<StatusUpdate> pending) {
  /** Copies the list. */
  public TaskRecord {
    pending = List.copyOf(pending);
  }

  /** The task id. */
  public String taskId() {
    return task.getTaskId().getValue();
  }

  /** The framework id. */
  public String frameworkId() {
    return framework.getId().getValue();
  }

  /** True for Mesos's terminal states. */
  public static boolean isTerminal(TaskState state) {
    return switch (state) {
      case TASK_FINISHED, TASK_FAILED, TASK_KILLED, TASK_ERROR, TASK_LOST, TASK_DROPPED,
              TASK_GONE, TASK_GONE_BY_OPERATOR ->
          true;
      default -> false;
    };
  }
}
