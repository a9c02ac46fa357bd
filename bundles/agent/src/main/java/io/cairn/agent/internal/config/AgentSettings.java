package io.cairn.agent.internal.config;

import io.cairn.agent.internal.core.MesosText;
import io.cairn.proto.mesos.v1.Protos.Attribute;
import io.cairn.proto.mesos.v1.Protos.Resource;
import io.cairn.proto.mesos.v1.Protos.Value;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The validated configuration of PID {@code io.cairn.agent}: keys {@code master}, {@code
 * resources}, {@code attributes}, {@code work_dir}, {@code hostname}, {@code http.host}, {@code
 * http.port}. Resources the operator leaves out are detected as Mesos does: all cores, memory
 * minus a reserve for the host (1 GB when there are at least 2 GB, else half), free disk of the
 * work dir minus a reserve (5 GB when at least 10 GB are free, else half), ports [31000-32000].
 * Every error is one sentence: PID, key, value and what was expected.
 *
 * @param masters where to find the leading master
 * @param resources the agent's total resources
 * @param attributes the agent's attributes
 * @param workDir sandboxes and checkpoints
 * @param hostname the name given to the master and to tasks (HOST)
 * @param httpHost address the agent's HTTP endpoint binds
 * @param httpPort the agent's HTTP port (0 = ephemeral, for tests)
 * @param statusUpdateRetryMin first retry interval of an unacknowledged status update (key
 *     {@code status_update_retry_min_ms}, default 10000 as Mesos; doubles up to 10 min)
 * @param containerizers the containerizers the operator allows (key {@code containerizers}, Mesos's
 *     flag: {@code mesos}, {@code docker}; default {@code mesos,docker}); docker is used only when
 *     an engine answers on {@code dockerSocket}
 * @param dockerSocket where the Docker engine listens (key {@code docker_socket}, default {@code
 *     unix:///var/run/docker.sock}; a bare absolute path means a unix socket, as Mesos's flag)
 */
public record AgentSettings(
    MasterAddresses masters,
    List<Resource> resources,
    List<Attribute> attributes,
    Path workDir,
    String hostname,
    String httpHost,
    int httpPort,
    java.time.Duration statusUpdateRetryMin,
    List<String> containerizers,
    String dockerSocket) {
  /** The config PID. */
  public static final String PID = "io.cairn.agent";

  /** Mesos's default port range (src/slave/constants.hpp DEFAULT_PORTS). */
  public static final String DEFAULT_PORTS = "[31000-32000]";

  /** The default Docker engine socket (Mesos's {@code --docker_socket} default). */
  public static final String DEFAULT_DOCKER_SOCKET = "unix:///var/run/docker.sock";

  /** Copies the lists. */
  public AgentSettings {
    resources = List.copyOf(resources);
    attributes = List.copyOf(attributes);
    containerizers = List.copyOf(containerizers);
  }

  /** True when the operator allows the Docker containerizer. */
  public boolean dockerAllowed() {
    return containerizers.contains("docker");
  }

  /**
   * Reads {@code properties} (Config Admin values; absent keys take defaults), with {@code
   * dataDir} the node's data dir (default work dir {@code <dataDir>/agent}) and {@code facts}
   * detecting the machine when a resource is not configured.
   */
  public static AgentSettings from(
      Map<String, ?> properties, Path dataDir, java.util.function.Function<Path, HostFacts> facts) {
    return from(properties, dataDir, 0, facts);
  }

  /**
   * As {@link #from(Map, Path, java.util.function.Function)}, with the default ports ({@code
   * master} 127.0.0.1:5050, {@code http.port} 5051) moved by {@code portShift}: a node started
   * by {@code ./cairn --nodes N} (or with CAIRN_PORT_OFFSET) has all its ports shifted alike, and
   * the component derives the shift from the node's own Raft port (7070 + shift).
   */
  public static AgentSettings from(Map<String, ?> properties, Path dataDir, int portShift,
      java.util.function.Function<Path, HostFacts> facts) {
    String master = text(properties, "master", "127.0.0.1:" + (5050 + portShift));
    MasterAddresses masters = wrap("master", master, () -> MasterAddresses.parse(master));
    String workText = text(properties, "work_dir", "");
    Path workDir = workText.isBlank() ? dataDir.resolve("agent") : Path.of(workText);
    if (!workDir.isAbsolute()) {
      throw invalid("work_dir", workText, "an absolute path");
    }
    HostFacts host = facts.apply(workDir);
    String resourceText = text(properties, "resources", "");
    List<Resource> configured =
        wrap("resources", resourceText, () -> MesosText.parseResources(resourceText));
    String attributeText = text(properties, "attributes", "");
    List<Attribute> attributes =
        wrap("attributes", attributeText, () -> MesosText.parseAttributes(attributeText));
    String hostname = text(properties, "hostname", "");
    if (hostname.isBlank()) {
      hostname = host.hostname();
    }
    if (!hostname.matches("[A-Za-z0-9._-]+")) {
      throw invalid("hostname", hostname, "a host name of [A-Za-z0-9._-]");
    }
    String httpHost = text(properties, "http.host", "0.0.0.0");
    String portText = text(properties, "http.port", String.valueOf(5051 + portShift));
    int httpPort;
    try {
      httpPort = Integer.parseInt(portText.trim());
    } catch (NumberFormatException e) {
      throw invalid("http.port", portText, "a port number in 0..65535");
    }
    if (httpPort < 0 || httpPort > 65535) {
      throw invalid("http.port", portText, "a port number in 0..65535");
    }
    String retryText = text(properties, "status_update_retry_min_ms", "10000");
    long retryMs;
    try {
      retryMs = Long.parseLong(retryText.trim());
    } catch (NumberFormatException e) {
      throw invalid("status_update_retry_min_ms", retryText, "milliseconds in 1..600000");
    }
    if (retryMs < 1 || retryMs > 600_000) {
      throw invalid("status_update_retry_min_ms", retryText, "milliseconds in 1..600000");
    }
    String containerizerText = text(properties, "containerizers", "mesos,docker");
    List<String> containerizers = new ArrayList<>();
    for (String name : containerizerText.split(",")) {
      String trimmed = name.trim();
      if (!trimmed.equals("mesos") && !trimmed.equals("docker")) {
        throw invalid("containerizers", containerizerText,
            "a comma-separated list of mesos and docker, e.g. mesos,docker");
      }
      if (!containerizers.contains(trimmed)) {
        containerizers.add(trimmed);
      }
    }
    if (!containerizers.contains("mesos")) {
      // Command tasks (no ContainerInfo, or type MESOS) always run in the process containerizer.
      throw invalid("containerizers", containerizerText,
          "a list that includes mesos (command tasks need it), e.g. mesos,docker");
    }
    String socketText = text(properties, "docker_socket", DEFAULT_DOCKER_SOCKET).trim();
    String dockerSocket = socketText.startsWith("/") ? "unix://" + socketText : socketText;
    if (!dockerSocket.matches("(unix:///|tcp://)\\S+")) {
      throw invalid("docker_socket", socketText,
          "unix:///path/to/docker.sock, an absolute socket path, or tcp://host:port");
    }
    List<Resource> resources = withDefaults(configured, host);
    return new AgentSettings(masters, resources, attributes, workDir, hostname, httpHost,
        httpPort, java.time.Duration.ofMillis(retryMs), containerizers, dockerSocket);
  }

  /** The configured resources plus detected cpus, mem, disk and ports where absent. */
  static List<Resource> withDefaults(List<Resource> configured, HostFacts host) {
    List<Resource> resources = new ArrayList<>(configured);
    addScalarIfAbsent(resources, "cpus", host.cores());
    long mem = host.memoryMb() >= 2048 ? host.memoryMb() - 1024 : host.memoryMb() / 2;
    addScalarIfAbsent(resources, "mem", mem);
    long disk = host.diskFreeMb() >= 10240 ? host.diskFreeMb() - 5120 : host.diskFreeMb() / 2;
    addScalarIfAbsent(resources, "disk", disk);
    if (resources.stream().noneMatch(r -> r.getName().equals("ports"))) {
      resources.addAll(MesosText.parseResources("ports:" + DEFAULT_PORTS));
    }
    return resources;
  }

  private static void addScalarIfAbsent(List<Resource> resources, String name, double value) {
    if (resources.stream().noneMatch(r -> r.getName().equals(name))) {
      resources.add(
          Resource.newBuilder()
              .setName(name)
              .setType(Value.Type.SCALAR)
              .setScalar(Value.Scalar.newBuilder().setValue(value))
              .build());
    }
  }

  private static String text(Map<String, ?> properties, String key, String fallback) {
    Object value = properties.get(key);
    return value == null ? fallback : value.toString();
  }

  private static <T> T wrap(String key, String value, java.util.function.Supplier<T> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          PID + ": " + key + "='" + value + "' is invalid: " + e.getMessage(), e);
    }
  }

  private static IllegalArgumentException invalid(String key, String value, String expected) {
    return new IllegalArgumentException(
        PID + ": " + key + "='" + value + "' is invalid; expected " + expected);
  }
}
