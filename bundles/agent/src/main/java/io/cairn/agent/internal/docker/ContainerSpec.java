package io.cairn.agent.internal.docker;

import io.cairn.env.Check;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything the Docker engine is asked for to create one task's container: what {@code docker
 * run} would be given. Built from a TaskInfo by {@link DockerTaskInfos#containerSpec}; handed to
 * {@link DockerEngine#create}. Immutable.
 *
 * @param name the container name, {@code mesos-<containerId>} as Mesos's docker containerizer
 * @param image the image reference
 * @param forcePull pull even when the image is present ({@code DockerInfo.force_pull_image})
 * @param entrypoint replaces the image's entrypoint when present ({@code /bin/sh} for a shell
 *     command)
 * @param cmd the command (arguments after the image); empty keeps the image's default
 * @param env the container's environment
 * @param labels docker labels; the {@code io.cairn.*} ones tie the container to its task
 * @param networkMode {@code host}, {@code bridge}, {@code none} or a user network's name
 * @param ports published ports (BRIDGE and USER networks)
 * @param binds host paths mounted into the container (the sandbox included)
 * @param cpuShares relative cpu weight (1024 per cpu, at least 2, as Mesos)
 * @param cpuQuotaMicros CFS quota per {@link #CPU_PERIOD_MICROS}; 0 = no quota
 * @param memoryBytes hard memory limit; 0 = none
 * @param privileged {@code DockerInfo.privileged}
 * @param options the docker parameters Cairn maps ({@code user}, {@code workdir}, ...)
 */
public record ContainerSpec(
    String name,
    String image,
    boolean forcePull,
    Optional<List<String>> entrypoint,
    List<String> cmd,
    Map<String, String> env,
    Map<String, String> labels,
    String networkMode,
    List<PortBinding> ports,
    List<Bind> binds,
    long cpuShares,
    long cpuQuotaMicros,
    long memoryBytes,
    boolean privileged,
    RunOptions options) {
  /** CFS period used with {@link #cpuQuotaMicros} (docker's default, 100 ms). */
  public static final long CPU_PERIOD_MICROS = 100_000;

  /** Copies collections; sorts env and labels. */
  public ContainerSpec {
    Check.argument(!image.isBlank(), "container %s has no image", name);
    entrypoint = entrypoint.map(List::copyOf);
    cmd = List.copyOf(cmd);
    env = Map.copyOf(new TreeMap<>(env));
    labels = Map.copyOf(new TreeMap<>(labels));
    ports = List.copyOf(ports);
    binds = List.copyOf(binds);
  }

  /**
   * One published port: {@code hostPort} on the agent forwards to {@code containerPort}.
   *
   * @param hostPort a port of the task's offered {@code ports} resource
   * @param containerPort the port inside the container
   * @param protocol {@code tcp} or {@code udp}
   */
  public record PortBinding(int hostPort, int containerPort, String protocol) {}

  /**
   * A bind mount.
   *
   * @param hostPath absolute path on the agent
   * @param containerPath absolute path in the container
   * @param readOnly true for {@code :ro}
   */
  public record Bind(String hostPath, String containerPath, boolean readOnly) {}

  /**
   * The docker-run flags a task may pass as {@code DockerInfo.parameters} (Marathon's {@code
   * container.docker.parameters}) that Cairn maps. Unknown keys are rejected at launch.
   *
   * @param user {@code --user}
   * @param workdir {@code --workdir}
   * @param hostname {@code --hostname} (or {@code ContainerInfo.hostname})
   * @param extraHosts {@code --add-host host:ip}
   * @param capAdd {@code --cap-add}
   * @param capDrop {@code --cap-drop}
   * @param dns {@code --dns}
   * @param pidsLimit {@code --pids-limit}
   * @param readOnlyRootfs {@code --read-only}
   * @param init {@code --init}
   * @param shmSizeBytes {@code --shm-size}
   * @param memorySwapBytes {@code --memory-swap}
   */
  public record RunOptions(
      Optional<String> user,
      Optional<String> workdir,
      Optional<String> hostname,
      List<String> extraHosts,
      List<String> capAdd,
      List<String> capDrop,
      List<String> dns,
      Optional<Long> pidsLimit,
      boolean readOnlyRootfs,
      boolean init,
      Optional<Long> shmSizeBytes,
      Optional<Long> memorySwapBytes) {
    /** Copies the lists. */
    public RunOptions {
      extraHosts = List.copyOf(extraHosts);
      capAdd = List.copyOf(capAdd);
      capDrop = List.copyOf(capDrop);
      dns = List.copyOf(dns);
    }

    /** No options. */
    public static RunOptions none() {
      return new RunOptions(Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
          List.of(), List.of(), List.of(), Optional.empty(), false, false, Optional.empty(),
          Optional.empty());
    }
  }
}
