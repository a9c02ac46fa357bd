package io.cairn.agent.internal.docker;

import io.cairn.agent.internal.core.LaunchSpec;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A validated DOCKER task: the parts every containerizer shares ({@link LaunchSpec}: ids,
 * environment, resources, kill grace period; its command is what the container runs) plus what
 * only Docker needs. Built by {@link DockerTaskInfos#toDockerTask}; turned into a {@link
 * ContainerSpec} once the container id and sandbox are known.
 *
 * @param spec ids, command, environment, resources (ports in offer order), grace period
 * @param image the image reference
 * @param forcePull {@code force_pull_image}
 * @param network {@code host}, {@code bridge}, {@code none} or a user network's name
 * @param ports published ports (host port from the task's ports resource → container port)
 * @param volumes bind mounts; a relative host path is relative to the sandbox (as in Mesos)
 * @param privileged {@code DockerInfo.privileged}
 * @param options mapped docker parameters
 * @param extraEnv variables from {@code env} parameters (applied like the task's own)
 * @param extraLabels the task's labels and {@code label} parameters
 * @param defaultCommand true when the image's own entrypoint/cmd run (no command value, no
 *     arguments)
 */
public record DockerTask(
    LaunchSpec spec,
    String image,
    boolean forcePull,
    String network,
    List<ContainerSpec.PortBinding> ports,
    List<ContainerSpec.Bind> volumes,
    boolean privileged,
    ContainerSpec.RunOptions options,
    Map<String, String> extraEnv,
    Map<String, String> extraLabels,
    boolean defaultCommand) {
  /** Copies collections. */
  public DockerTask {
    ports = List.copyOf(ports);
    volumes = List.copyOf(volumes);
    extraEnv = Map.copyOf(new TreeMap<>(extraEnv));
    extraLabels = Map.copyOf(new TreeMap<>(extraLabels));
  }

  /** The task id. */
  public String taskId() {
    return spec.taskId();
  }
}
