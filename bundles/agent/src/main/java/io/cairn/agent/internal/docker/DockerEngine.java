package io.cairn.agent.internal.docker;

import java.io.Closeable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The few Docker engine operations the docker containerizer needs. Blocking; thread-safe. Every
 * failure is a {@link DockerEngineException} whose message says what the engine refused and why.
 * {@link DockerJavaEngine} implements it with docker-java.
 */
public interface DockerEngine extends AutoCloseable {
  /** "Docker 20.10.24 (API 1.41)"; fails when no engine answers. */
  String version();

  /** True when the image is present locally. */
  boolean imagePresent(String image);

  /** Pulls the image (a missing tag means {@code latest}). */
  void pull(String image, Duration timeout);

  /** Creates the container and returns its id. */
  String create(ContainerSpec spec);

  /** Starts a created container. */
  void start(String containerId);

  /** The container's state; empty when no container has this id or name. */
  Optional<ContainerState> inspect(String idOrName);

  /** Containers (running or not) carrying every label of {@code labels}. */
  List<ContainerState> listByLabels(Map<String, String> labels);

  /**
   * Waits asynchronously for the container to exit: {@code onExit} gets its exit code, {@code
   * onError} a failure (container removed, engine gone). Closing stops waiting.
   */
  Closeable awaitExit(String containerId, Consumer<Integer> onExit, Consumer<Throwable> onError);

  /**
   * Appends the container's stdout and stderr (since {@code sinceEpochSeconds}, 0 = from the
   * start) to the files, following until the container stops or the stream is closed.
   */
  Closeable followLogs(String containerId, long sinceEpochSeconds, Path stdout, Path stderr);

  /** {@code docker stop -t}: SIGTERM (or the image's stop signal), SIGKILL after the timeout. */
  void stop(String containerId, Duration timeout);

  /** Removes the container (forced, with its anonymous volumes); absent is fine. */
  void remove(String containerId);

  /** Closes the connection pool. */
  @Override
  void close();

  /**
   * What the engine says about one container.
   *
   * @param id the full container id
   * @param name the name without the leading slash
   * @param running true while it runs
   * @param exitCode the exit code once it stopped
   * @param pid the init process's pid on the host (0 when not running)
   * @param error the engine's error text for a failed start, or empty
   * @param labels the container's labels
   */
  record ContainerState(String id, String name, boolean running, Optional<Integer> exitCode,
      long pid, String error, Map<String, String> labels) {
    /** Copies the labels. */
    public ContainerState {
      labels = Map.copyOf(labels);
    }
  }
}
