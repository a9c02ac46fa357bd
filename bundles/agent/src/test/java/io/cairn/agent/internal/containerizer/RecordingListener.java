package io.cairn.agent.internal.containerizer;

import io.cairn.proto.mesos.v1.Protos.TaskState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Records updates and lets a test wait, with a deadline, for a task to reach a state. */
public final class RecordingListener implements TaskStatusListener {
  private final List<TaskStatusUpdate> updates = new ArrayList<>();

  @Override
  public synchronized void onStatusUpdate(TaskStatusUpdate update) {
    updates.add(update);
    notifyAll();
  }

  /** The updates of one task, in delivery order. */
  public synchronized List<TaskStatusUpdate> of(String taskId) {
    return updates.stream().filter(u -> u.taskId().equals(taskId)).toList();
  }

  /** Waits until {@code taskId} reported {@code state}; fails with what it saw at the deadline. */
  public synchronized TaskStatusUpdate await(String taskId, TaskState state, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (TaskStatusUpdate update : updates) {
        if (update.taskId().equals(taskId) && update.state() == state) {
          return update;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            "task "
                + taskId
                + " did not reach "
                + state
                + " within "
                + timeout
                + "; saw "
                + of(taskId).stream()
                    .map(u -> u.state() + ":" + u.transition().message())
                    .toList());
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  /** Waits until {@code taskId} reported a terminal state and returns it. */
  TaskStatusUpdate awaitTerminal(String taskId, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      while (true) {
        for (TaskStatusUpdate update : updates) {
          if (update.taskId().equals(taskId) && isTerminal(update.state())) {
            return update;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "task "
                  + taskId
                  + " not terminal within "
                  + timeout
                  + "; saw "
                  + of(taskId).stream().map(TaskStatusUpdate::state).toList());
        }
        wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  private static boolean isTerminal(TaskState state) {
    return state == TaskState.TASK_FINISHED
        || state == TaskState.TASK_FAILED
        || state == TaskState.TASK_KILLED;
  }
}
