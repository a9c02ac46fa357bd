package io.cairn.agent.internal.containerizer;

import com.google.protobuf.ByteString;
import io.cairn.agent.internal.core.TaskTransition;
import io.cairn.proto.mesos.v1.Protos;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.UUID;

/**
 * One status update produced by the containerizer, with the UUID the framework will acknowledge.
 *
 * @param uuid unique per update; the status update manager retries until it is acknowledged
 * @param taskId the task
 * @param frameworkId the task's framework
 * @param executorId the task's executor
 * @param containerId the container the task ran in
 * @param transition the state, reason, source and message
 * @param timestamp when the containerizer observed the change
 */
public record TaskStatusUpdate(
    UUID uuid,
    String taskId,
    String frameworkId,
    String executorId,
    String containerId,
    TaskTransition transition,
    Instant timestamp) {
  /** The new state. */
  public Protos.TaskState state() {
    return transition.state();
  }

  /** The Mesos v1 {@code TaskStatus} for this update. */
  public Protos.TaskStatus toProto(String agentId) {
    ByteBuffer uuidBytes = ByteBuffer.allocate(16);
    uuidBytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
    Protos.TaskStatus.Builder status =
        Protos.TaskStatus.newBuilder()
            .setTaskId(Protos.TaskID.newBuilder().setValue(taskId))
            .setState(transition.state())
            .setMessage(transition.message())
            .setSource(transition.source())
            .setAgentId(Protos.AgentID.newBuilder().setValue(agentId))
            .setExecutorId(Protos.ExecutorID.newBuilder().setValue(executorId))
            .setTimestamp(timestamp.toEpochMilli() / 1000.0)
            .setUuid(ByteString.copyFrom(uuidBytes.array()));
    transition.reason().ifPresent(status::setReason);
    return status.build();
  }
}
