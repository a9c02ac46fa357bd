package io.cairn.agent.internal.docker;

import io.cairn.agent.internal.core.CommandSpec;
import io.cairn.agent.internal.core.LaunchSpec;
import io.cairn.agent.internal.core.TaskEnvironment;
import io.cairn.env.Check;
import io.cairn.proto.mesos.v1.Protos;
import io.cairn.proto.mesos.v1.Protos.ContainerInfo.DockerInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The mapping from a Mesos v1 {@code TaskInfo} whose container is DOCKER to the container the
 * engine creates, as Mesos's docker containerizer does it ({@code Docker::RunOptions::create}):
 *
 * <ul>
 *   <li>command: {@code shell=true} with a value runs {@code /bin/sh -c value} as the entrypoint
 *       (Marathon's {@code cmd}); {@code shell=false} keeps the image's entrypoint and passes the
 *       value (if any) and the arguments as its command (Marathon's {@code args}); neither runs
 *       the image's defaults.
 *   <li>environment: the process containerizer's ({@link TaskEnvironment}: HOST, PORT0.., PORT,
 *       PORTS, the task's variables, MESOS_*), except that PATH is left to the image and
 *       MESOS_SANDBOX is {@code /mnt/mesos/sandbox}, where the sandbox is mounted.
 *   <li>network: HOST → {@code host}, BRIDGE → {@code bridge}, NONE → {@code none}, USER → the
 *       name of the task's first {@code NetworkInfo}. Port mappings (BRIDGE/USER only) must use
 *       host ports from the task's {@code ports} resource.
 *   <li>limits: cpu shares 1024 per cpu (at least 2), CFS quota cpus × 100 ms per 100 ms, memory
 *       = mem (at least 32 MB); Mesos's minimums.
 *   <li>labels: {@code io.cairn.agent.id}, {@code io.cairn.framework.id}, {@code io.cairn.task.id},
 *       {@code io.cairn.executor.id}, {@code io.cairn.container.id}, plus the task's own labels.
 * </ul>
 *
 * Everything the containerizer cannot honour is rejected with a sentence. Stateless and pure.
 */
public final class DockerTaskInfos {
  /** Where the sandbox is mounted in the container (Mesos's {@code --sandbox_directory}). */
  public static final String SANDBOX_IN_CONTAINER = "/mnt/mesos/sandbox";

  /** Label naming the agent; recovery lists containers by it. */
  public static final String LABEL_AGENT = "io.cairn.agent.id";

  /** Label naming the task's framework. */
  public static final String LABEL_FRAMEWORK = "io.cairn.framework.id";

  /** Label naming the task. */
  public static final String LABEL_TASK = "io.cairn.task.id";

  /** Label naming the executor (the task id for a command task). */
  public static final String LABEL_EXECUTOR = "io.cairn.executor.id";

  /** Label naming the container id (the sandbox's run directory). */
  public static final String LABEL_CONTAINER = "io.cairn.container.id";

  /** Mesos's minimum cpu shares and shares per cpu (slave/constants.hpp). */
  static final long MIN_CPU_SHARES = 2;

  static final long CPU_SHARES_PER_CPU = 1024;

  /** Mesos's minimum memory for a container (slave/constants.hpp MIN_MEMORY). */
  static final long MIN_MEMORY_BYTES = 32L * 1024 * 1024;

  /** Mesos's minimum CFS quota (slave/constants.hpp MIN_CPU_CFS_QUOTA, 1 ms). */
  static final long MIN_CPU_QUOTA_MICROS = 1000;

  /** The docker parameters (without the leading --) Cairn maps; others are rejected. */
  public static final List<String> SUPPORTED_PARAMETERS = List.of("add-host", "cap-add",
      "cap-drop", "dns", "env", "hostname", "init", "label", "memory-swap", "pids-limit",
      "read-only", "shm-size", "user", "workdir");

  private DockerTaskInfos() {}

  /** The container name of a container id, as Mesos's docker containerizer names it. */
  public static String containerName(String containerId) {
    return "mesos-" + containerId;
  }

  /**
   * Validates a DOCKER task of {@code frameworkId} and extracts what its container needs. Throws
   * {@link IllegalArgumentException} with a sentence naming the task when something cannot run.
   */
  public static DockerTask toDockerTask(Protos.FrameworkID frameworkId, Protos.TaskInfo task) {
    String taskId = task.getTaskId().getValue();
    Check.argument(task.hasContainer()
        && task.getContainer().getType() == Protos.ContainerInfo.Type.DOCKER,
        "task '%s' is not a DOCKER task", taskId);
    Check.argument(!task.hasExecutor(), "task '%s' names executor '%s'; the docker containerizer"
        + " runs command tasks only (no custom executors)", taskId,
        task.getExecutor().getExecutorId().getValue());
    Protos.ContainerInfo container = task.getContainer();
    Check.argument(container.hasDocker() && !container.getDocker().getImage().isBlank(),
        "task '%s' is a DOCKER task without docker.image; name an image, e.g. busybox:1.36",
        taskId);
    DockerInfo docker = container.getDocker();
    Protos.CommandInfo command = task.hasCommand() ? task.getCommand()
        : Protos.CommandInfo.newBuilder().setShell(false).build();
    Check.argument(command.getUrisCount() == 0,
        "task '%s' asks to fetch %s URIs; the fetcher is not implemented yet", taskId,
        command.getUrisCount());
    boolean shellCommand = command.getShell() && command.hasValue()
        && !command.getValue().isBlank();
    List<String> argv = new ArrayList<>();
    if (!shellCommand) {
      if (command.hasValue() && !command.getValue().isBlank()) {
        argv.add(command.getValue());
      }
      argv.addAll(command.getArgumentsList());
    }
    boolean defaultCommand = !shellCommand && argv.isEmpty();
    CommandSpec commandSpec = shellCommand ? CommandSpec.shell(command.getValue())
        // The image's own entrypoint/cmd: recorded as an empty argv (never executed by Cairn).
        : defaultCommand ? CommandSpec.argv("") : CommandSpec.argv(argv.toArray(String[]::new));

    Map<String, String> env = new TreeMap<>();
    for (Protos.Environment.Variable variable : command.getEnvironment().getVariablesList()) {
      Check.argument(variable.getType() != Protos.Environment.Variable.Type.SECRET,
          "task '%s': variable '%s' is a secret; secrets are not supported yet", taskId,
          variable.getName());
      env.put(variable.getName(), variable.getValue());
    }
    LaunchSpec base = io.cairn.agent.internal.containerizer.TaskInfos.toLaunchSpec(frameworkId,
        task.toBuilder().clearContainer().setCommand(Protos.CommandInfo.newBuilder()
            .setShell(true).setValue("docker")).build());
    LaunchSpec spec = new LaunchSpec(taskId, base.frameworkId(), base.executorId(), commandSpec,
        env, base.resources(), base.killGracePeriod());

    String network = network(taskId, container);
    List<ContainerSpec.PortBinding> ports = ports(taskId, container, network,
        spec.resources().ports());
    List<ContainerSpec.Bind> volumes = volumes(taskId, container.getVolumesList());

    Map<String, String> labels = new LinkedHashMap<>();
    for (Protos.Label label : task.getLabels().getLabelsList()) {
      labels.put(label.getKey(), label.getValue());
    }
    Map<String, String> extraEnv = new LinkedHashMap<>();
    ContainerSpec.RunOptions options = parameters(taskId, docker.getParametersList(),
        container.hasHostname() ? Optional.of(container.getHostname()) : Optional.empty(),
        extraEnv, labels);
    for (String key : labels.keySet()) {
      Check.argument(!key.startsWith("io.cairn."), "task '%s': label '%s' is reserved; the "
          + "io.cairn.* labels tie a container to its task", taskId, key);
    }
    return new DockerTask(spec, docker.getImage().trim(), docker.getForcePullImage(), network,
        ports, volumes, docker.getPrivileged(), options, extraEnv, labels, defaultCommand);
  }

  /**
   * The container for {@code task}: named after {@code containerId}, the sandbox (on the agent at
   * {@code sandbox}) mounted at {@link #SANDBOX_IN_CONTAINER}.
   */
  public static ContainerSpec containerSpec(DockerTask task, String containerId, String agentId,
      String hostname, Path sandbox) {
    LaunchSpec spec = task.spec();
    Map<String, String> taskVariables = new TreeMap<>(task.extraEnv());
    taskVariables.putAll(spec.environment());
    Map<String, String> env = TaskEnvironment.build(spec.withEnvironment(taskVariables),
        new TaskEnvironment.Context(agentId, hostname, Path.of(SANDBOX_IN_CONTAINER), ""));
    if (!taskVariables.containsKey("PATH")) {
      env.remove("PATH"); // the image's PATH applies, as with docker run
    }
    Map<String, String> labels = new TreeMap<>(task.extraLabels());
    labels.put(LABEL_AGENT, agentId);
    labels.put(LABEL_FRAMEWORK, spec.frameworkId());
    labels.put(LABEL_TASK, spec.taskId());
    labels.put(LABEL_EXECUTOR, spec.executorId());
    labels.put(LABEL_CONTAINER, containerId);

    Optional<List<String>> entrypoint = Optional.empty();
    List<String> cmd = List.of();
    if (spec.command().shell()) {
      entrypoint = Optional.of(List.of("/bin/sh"));
      cmd = List.of("-c", spec.command().value());
    } else if (!task.defaultCommand()) {
      cmd = spec.command().arguments();
    }

    List<ContainerSpec.Bind> binds = new ArrayList<>();
    binds.add(new ContainerSpec.Bind(sandbox.toString(), SANDBOX_IN_CONTAINER, false));
    for (ContainerSpec.Bind volume : task.volumes()) {
      String host = volume.hostPath().startsWith("/") ? volume.hostPath()
          : sandbox.resolve(volume.hostPath()).normalize().toString();
      Check.argument(host.startsWith("/") && (volume.hostPath().startsWith("/")
          || Path.of(host).startsWith(sandbox)), "task '%s': volume host path '%s' leaves the"
          + " sandbox", spec.taskId(), volume.hostPath());
      binds.add(new ContainerSpec.Bind(host, volume.containerPath(), volume.readOnly()));
    }

    double cpus = spec.resources().cpus();
    long shares = Math.max(MIN_CPU_SHARES, Math.round(CPU_SHARES_PER_CPU * cpus));
    long quota = cpus > 0
        ? Math.max(MIN_CPU_QUOTA_MICROS, Math.round(ContainerSpec.CPU_PERIOD_MICROS * cpus)) : 0;
    long memory = spec.resources().memMb() > 0
        ? Math.max(MIN_MEMORY_BYTES, Math.round(spec.resources().memMb() * 1024 * 1024)) : 0;
    return new ContainerSpec(containerName(containerId), task.image(), task.forcePull(),
        entrypoint, cmd, env, labels, task.network(), task.ports(), binds, shares, quota, memory,
        task.privileged(), task.options());
  }

  private static String network(String taskId, Protos.ContainerInfo container) {
    DockerInfo.Network network = container.getDocker().getNetwork();
    return switch (network) {
      case HOST -> "host";
      case BRIDGE -> "bridge";
      case NONE -> "none";
      case USER -> {
        Check.argument(container.getNetworkInfosCount() == 1
            && !container.getNetworkInfos(0).getName().isBlank(),
            "task '%s': a USER network needs exactly one network_infos entry with a name (the"
                + " docker network), found %s", taskId, container.getNetworkInfosCount());
        yield container.getNetworkInfos(0).getName();
      }
    };
  }

  private static List<ContainerSpec.PortBinding> ports(String taskId,
      Protos.ContainerInfo container, String network, List<Integer> offeredPorts) {
    List<ContainerSpec.PortBinding> bindings = new ArrayList<>();
    List<PortMappingView> mappings = new ArrayList<>();
    for (DockerInfo.PortMapping m : container.getDocker().getPortMappingsList()) {
      mappings.add(new PortMappingView(m.getHostPort(), m.getContainerPort(), m.getProtocol()));
    }
    if (container.getDocker().getNetwork() == DockerInfo.Network.USER) {
      for (Protos.NetworkInfo info : container.getNetworkInfosList()) {
        for (Protos.NetworkInfo.PortMapping m : info.getPortMappingsList()) {
          mappings.add(new PortMappingView(m.getHostPort(), m.getContainerPort(),
              m.getProtocol()));
        }
      }
    }
    if (mappings.isEmpty()) {
      return bindings;
    }
    Check.argument(network.equals("bridge") || container.getDocker().getNetwork()
        == DockerInfo.Network.USER, "task '%s': port mappings need a BRIDGE or USER network, "
        + "not %s; with HOST networking the task uses its offered ports directly", taskId,
        container.getDocker().getNetwork());
    Set<Integer> offered = new HashSet<>(offeredPorts);
    for (PortMappingView m : mappings) {
      Check.argument(m.containerPort() > 0 && m.containerPort() <= 65535,
          "task '%s': container port %s is not in 1..65535", taskId, m.containerPort());
      Check.argument(offered.contains(m.hostPort()), "task '%s': host port %s of the mapping to"
          + " container port %s is not among the task's ports resources %s; map onto ports the"
          + " task was offered", taskId, m.hostPort(), m.containerPort(), offeredPorts);
      String protocols = m.protocol().isBlank() ? "tcp" : m.protocol().toLowerCase(Locale.ROOT);
      for (String protocol : protocols.split(",")) {
        String p = protocol.trim();
        Check.argument(p.equals("tcp") || p.equals("udp"), "task '%s': protocol '%s' of the "
            + "mapping to container port %s is neither tcp nor udp", taskId, p, m.containerPort());
        bindings.add(new ContainerSpec.PortBinding(m.hostPort(), m.containerPort(), p));
      }
    }
    return bindings;
  }

  private record PortMappingView(int hostPort, int containerPort, String protocol) {}

  private static List<ContainerSpec.Bind> volumes(String taskId, List<Protos.Volume> volumes) {
    List<ContainerSpec.Bind> binds = new ArrayList<>();
    for (Protos.Volume volume : volumes) {
      String hostPath;
      if (volume.hasHostPath()) {
        hostPath = volume.getHostPath();
      } else if (volume.hasSource() && volume.getSource().hasHostPath()) {
        hostPath = volume.getSource().getHostPath().getPath();
      } else {
        throw new IllegalArgumentException(String.format("task '%s': volume '%s' has no host "
            + "path; the docker containerizer mounts host paths (absolute, or relative to the "
            + "sandbox) only", taskId, volume.getContainerPath()));
      }
      Check.argument(volume.getContainerPath().startsWith("/"), "task '%s': volume container "
          + "path '%s' must be absolute", taskId, volume.getContainerPath());
      Check.argument(!hostPath.isBlank() && !hostPath.contains(":")
          && !volume.getContainerPath().contains(":"), "task '%s': volume '%s' -> '%s' is empty"
          + " or contains ':'", taskId, hostPath, volume.getContainerPath());
      binds.add(new ContainerSpec.Bind(hostPath, volume.getContainerPath(),
          volume.getMode() == Protos.Volume.Mode.RO));
    }
    return binds;
  }

  private static ContainerSpec.RunOptions parameters(String taskId,
      List<Protos.Parameter> parameters, Optional<String> containerHostname,
      Map<String, String> env, Map<String, String> labels) {
    Optional<String> user = Optional.empty();
    Optional<String> workdir = Optional.empty();
    Optional<String> hostname = containerHostname;
    List<String> extraHosts = new ArrayList<>();
    List<String> capAdd = new ArrayList<>();
    List<String> capDrop = new ArrayList<>();
    List<String> dns = new ArrayList<>();
    Optional<Long> pidsLimit = Optional.empty();
    boolean readOnly = false;
    boolean init = false;
    Optional<Long> shmSize = Optional.empty();
    Optional<Long> memorySwap = Optional.empty();
    for (Protos.Parameter parameter : parameters) {
      String key = parameter.getKey().startsWith("--") ? parameter.getKey().substring(2)
          : parameter.getKey();
      String value = parameter.getValue();
      switch (key) {
        case "user" -> user = Optional.of(nonBlank(taskId, key, value));
        case "workdir" -> workdir = Optional.of(nonBlank(taskId, key, value));
        case "hostname" -> hostname = Optional.of(nonBlank(taskId, key, value));
        case "add-host" -> extraHosts.add(nonBlank(taskId, key, value));
        case "cap-add" -> capAdd.add(nonBlank(taskId, key, value));
        case "cap-drop" -> capDrop.add(nonBlank(taskId, key, value));
        case "dns" -> dns.add(nonBlank(taskId, key, value));
        case "pids-limit" -> pidsLimit = Optional.of(number(taskId, key, value));
        case "read-only" -> readOnly = bool(taskId, key, value);
        case "init" -> init = bool(taskId, key, value);
        case "shm-size" -> shmSize = Optional.of(bytes(taskId, key, value));
        case "memory-swap" -> memorySwap = Optional.of(
            value.trim().equals("-1") ? -1L : bytes(taskId, key, value));
        case "env" -> {
          int eq = value.indexOf('=');
          Check.argument(eq > 0, "task '%s': docker parameter env='%s' is not NAME=value",
              taskId, value);
          env.put(value.substring(0, eq), value.substring(eq + 1));
        }
        case "label" -> {
          int eq = value.indexOf('=');
          labels.put(eq < 0 ? value : value.substring(0, eq),
              eq < 0 ? "" : value.substring(eq + 1));
        }
        default -> throw new IllegalArgumentException(String.format("task '%s': docker "
            + "parameter '%s' is not supported by Cairn's docker containerizer; supported: %s",
            taskId, parameter.getKey(), SUPPORTED_PARAMETERS));
      }
    }
    return new ContainerSpec.RunOptions(user, workdir, hostname, extraHosts, capAdd, capDrop,
        dns, pidsLimit, readOnly, init, shmSize, memorySwap);
  }

  private static String nonBlank(String taskId, String key, String value) {
    Check.argument(!value.isBlank(), "task '%s': docker parameter %s needs a value", taskId, key);
    return value.trim();
  }

  private static long number(String taskId, String key, String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(String.format("task '%s': docker parameter %s='%s' is"
          + " not a whole number", taskId, key, value), e);
    }
  }

  private static boolean bool(String taskId, String key, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    Check.argument(v.isEmpty() || v.equals("true") || v.equals("false"),
        "task '%s': docker parameter %s='%s' is neither true nor false", taskId, key, value);
    return !v.equals("false");
  }

  /** "64m", "1g", "512k", "1048576" (docker's units, powers of 1024). */
  static long bytes(String taskId, String key, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    long unit = 1;
    if (v.endsWith("b")) {
      v = v.substring(0, v.length() - 1);
    }
    if (!v.isEmpty()) {
      switch (v.charAt(v.length() - 1)) {
        case 'k' -> unit = 1024L;
        case 'm' -> unit = 1024L * 1024;
        case 'g' -> unit = 1024L * 1024 * 1024;
        default -> unit = 1;
      }
      if (unit > 1) {
        v = v.substring(0, v.length() - 1);
      }
    }
    try {
      long n = Long.parseLong(v);
      Check.argument(n > 0, "task '%s': docker parameter %s='%s' must be positive", taskId, key,
          value);
      return Math.multiplyExact(n, unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(String.format("task '%s': docker parameter %s='%s' is"
          + " not a size like 64m or 1g", taskId, key, value), e);
    }
  }
}
