package io.cairn.framework.jobs.internal.core;

/**
 * One run of a job (Metronome's job run), immutable; every change makes a new value.
 *
 * <pre>
 *  INITIAL --launched--> STARTING --TASK_RUNNING--> ACTIVE --TASK_FINISHED--> SUCCESS
 *     ^                     |                          |
 *     +---- retry (backoff) +------ task failed -------+--> FAILED (no retries left)
 * </pre>
 *
 * @param id the run id, unique within its job
 * @param jobId the job
 * @param status where it is
 * @param trigger {@code manual} or the schedule id
 * @param createdAtMs wall-clock ms it was created
 * @param finishedAtMs wall-clock ms it finished, 0 while running
 * @param attempt the current attempt, from 1
 * @param notBeforeMs an INITIAL run waits until then (retry backoff)
 * @param taskId the current attempt's task, empty before launch
 * @param agentId the agent it was launched on, empty before launch
 * @param lastTaskState the last task state seen (e.g. TASK_FAILED), empty before any
 * @param message the last reason given (failure message, why it is waiting)
 */
public record JobRun(String id, String jobId, Status status, String trigger, long createdAtMs,
    long finishedAtMs, int attempt, long notBeforeMs, String taskId, String agentId,
    String lastTaskState, String message) {

  /** Run states, as in Metronome. */
  public enum Status {
    INITIAL, STARTING, ACTIVE, SUCCESS, FAILED;

    public boolean finished() {
      return this == SUCCESS || this == FAILED;
    }
  }

  JobRun with(Status newStatus, String newMessage) {
    return new JobRun(id, jobId, newStatus, trigger, createdAtMs, finishedAtMs, attempt,
        notBeforeMs, taskId, agentId, lastTaskState, newMessage);
  }

  JobRun launched(String newTaskId, String newAgentId) {
    return new JobRun(id, jobId, Status.STARTING, trigger, createdAtMs, 0, attempt, 0, newTaskId,
        newAgentId, lastTaskState, "launched");
  }

  JobRun taskState(String state, String newMessage) {
    return new JobRun(id, jobId, status, trigger, createdAtMs, finishedAtMs, attempt,
        notBeforeMs, taskId, agentId, state, newMessage);
  }

  JobRun retry(long notBefore, String why) {
    return new JobRun(id, jobId, Status.INITIAL, trigger, createdAtMs, 0, attempt + 1, notBefore,
        "", "", lastTaskState, why);
  }

  JobRun finish(Status end, long nowMs, String why) {
    return new JobRun(id, jobId, end, trigger, createdAtMs, nowMs, attempt, 0, taskId, agentId,
        lastTaskState, why);
  }
}
