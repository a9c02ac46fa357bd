package io.cairn.agent.internal.core;

import io.cairn.env.Check;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the process containerizer needs to start one command task, taken from a Mesos {@code
 * TaskInfo} (see {@code TaskInfos}). Ids become directory names in the sandbox path, so they must
 * be usable as one path segment.
 *
 * @param taskId the task id, unique among this agent's live tasks
 * @param frameworkId the framework that launched the task
 * @param executorId the executor id; for a command task Mesos uses the task id
 * @param command what to run
 * @param environment variables from {@code CommandInfo.environment}, applied over the
 *     containerizer's own (except MESOS_*, which the agent owns)
 * @param resources cpus, mem and the assigned ports
 * @param killGracePeriod time between SIGTERM and SIGKILL (Mesos {@code KillPolicy}, default 3 s)
 * @param rlimits POSIX resource limits applied to the task's process (Mesos {@code
 *     ContainerInfo.rlimit_info}), at most one per resource
 */
public record LaunchSpec(
    String taskId,
    String frameworkId,
    String executorId,
    CommandSpec command,
    Map<String, String> environment,
    TaskResources resources,
    Duration killGracePeriod,
    List<RLimit> rlimits) {
  /** Mesos's default kill grace period when a task has no {@code kill_policy}. */
  public static final Duration DEFAULT_KILL_GRACE_PERIOD = Duration.ofSeconds(3);

  /** Validates ids, the grace period and variable names; copies the environment (sorted). */
  public LaunchSpec {
    SandboxLayout.checkSegment("task id", taskId);
    SandboxLayout.checkSegment("framework id", frameworkId);
    SandboxLayout.checkSegment("executor id", executorId);
    Check.argument(
        !killGracePeriod.isNegative(), "kill grace period %s must be >= 0", killGracePeriod);
    environment = Map.copyOf(new TreeMap<>(environment));
    rlimits = List.copyOf(rlimits);
    Check.argument(
        rlimits.stream().map(RLimit::resource).distinct().count() == rlimits.size(),
        "task '%s': rlimits name a resource twice: %s",
        taskId,
        rlimits);
    for (String name : environment.keySet()) {
      Check.argument(
          !name.isEmpty() && name.indexOf('=') < 0 && name.indexOf('\0') < 0,
          "task '%s': environment variable name '%s' is empty or contains '=' or NUL",
          taskId,
          name);
    }
  }

  /** A spec without resource limits. */
  public LaunchSpec(
      String taskId,
      String frameworkId,
      String executorId,
      CommandSpec command,
      Map<String, String> environment,
      TaskResources resources,
      Duration killGracePeriod) {
    this(taskId, frameworkId, executorId, command, environment, resources, killGracePeriod,
        List.of());
  }

  /** A command task whose executor id is its task id, with the default grace period. */
  public static LaunchSpec commandTask(
      String taskId, String frameworkId, CommandSpec command, TaskResources resources) {
    return new LaunchSpec(
        taskId, frameworkId, taskId, command, Map.of(), resources, DEFAULT_KILL_GRACE_PERIOD);
  }

  /** This spec with the given task environment. */
  public LaunchSpec withEnvironment(Map<String, String> variables) {
    return new LaunchSpec(
        taskId, frameworkId, executorId, command, variables, resources, killGracePeriod, rlimits);
  }

  /** This spec with the given kill grace period. */
  public LaunchSpec withKillGracePeriod(Duration gracePeriod) {
    return new LaunchSpec(
        taskId, frameworkId, executorId, command, environment, resources, gracePeriod, rlimits);
  }

  /** This spec with the given resource limits. */
  public LaunchSpec withRLimits(List<RLimit> limits) {
    return new LaunchSpec(
        taskId, frameworkId, executorId, command, environment, resources, killGracePeriod, limits);
  }
}
