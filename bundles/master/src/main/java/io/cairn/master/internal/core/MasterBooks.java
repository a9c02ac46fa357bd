package io.cairn.master.internal.core;

import io.cairn.allocator.AgentResources;
import io.cairn.allocator.Allocation;
import io.cairn.allocator.AgentId;
import io.cairn.allocator.FrameworkId;
import io.cairn.allocator.Offer;
import io.cairn.proto.mesos.v1.Protos.AgentInfo;
import io.cairn.proto.mesos.v1.Protos.FrameworkInfo;
import io.cairn.proto.mesos.v1.Protos.Task;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The mutable records the {@link MasterCore} keeps in memory for one leadership term: agents,
 * frameworks, their tasks and outstanding offers. Plain holders, no logic beyond small queries.
 *
 * <p>Threading: touched only on the core's thread.
 */
final class MasterBooks {
  /** Mesos's --max_completed_tasks_per_framework default. */
  static final int MAX_COMPLETED_TASKS = 1000;

  private MasterBooks() {}

  /** Identifies a task: task ids are unique per framework (Mesos). */
  record TaskKey(String frameworkId, String taskId) {}

  /** An agent the master admitted in this term. */
  static final class AgentEntry {
    AgentInfo info;
    AgentResources total;
    /** The live connection, or -1 while disconnected. */
    long connectionId = -1;
    int missedPongs;
    boolean pongSinceLastPing = true;
    long pingSequence;
    long registeredMs;
    final Map<TaskKey, TaskEntry> tasks = new LinkedHashMap<>();
    final Set<String> offerIds = new LinkedHashSet<>();

    AgentEntry(AgentInfo info, AgentResources total, long registeredMs) {
      this.info = info;
      this.total = total;
      this.registeredMs = registeredMs;
    }

    String id() {
      return info.getId().getValue();
    }

    boolean connected() {
      return connectionId >= 0;
    }
  }

  /** A framework: subscribed now, disconnected (failover timer) or recovered from agents. */
  static final class FrameworkEntry {
    FrameworkInfo info;
    /** The stream of the subscribed scheduler, or null while disconnected. */
    String streamId;
    /** When the scheduler disconnected (failover timer), or -1 when none runs. */
    long disconnectedMs = -1;
    boolean recovered;
    long registeredMs;
    final Map<String, TaskEntry> tasks = new LinkedHashMap<>();
    final Set<String> offerIds = new LinkedHashSet<>();
    /** Terminal, acknowledged tasks, newest last, at most {@link #MAX_COMPLETED_TASKS}. */
    final java.util.ArrayDeque<Task> completed = new java.util.ArrayDeque<>();

    FrameworkEntry(FrameworkInfo info, long registeredMs) {
      this.info = info;
      this.registeredMs = registeredMs;
    }

    String id() {
      return info.getId().getValue();
    }

    FrameworkId allocatorId() {
      return FrameworkId.of(id());
    }

    /** Keeps a finished task for the state endpoints, dropping the oldest beyond the bound. */
    void complete(Task task) {
      completed.addLast(task);
      while (completed.size() > MAX_COMPLETED_TASKS) {
        completed.removeFirst();
      }
    }

    boolean partitionAware() {
      return info.getCapabilitiesList().stream()
          .anyMatch(c -> c.getType() == FrameworkInfo.Capability.Type.PARTITION_AWARE);
    }
  }

  /** A task on an agent, with the resources it holds in the allocator until it ends. */
  static final class TaskEntry {
    Task task;
    final String role;
    final AgentResources resources;
    /** True once its resources went back to the allocator (terminal state seen). */
    boolean recovered;
    /** Framework and task id never change when {@link #task} is replaced by a newer status. */
    private final TaskKey key;

    TaskEntry(Task task, String role, AgentResources resources) {
      this(task, task.getFrameworkId().getValue(), role, resources);
    }

    /** With the framework id already decoded (it must be the task's). */
    TaskEntry(Task task, String frameworkId, String role, AgentResources resources) {
      this.task = task;
      this.role = role;
      this.resources = resources;
      this.key = new TaskKey(frameworkId, task.getTaskId().getValue());
    }

    TaskKey key() {
      return key;
    }

    Allocation allocation() {
      return new Allocation(FrameworkId.of(task.getFrameworkId().getValue()), role,
          AgentId.of(task.getAgentId().getValue()), resources);
    }
  }

  /** An outstanding offer: what the allocator planned, under the id the framework saw. */
  record OfferEntry(String id, Offer offer) {
    String frameworkId() {
      return offer.frameworkId().value();
    }

    String agentId() {
      return offer.agentId().value();
    }
  }

  /** Mesos's terminal task states (TASK_UNREACHABLE and TASK_UNKNOWN are not terminal). */
  static boolean terminal(TaskState state) {
    return switch (state) {
      case TASK_FINISHED, TASK_FAILED, TASK_KILLED, TASK_ERROR, TASK_LOST, TASK_DROPPED,
          TASK_GONE, TASK_GONE_BY_OPERATOR -> true;
      default -> false;
    };
  }
}
