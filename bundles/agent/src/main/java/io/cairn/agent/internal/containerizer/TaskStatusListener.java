package io.cairn.agent.internal.containerizer;

/**
 * Receives the containerizer's status updates. Called on the containerizer's event thread, in order
 * (per task STARTING, RUNNING, then one terminal state); must not block, because the next launch,
 * kill or exit waits behind it. The agent's status update manager implements it.
 */
@FunctionalInterface
public interface TaskStatusListener {
  /** One update; {@code update.uuid()} is what the framework acknowledges. */
  void onStatusUpdate(TaskStatusUpdate update);
}
