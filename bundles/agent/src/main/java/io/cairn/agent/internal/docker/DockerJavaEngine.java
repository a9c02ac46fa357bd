package io.cairn.agent.internal.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.api.model.WaitResponse;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DockerEngine} on docker-java 3.7.1 with its zero-dependency transport (a unix socket
 * through JNA, or TCP). The API version is negotiated by leaving it unset: the engine answers in
 * its own newest version. Asynchronous calls (wait, logs) run on docker-java's own threads.
 */
public final class DockerJavaEngine implements DockerEngine {
  private static final Logger LOG = LoggerFactory.getLogger(DockerJavaEngine.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String endpoint;
  private final DockerHttpClient http;
  private final DockerClient client;

  /** A client of the engine at {@code endpoint} ({@code unix:///var/run/docker.sock}). */
  public DockerJavaEngine(String endpoint) {
    this.endpoint = endpoint;
    DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(endpoint).withDockerTlsVerify(false).build();
    this.http = new ZerodepDockerHttpClient.Builder().dockerHost(URI.create(endpoint))
        .maxConnections(64).connectionTimeout(CONNECT_TIMEOUT).build();
    this.client = DockerClientImpl.getInstance(config, http);
  }

  @Override
  public String version() {
    try {
      Version version = client.versionCmd().exec();
      return "Docker " + version.getVersion() + " (API " + version.getApiVersion() + ")";
    } catch (RuntimeException e) {
      throw refused("answer a version request", e);
    }
  }

  @Override
  public boolean imagePresent(String image) {
    try {
      client.inspectImageCmd(image).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    } catch (RuntimeException e) {
      throw refused("inspect image '" + image + "'", e);
    }
  }

  @Override
  public void pull(String image, Duration timeout) {
    ImageReference reference = ImageReference.parse(image);
    try {
      boolean done = client.pullImageCmd(reference.repository()).withTag(reference.tag())
          .start().awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!done) {
        throw new DockerEngineException(String.format("pulling image '%s' did not finish "
            + "within %s", image, timeout));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DockerEngineException("interrupted while pulling image '" + image + "'", e);
    } catch (DockerEngineException e) {
      throw e;
    } catch (RuntimeException e) {
      throw refused("pull image '" + image + "'", e);
    }
  }

  @Override
  public String create(ContainerSpec spec) {
    HostConfig host = HostConfig.newHostConfig()
        .withNetworkMode(spec.networkMode())
        .withPrivileged(spec.privileged())
        .withBinds(spec.binds().stream().map(b -> new Bind(b.hostPath(),
            new Volume(b.containerPath()), b.readOnly() ? AccessMode.ro : AccessMode.rw))
            .toList());
    if (spec.cpuShares() > 0) {
      host.withCpuShares((int) Math.min(Integer.MAX_VALUE, spec.cpuShares()));
    }
    if (spec.cpuQuotaMicros() > 0) {
      host.withCpuPeriod(ContainerSpec.CPU_PERIOD_MICROS).withCpuQuota(spec.cpuQuotaMicros());
    }
    if (spec.memoryBytes() > 0) {
      host.withMemory(spec.memoryBytes());
      host.withMemorySwap(spec.options().memorySwapBytes().orElse(spec.memoryBytes()));
    }
    ContainerSpec.RunOptions options = spec.options();
    if (!options.extraHosts().isEmpty()) {
      host.withExtraHosts(options.extraHosts().toArray(String[]::new));
    }
    if (!options.capAdd().isEmpty()) {
      host.withCapAdd(capabilities(options.capAdd()));
    }
    if (!options.capDrop().isEmpty()) {
      host.withCapDrop(capabilities(options.capDrop()));
    }
    if (!options.dns().isEmpty()) {
      host.withDns(options.dns());
    }
    options.pidsLimit().ifPresent(host::withPidsLimit);
    options.shmSizeBytes().ifPresent(host::withShmSize);
    if (options.readOnlyRootfs()) {
      host.withReadonlyRootfs(true);
    }
    if (options.init()) {
      host.withInit(true);
    }
    List<ExposedPort> exposed = new ArrayList<>();
    if (!spec.ports().isEmpty()) {
      Ports bindings = new Ports();
      for (ContainerSpec.PortBinding port : spec.ports()) {
        ExposedPort container = port.protocol().equals("udp")
            ? ExposedPort.udp(port.containerPort()) : ExposedPort.tcp(port.containerPort());
        exposed.add(container);
        bindings.bind(container, Ports.Binding.bindPort(port.hostPort()));
      }
      host.withPortBindings(bindings);
    }
    CreateContainerCmd create = client.createContainerCmd(spec.image())
        .withName(spec.name())
        .withEnv(spec.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
            .toList())
        .withLabels(spec.labels())
        .withHostConfig(host);
    if (!exposed.isEmpty()) {
      create.withExposedPorts(exposed);
    }
    spec.entrypoint().ifPresent(create::withEntrypoint);
    if (!spec.cmd().isEmpty()) {
      create.withCmd(spec.cmd());
    }
    options.user().ifPresent(create::withUser);
    options.workdir().ifPresent(create::withWorkingDir);
    options.hostname().ifPresent(create::withHostName);
    try {
      return create.exec().getId();
    } catch (RuntimeException e) {
      throw refused("create container " + spec.name() + " from image '" + spec.image() + "'", e);
    }
  }

  private static Capability[] capabilities(List<String> names) {
    List<Capability> caps = new ArrayList<>();
    for (String name : names) {
      String normal = name.toUpperCase(Locale.ROOT).replaceFirst("^CAP_", "");
      try {
        caps.add(Capability.valueOf(normal));
      } catch (IllegalArgumentException e) {
        throw new DockerEngineException("unknown capability '" + name + "'", e);
      }
    }
    return caps.toArray(Capability[]::new);
  }

  @Override
  public void start(String containerId) {
    try {
      client.startContainerCmd(containerId).exec();
    } catch (RuntimeException e) {
      throw refused("start container " + containerId, e);
    }
  }

  @Override
  public Optional<ContainerState> inspect(String idOrName) {
    try {
      InspectContainerResponse r = client.inspectContainerCmd(idOrName).exec();
      InspectContainerResponse.ContainerState s = r.getState();
      boolean running = Boolean.TRUE.equals(s.getRunning());
      Optional<Integer> exit = running || s.getExitCodeLong() == null ? Optional.empty()
          : Optional.of(s.getExitCodeLong().intValue());
      String name = r.getName() == null ? "" : r.getName().replaceFirst("^/", "");
      Map<String, String> labels = r.getConfig() == null || r.getConfig().getLabels() == null
          ? Map.of() : r.getConfig().getLabels();
      return Optional.of(new ContainerState(r.getId(), name, running, exit,
          s.getPidLong() == null ? 0 : s.getPidLong(), s.getError() == null ? "" : s.getError(),
          labels));
    } catch (NotFoundException e) {
      return Optional.empty();
    } catch (RuntimeException e) {
      throw refused("inspect container " + idOrName, e);
    }
  }

  @Override
  public List<ContainerState> listByLabels(Map<String, String> labels) {
    try {
      List<ContainerState> found = new ArrayList<>();
      for (Container c : client.listContainersCmd().withShowAll(true).withLabelFilter(labels)
          .exec()) {
        String name = c.getNames() == null || c.getNames().length == 0 ? ""
            : c.getNames()[0].replaceFirst("^/", "");
        found.add(new ContainerState(c.getId(), name, "running".equals(c.getState()),
            Optional.empty(), 0, "", c.getLabels() == null ? Map.of() : c.getLabels()));
      }
      return found;
    } catch (RuntimeException e) {
      throw refused("list containers labelled " + labels, e);
    }
  }

  @Override
  public Closeable awaitExit(String containerId, Consumer<Integer> onExit,
      Consumer<Throwable> onError) {
    return client.waitContainerCmd(containerId).exec(new ResultCallback.Adapter<WaitResponse>() {
      private boolean reported;

      @Override
      public void onNext(WaitResponse response) {
        if (!reported && response.getStatusCode() != null) {
          reported = true;
          onExit.accept(response.getStatusCode());
        }
      }

      @Override
      public void onError(Throwable error) {
        if (!reported) {
          reported = true;
          onError.accept(error);
        }
      }

      @Override
      public void onComplete() {
        if (!reported) {
          reported = true;
          onError.accept(new DockerEngineException("the engine ended the wait for container "
              + containerId + " without an exit code"));
        }
      }
    });
  }

  @Override
  public Closeable followLogs(String containerId, long sinceEpochSeconds, Path stdout,
      Path stderr) {
    OutputStream out;
    OutputStream err;
    try {
      out = Files.newOutputStream(stdout, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      err = Files.newOutputStream(stderr, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new DockerEngineException("cannot open the sandbox log files " + stdout + ": "
          + e.getMessage(), e);
    }
    ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
      @Override
      public void onNext(Frame frame) {
        try {
          (frame.getStreamType() == StreamType.STDERR ? err : out).write(frame.getPayload());
          (frame.getStreamType() == StreamType.STDERR ? err : out).flush();
        } catch (IOException e) {
          // Named action: stop following; the container keeps running, its output is lost.
          LOG.warn("cannot write the logs of container={} to {}: {}", containerId,
              stdout.getParent(), e.getMessage());
          closeQuietly();
        }
      }

      @Override
      public void close() throws IOException {
        try {
          super.close();
        } finally {
          out.close();
          err.close();
        }
      }

      @Override
      public void onComplete() {
        super.onComplete();
        closeQuietly();
      }

      @Override
      public void onError(Throwable error) {
        LOG.info("log stream of container={} ended: {}", containerId, error.toString());
        closeQuietly();
      }

      private void closeQuietly() {
        try {
          close();
        } catch (IOException e) {
          LOG.debug("closing the log files of container={}: {}", containerId, e.getMessage());
        }
      }
    };
    try {
      return client.logContainerCmd(containerId).withStdOut(true).withStdErr(true)
          .withFollowStream(true).withSince((int) sinceEpochSeconds).exec(callback);
    } catch (RuntimeException e) {
      try {
        callback.close();
      } catch (IOException closing) {
        e.addSuppressed(closing);
      }
      throw refused("stream the logs of container " + containerId, e);
    }
  }

  @Override
  public void stop(String containerId, Duration timeout) {
    int seconds = (int) Math.min(Integer.MAX_VALUE, (timeout.toMillis() + 999) / 1000);
    try {
      client.stopContainerCmd(containerId).withTimeout(seconds).exec();
    } catch (NotModifiedException | NotFoundException e) {
      LOG.debug("stop of container={}: already stopped or gone", containerId);
    } catch (RuntimeException e) {
      throw refused("stop container " + containerId, e);
    }
  }

  @Override
  public void remove(String containerId) {
    try {
      client.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException e) {
      LOG.debug("remove of container={}: already gone", containerId);
    } catch (RuntimeException e) {
      throw refused("remove container " + containerId, e);
    }
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (IOException e) {
      LOG.warn("closing the docker client of {}: {}", endpoint, e.getMessage());
    }
  }

  private DockerEngineException refused(String what, RuntimeException e) {
    String why;
    if (e instanceof DockerException docker) {
      why = "the engine answered " + docker.getHttpStatus() + ": " + firstLine(
          docker.getMessage());
    } else {
      Set<String> causes = new LinkedHashSet<>();
      for (Throwable t = e; t != null && causes.size() < 4; t = t.getCause()) {
        causes.add(t.getClass().getSimpleName() + ": " + t.getMessage());
      }
      why = "no answer from the engine at " + endpoint + " (" + String.join("; ", causes) + ")";
    }
    return new DockerEngineException("Docker could not " + what + ": " + why, e);
  }

  /** The engine's reason: docker-java's "Status 500: {"message":"..."}" becomes the text. */
  static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    String text = message.replaceFirst("^Status \\d+: ", "").strip();
    int brace = text.indexOf('{');
    if (brace >= 0) {
      try {
        JsonNode body = JSON.readTree(text.substring(brace));
        if (body.hasNonNull("message")) {
          text = body.get("message").asText();
        }
      } catch (IOException e) {
        LOG.debug("engine error body is not JSON: {}", e.getMessage());
      }
    }
    int newline = text.indexOf('\n');
    return (newline < 0 ? text : text.substring(0, newline)).strip();
  }

  /** A parsed image reference: repository and tag ({@code latest} when absent) or digest. */
  record ImageReference(String repository, String tag) {
    static ImageReference parse(String image) {
      int at = image.indexOf('@');
      if (at >= 0) {
        return new ImageReference(image.substring(0, at), image.substring(at + 1));
      }
      int slash = image.lastIndexOf('/');
      int colon = image.lastIndexOf(':');
      if (colon > slash) {
        return new ImageReference(image.substring(0, colon), image.substring(colon + 1));
      }
      return new ImageReference(image, "latest");
    }
  }
}
