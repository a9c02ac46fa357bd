package io.cairn.agent.internal.core;

import io.cairn.env.Check;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import io.cairn.proto.mesos.v1.Protos.TaskStatus.Reason;
import io.cairn.proto.mesos.v1.Protos.TaskStatus.Source;
import java.util.Optional;

/**
 * The state machine of one task in the process containerizer. Each method is one event; it checks
 * that the event is legal in the current state and returns the transition to report. Not
 * thread-safe: the containerizer drives it from its one event thread.
 *
 * <pre>
 *   STAGING --starting--&gt; STARTING --running--&gt; RUNNING --exited(0)-------&gt; FINISHED
 *                             |                    |  \----exited(n != 0)---&gt; FAILED
 *                             |                    |  \----gone at recovery-&gt; FAILED
 *                             |               requestKill (flag, no update)
 *                             |                    \------exited(any)-------&gt; KILLED
 *                             \--launchFailed----------------------------------&gt; FAILED
 * </pre>
 *
 * A kill wins over the exit status, as in Mesos's command executor: a task that was asked to stop
 * is KILLED even when it exits 0 from its TERM handler. TASK_KILLING is not reported (only
 * frameworks with the TASK_KILLING_STATE capability may receive it; the master can add it).
 */
public final class TaskLifecycle {
  private TaskState state;
  private boolean killRequested;

  private TaskLifecycle(TaskState state) {
    this.state = state;
  }

  /** A task about to be launched. */
  public static TaskLifecycle staging() {
    return new TaskLifecycle(TaskState.TASK_STAGING);
  }

  /** A task found running at recovery, adopted from a previous containerizer. */
  public static TaskLifecycle adopted() {
    return new TaskLifecycle(TaskState.TASK_RUNNING);
  }

  /** The current state. */
  public TaskState state() {
    return state;
  }

  /** True once the task reached a terminal state; no further events are legal. */
  public boolean isTerminal() {
    return state == TaskState.TASK_FINISHED
        || state == TaskState.TASK_FAILED
        || state == TaskState.TASK_KILLED;
  }

  /** True once a kill was requested. */
  public boolean killRequested() {
    return killRequested;
  }

  /** The sandbox exists and the process is about to be started. */
  public TaskTransition starting(String taskId) {
    move(TaskState.TASK_STAGING, TaskState.TASK_STARTING);
    return update(Source.SOURCE_EXECUTOR, "Task '%s' is starting", taskId);
  }

  /** The process was started. */
  public TaskTransition running(long pid) {
    move(TaskState.TASK_STARTING, TaskState.TASK_RUNNING);
    return update(Source.SOURCE_EXECUTOR, "Task is running as pid %s", pid);
  }

  /** The container was started (docker containerizer); {@code detail} names it. */
  public TaskTransition runningAs(String detail) {
    move(TaskState.TASK_STARTING, TaskState.TASK_RUNNING);
    return update(Source.SOURCE_EXECUTOR, "%s", detail);
  }

  /** The process could not be started; {@code why} says what was missing or failed. */
  public TaskTransition launchFailed(String why) {
    move(TaskState.TASK_STARTING, TaskState.TASK_FAILED);
    return new TaskTransition(
        state, Optional.of(Reason.REASON_CONTAINER_LAUNCH_FAILED), Source.SOURCE_AGENT, why);
  }

  /**
   * Records a kill request. Returns true when the caller must now signal the process, false when
   * the task is already being killed or is terminal (a repeated KILL is harmless in Mesos too).
   */
  public boolean requestKill() {
    if (isTerminal() || killRequested) {
      return false;
    }
    Check.state(state == TaskState.TASK_RUNNING, "kill requested in state %s", state);
    killRequested = true;
    return true;
  }

  /**
   * The process exited with {@code exitStatus} as Java reports it (128+N when killed by signal N).
   * {@code exitStatus} is empty when the process was adopted and is not our child, so its status
   * cannot be read.
   */
  public TaskTransition exited(Optional<Integer> exitStatus) {
    Check.state(state == TaskState.TASK_RUNNING, "exit reported in state %s", state);
    String status = exitStatus.map(TaskLifecycle::describeStatus).orElse("an unknown status");
    if (killRequested) {
      state = TaskState.TASK_KILLED;
      return update(Source.SOURCE_EXECUTOR, "Command killed; it exited with %s", status);
    }
    if (exitStatus.isPresent() && exitStatus.get() == 0) {
      state = TaskState.TASK_FINISHED;
      return update(Source.SOURCE_EXECUTOR, "Command exited with status 0");
    }
    state = TaskState.TASK_FAILED;
    return update(Source.SOURCE_EXECUTOR, "Command exited with %s", status);
  }

  /** At recovery the task's process was gone (or its pid now belongs to another process). */
  public TaskTransition goneAtRecovery(String detail) {
    move(TaskState.TASK_RUNNING, TaskState.TASK_FAILED);
    return new TaskTransition(
        state, Optional.of(Reason.REASON_EXECUTOR_TERMINATED), Source.SOURCE_AGENT, detail);
  }

  /** "status 1", "status 127 (command not found)", "status 143 (128+15: signal 15)". */
  static String describeStatus(int exitStatus) {
    String text = "status " + exitStatus;
    if (exitStatus == 127) {
      return text + " (command not found)";
    }
    if (exitStatus == 126) {
      return text + " (command not executable)";
    }
    if (exitStatus > 128 && exitStatus <= 128 + 64) {
      return text + " (128+" + (exitStatus - 128) + ": signal " + (exitStatus - 128) + ")";
    }
    return text;
  }

  private void move(TaskState from, TaskState to) {
    Check.state(
        state == from, "illegal task transition %s -> %s (expected from %s)", state, to, from);
    state = to;
  }

  private TaskTransition update(Source source, String template, Object... args) {
    return new TaskTransition(state, Optional.empty(), source, String.format(template, args));
  }
}
