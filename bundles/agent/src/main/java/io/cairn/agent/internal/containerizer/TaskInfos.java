package io.cairn.agent.internal.containerizer;

import io.cairn.agent.internal.core.CommandSpec;
import io.cairn.agent.internal.core.LaunchSpec;
import io.cairn.agent.internal.core.RLimit;
import io.cairn.agent.internal.core.TaskResources;
import io.cairn.env.Check;
import io.cairn.proto.mesos.v1.Protos;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Turns a Mesos v1 {@code TaskInfo} into a {@link LaunchSpec}, rejecting with a sentence what the
 * process containerizer cannot run yet (custom executors, Docker, URIs to fetch, secrets).
 * Stateless.
 */
public final class TaskInfos {
  private TaskInfos() {}

  /** The launch spec of a command task of {@code frameworkId}. */
  public static LaunchSpec toLaunchSpec(Protos.FrameworkID frameworkId, Protos.TaskInfo task) {
    String taskId = task.getTaskId().getValue();
    Check.argument(
        !task.hasExecutor(),
        "task '%s' names executor '%s'; the process containerizer runs command tasks only,"
            + " send a CommandInfo instead",
        taskId,
        task.getExecutor().getExecutorId().getValue());
    Check.argument(
        !task.hasContainer() || task.getContainer().getType() == Protos.ContainerInfo.Type.MESOS,
        "task '%s' asks for a %s container; the process containerizer runs MESOS containers"
            + " only (DOCKER tasks go to the docker containerizer)",
        taskId,
        task.getContainer().getType());
    Check.argument(task.hasCommand(), "task '%s' has neither a command nor an executor", taskId);
    Protos.CommandInfo command = task.getCommand();
    Check.argument(
        command.getUrisCount() == 0,
        "task '%s' asks to fetch %s URIs; the fetcher is not implemented yet",
        taskId,
        command.getUrisCount());
    Duration grace =
        task.getKillPolicy().hasGracePeriod()
            ? Duration.ofNanos(task.getKillPolicy().getGracePeriod().getNanoseconds())
            : LaunchSpec.DEFAULT_KILL_GRACE_PERIOD;
    return new LaunchSpec(
        taskId,
        frameworkId.getValue(),
        taskId, // Mesos's command executor takes the task's id as its executor id.
        commandSpec(taskId, command),
        environment(taskId, command.getEnvironment()),
        resources(task.getResourcesList()),
        grace,
        rlimits(taskId, task.getContainer().getRlimitInfo()));
  }

  /**
   * Mesos's {@code ContainerInfo.rlimit_info}: each limit names a known resource once, with soft
   * and hard both set (soft &lt;= hard) or both unset (unlimited).
   */
  static List<RLimit> rlimits(String taskId, Protos.RLimitInfo info) {
    List<RLimit> limits = new ArrayList<>();
    for (Protos.RLimitInfo.RLimit limit : info.getRlimitsList()) {
      Check.argument(
          limit.hasType() && limit.getType() != Protos.RLimitInfo.RLimit.Type.UNKNOWN,
          "task '%s': an rlimit has no type; use one of RLMT_AS ... RLMT_STACK",
          taskId);
      String resource = limit.getType().name().substring("RLMT_".length());
      try {
        limits.add(
            new RLimit(
                resource,
                limit.hasSoft() ? OptionalLong.of(limit.getSoft()) : OptionalLong.empty(),
                limit.hasHard() ? OptionalLong.of(limit.getHard()) : OptionalLong.empty()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("task '" + taskId + "': " + e.getMessage(), e);
      }
    }
    return limits;
  }

  private static CommandSpec commandSpec(String taskId, Protos.CommandInfo command) {
    if (command.getShell()) {
      Check.argument(
          command.hasValue() && !command.getValue().isBlank(),
          "task '%s': a shell command needs a value",
          taskId);
      return CommandSpec.shell(command.getValue());
    }
    List<String> argv = new ArrayList<>();
    if (command.hasValue()) {
      argv.add(command.getValue());
      // Mesos passes arguments as the full argv, argv[0] included; the program is the value.
      argv.addAll(
          command
              .getArgumentsList()
              .subList(Math.min(1, command.getArgumentsCount()), command.getArgumentsCount()));
    } else {
      argv.addAll(command.getArgumentsList());
    }
    Check.argument(
        !argv.isEmpty(), "task '%s': a non-shell command needs a value or arguments", taskId);
    return CommandSpec.argv(argv.toArray(String[]::new));
  }

  private static Map<String, String> environment(String taskId, Protos.Environment environment) {
    Map<String, String> env = new TreeMap<>();
    for (Protos.Environment.Variable variable : environment.getVariablesList()) {
      Check.argument(
          variable.getType() != Protos.Environment.Variable.Type.SECRET,
          "task '%s': variable '%s' is a secret; secrets are not supported yet",
          taskId,
          variable.getName());
      env.put(variable.getName(), variable.getValue());
    }
    return env;
  }

  private static TaskResources resources(List<Protos.Resource> resources) {
    double cpus = 0;
    double memMb = 0;
    List<Integer> ports = new ArrayList<>();
    for (Protos.Resource resource : resources) {
      switch (resource.getName()) {
        case "cpus" -> cpus += resource.getScalar().getValue();
        case "mem" -> memMb += resource.getScalar().getValue();
        case "ports" -> {
          for (Protos.Value.Range range : resource.getRanges().getRangeList()) {
            Check.argument(
                range.getEnd() - range.getBegin() < TaskResources.PORTS_MAX,
                "port range [%s-%s] holds more than %s ports",
                range.getBegin(),
                range.getEnd(),
                TaskResources.PORTS_MAX);
            for (long port = range.getBegin(); port <= range.getEnd(); port++) {
              ports.add((int) port);
            }
          }
        }
        default -> {
          // disk, gpus and custom resources are accounted by the master, not enforced here.
        }
      }
    }
    return new TaskResources(cpus, memMb, ports);
  }
}
