package io.cairn.agent.internal.core;

import io.cairn.proto.mesos.v1.Protos.TaskState;
import io.cairn.proto.mesos.v1.Protos.TaskStatus;
import java.util.Optional;

/**
 * One state change of a task that must be reported as a status update.
 *
 * @param state the new Mesos task state
 * @param reason the Mesos reason, when there is a specific one
 * @param source who decided the state (the agent for launch and recovery failures, the executor for
 *     the task's own life)
 * @param message a sentence for operators and frameworks
 */
public record TaskTransition(
    TaskState state,
    Optional<TaskStatus.Reason> reason,
    TaskStatus.Source source,
    String message) {}
