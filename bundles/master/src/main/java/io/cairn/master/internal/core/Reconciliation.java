package io.cairn.master.internal.core;

import io.cairn.master.AgentState;
import io.cairn.master.internal.core.MasterBooks.FrameworkEntry;
import io.cairn.master.internal.core.MasterBooks.TaskEntry;
import io.cairn.proto.mesos.v1.Protos.AgentID;
import io.cairn.proto.mesos.v1.Protos.TaskID;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import io.cairn.proto.mesos.v1.Protos.TaskStatus;
import io.cairn.proto.mesos.v1.scheduler.Protos.Call;
import java.util.ArrayList;
import java.util.List;

/**
 * Task reconciliation (Mesos {@code docs/reconciliation.md}, {@code master.cpp} reconcile): the
 * answers the master gives from its own books, with {@code REASON_RECONCILIATION} and no uuid.
 * Pure functions over the core's books.
 */
final class Reconciliation {
  private Reconciliation() {}

  /**
   * Implicit (no tasks listed): the latest state of every non-terminal task of the framework.
   * Explicit: one answer per listed task, from the books or by the rules for unknown tasks.
   */
  static List<TaskStatus> reconcile(MasterCore core, FrameworkEntry framework,
      Call.Reconcile reconcile) {
    List<TaskStatus> answers = new ArrayList<>();
    if (reconcile.getTasksCount() == 0) {
      for (TaskEntry task : framework.tasks.values()) {
        if (!MasterBooks.terminal(task.task.getState())) {
          answers.add(known(core, task));
        }
      }
      return answers;
    }
    for (Call.Reconcile.Task asked : reconcile.getTasksList()) {
      TaskEntry task = framework.tasks.get(asked.getTaskId().getValue());
      if (task != null) {
        answers.add(known(core, task));
      } else {
        TaskStatus status = unknownTask(core, framework, asked.getTaskId(),
            asked.hasAgentId() ? asked.getAgentId() : null);
        if (status != null) {
          answers.add(status);
        }
      }
    }
    return answers;
  }

  /**
   * The latest state with the health of the latest status, as Mesos's master answers
   * ({@code protobuf::getTaskHealth}): agents send a health update only when the health changes,
   * so a scheduler that fails over learns its tasks' health from reconciliation alone.
   */
  private static TaskStatus known(MasterCore core, TaskEntry task) {
    TaskStatus status = core.masterStatus(task, task.task.getState(),
        TaskStatus.Reason.REASON_RECONCILIATION, "reconciliation: latest state known to the master");
    int statuses = task.task.getStatusesCount();
    if (statuses > 0 && task.task.getStatuses(statuses - 1).hasHealthy()) {
      return status.toBuilder().setHealthy(task.task.getStatuses(statuses - 1).getHealthy())
          .build();
    }
    return status;
  }

  /**
   * The answer for a task the master does not know: agent registered -> TASK_GONE, unreachable
   * -> TASK_UNREACHABLE, gone -> TASK_GONE_BY_OPERATOR, unknown -> TASK_UNKNOWN; TASK_LOST for
   * frameworks that are not PARTITION_AWARE.
   */
  static TaskStatus unknownTask(MasterCore core, FrameworkEntry framework, TaskID taskId,
      AgentID agentId) {
    TaskState state;
    String message;
    AgentState agentState = agentId == null ? null
        : core.agents.containsKey(agentId.getValue()) ? AgentState.ADMITTED
        : core.registryStates.get(agentId.getValue());
    if (agentState == AgentState.ADMITTED) {
      state = TaskState.TASK_GONE;
      message = "task " + taskId.getValue() + " is unknown to its registered agent";
    } else if (agentState == AgentState.UNREACHABLE) {
      state = TaskState.TASK_UNREACHABLE;
      message = "task " + taskId.getValue() + " is on an unreachable agent";
    } else if (agentState == AgentState.GONE) {
      state = TaskState.TASK_GONE_BY_OPERATOR;
      message = "task " + taskId.getValue() + " was on an agent marked gone";
    } else {
      state = TaskState.TASK_UNKNOWN;
      message = "task " + taskId.getValue() + " and its agent are unknown to the master";
    }
    if (!framework.partitionAware()) {
      state = TaskState.TASK_LOST;
    }
    return StateViews.masterStatus(taskId, agentId, state,
        TaskStatus.Reason.REASON_RECONCILIATION, message, core.now());
  }
}
