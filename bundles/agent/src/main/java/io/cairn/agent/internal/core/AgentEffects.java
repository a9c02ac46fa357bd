package io.cairn.agent.internal.core;

import io.cairn.proto.agent.AgentMessage;
import io.cairn.proto.mesos.v1.Protos.AgentInfo;
import io.cairn.proto.mesos.v1.Protos.FrameworkInfo;
import io.cairn.proto.mesos.v1.Protos.HealthCheck;
import io.cairn.proto.mesos.v1.Protos.TaskInfo;
import java.time.Duration;
import java.util.Optional;

/**
 * What {@link AgentCore} asks of its driver, called synchronously on the agent's event thread, in
 * order. The driver executes persists before sends (the core calls them in that order), so a
 * status update is on disk before it leaves the agent.
 */
public interface AgentEffects {
  /** Sends one frame to the master over the current connection (dropped when there is none). */
  void send(AgentMessage message);

  /** Launches a command task; launch failures come back through {@link AgentCore#onLaunchRejected}. */
  void launch(FrameworkInfo framework, TaskInfo task);

  /** Kills a task with its own grace period, or {@code gracePeriod} when given. */
  void kill(String taskId, Optional<Duration> gracePeriod);

  /** Checkpoints the agent's identity (with its id), or forgets it when empty. */
  void persistAgentInfo(Optional<AgentInfo> info);

  /** Checkpoints one task's record (replacing the previous one). */
  void persistTask(TaskRecord record);

  /** Deletes one task's record: it is terminal and its last update was acknowledged. */
  void removeTask(TaskRecord record);

  /** Closes the connection to the master; the driver reconnects with backoff. */
  void disconnect(String reason);

  /** Starts probing a running task's health; results come back through onHealthResult. */
  void startHealthCheck(String taskId, HealthCheck check);

  /** Stops probing a task's health. */
  void stopHealthCheck(String taskId);
}
