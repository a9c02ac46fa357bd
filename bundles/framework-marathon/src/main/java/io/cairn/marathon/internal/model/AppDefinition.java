package io.cairn.marathon.internal.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One Marathon app as stored and run: every field of Marathon 1.x's app definition that Cairn
 * understands, with Marathon's defaults already applied ({@link AppParser} normalises input;
 * {@link AppJson} writes it back in Marathon's shape). Immutable.
 *
 * @param id the absolute path id, e.g. {@code /ocfweb/web}
 * @param cmd the shell command ({@code /bin/sh -c}), or null
 * @param args the argv, or null (exclusive with cmd)
 * @param version the ISO-8601 version (set when stored)
 * @param versionInfo when scaling and configuration last changed
 */
public record AppDefinition(
    String id,
    String cmd,
    List<String> args,
    String user,
    Map<String, String> env,
    int instances,
    double cpus,
    double mem,
    double disk,
    int gpus,
    String executor,
    List<Constraint> constraints,
    List<String> acceptedResourceRoles,
    String role,
    Container container,
    List<Network> networks,
    List<PortDefinition> portDefinitions,
    boolean requirePorts,
    List<Fetch> fetch,
    List<HealthCheckDef> healthChecks,
    List<ReadinessCheck> readinessChecks,
    List<String> dependencies,
    UpgradeStrategy upgradeStrategy,
    double backoffSeconds,
    double backoffFactor,
    double maxLaunchDelaySeconds,
    Map<String, String> labels,
    KillSelection killSelection,
    UnreachableStrategy unreachableStrategy,
    int taskKillGracePeriodSeconds,
    boolean tty,
    String version,
    VersionInfo versionInfo) {

  public AppDefinition {
    Objects.requireNonNull(id, "id");
    args = args == null ? null : List.copyOf(args);
    env = Map.copyOf(env);
    constraints = List.copyOf(constraints);
    acceptedResourceRoles = List.copyOf(acceptedResourceRoles);
    networks = List.copyOf(networks);
    portDefinitions = List.copyOf(portDefinitions);
    fetch = List.copyOf(fetch);
    healthChecks = List.copyOf(healthChecks);
    readinessChecks = List.copyOf(readinessChecks);
    dependencies = List.copyOf(dependencies);
    labels = Map.copyOf(labels);
  }

  /** Which instances a scale-down kills first. */
  public enum KillSelection { YOUNGEST_FIRST, OLDEST_FIRST }

  /** {@code [field, OPERATOR(, value)]}. */
  public record Constraint(String field, String operator, String value) {
    /** The constraint as Marathon's JSON array form. */
    public List<String> asList() {
      return value == null ? List.of(field, operator) : List.of(field, operator, value);
    }
  }

  /** A Docker parameter ({@code --key=value}). */
  public record Parameter(String key, String value) {}

  /** {@code container.docker}. */
  public record Docker(String image, boolean forcePullImage, boolean privileged,
      List<Parameter> parameters, String network) {
    public Docker {
      parameters = List.copyOf(parameters);
    }
  }

  /** {@code container.portMappings[]}: containerPort 0 means "same as the host port". */
  public record PortMapping(int containerPort, int hostPort, int servicePort, String protocol,
      String name, Map<String, String> labels) {
    public PortMapping {
      labels = Map.copyOf(labels);
    }
  }

  /** {@code container.volumes[]} (host-path volumes only). */
  public record Volume(String containerPath, String hostPath, String mode) {}

  /** {@code container}: MESOS or DOCKER. */
  public record Container(String type, Docker docker, List<PortMapping> portMappings,
      List<Volume> volumes) {
    public Container {
      portMappings = List.copyOf(portMappings);
      volumes = List.copyOf(volumes);
    }
  }

  /** {@code networks[]}: mode host, container/bridge or container. */
  public record Network(String mode, String name) {}

  /** {@code portDefinitions[]}: port 0 means a random service port. */
  public record PortDefinition(int port, String protocol, String name,
      Map<String, String> labels) {
    public PortDefinition {
      labels = Map.copyOf(labels);
    }
  }

  /** {@code fetch[]}. */
  public record Fetch(String uri, boolean extract, boolean executable, boolean cache,
      String destPath) {}

  /** {@code healthChecks[]}. */
  public record HealthCheckDef(String protocol, String path, Integer portIndex, Integer port,
      String command, int gracePeriodSeconds, int intervalSeconds, int timeoutSeconds,
      int maxConsecutiveFailures, int delaySeconds, boolean ignoreHttp1xx, String ipProtocol) {
    /**
     * Whether the agent runs it (a Mesos health check: MESOS_HTTP, MESOS_HTTPS, MESOS_TCP,
     * COMMAND); otherwise (HTTP, HTTPS, TCP) the Marathon leader probes the task itself.
     */
    public boolean mesos() {
      return protocol.startsWith("MESOS_") || protocol.equals("COMMAND");
    }
  }

  /** The app's Mesos health check (at most one, validated), or null. */
  public HealthCheckDef mesosHealthCheck() {
    for (HealthCheckDef check : healthChecks) {
      if (check.mesos()) {
        return check;
      }
    }
    return null;
  }

  /**
   * {@code readinessChecks[]}: the first gates deployments (a task launched by a deployment counts
   * for it once an HTTP GET of {@code path} on the port named {@code portName} answers one of
   * {@code httpStatusCodesForReady}; probed every {@code intervalSeconds}).
   */
  public record ReadinessCheck(String name, String protocol, String path, String portName,
      int intervalSeconds, int timeoutSeconds, List<Integer> httpStatusCodesForReady,
      boolean preserveLastResponse) {
    public ReadinessCheck {
      httpStatusCodesForReady = List.copyOf(httpStatusCodesForReady);
    }
  }

  /** {@code upgradeStrategy}: both in [0, 1]. */
  public record UpgradeStrategy(double minimumHealthCapacity, double maximumOverCapacity) {}

  /** {@code unreachableStrategy}: disabled, or inactive-after and expunge-after seconds. */
  public record UnreachableStrategy(boolean disabled, long inactiveAfterSeconds,
      long expungeAfterSeconds) {}

  /** {@code versionInfo}. */
  public record VersionInfo(String lastScalingAt, String lastConfigChangeAt) {}

  /** Whether the container uses host networking (portDefinitions) rather than portMappings. */
  public boolean hostNetworking() {
    return networks.isEmpty() || "host".equals(networks.get(0).mode());
  }

  /** How many host ports a task needs. */
  public int portCount() {
    if (hostNetworking()) {
      return portDefinitions.size();
    }
    return (int) (container == null ? 0 : container.portMappings().stream()
        .filter(mapping -> mapping.hostPort() >= 0).count());
  }

  /** The same app with other instances. */
  public AppDefinition withInstances(int count) {
    return new Builder(this).instances(count).build();
  }

  /** The same app at another version. */
  public AppDefinition withVersion(String newVersion, VersionInfo info) {
    return new Builder(this).version(newVersion).versionInfo(info).build();
  }

  /** Whether two definitions differ only in instances (a scale, not a restart). */
  public boolean sameConfig(AppDefinition other) {
    return new Builder(this).instances(0).version(null).versionInfo(null).build()
        .equals(new Builder(other).instances(0).version(null).versionInfo(null).build());
  }

  /** A copy-and-change helper for the few fields the core changes. */
  public static final class Builder {
    private final AppDefinition base;
    private int instances;
    private String version;
    private VersionInfo versionInfo;

    public Builder(AppDefinition base) {
      this.base = base;
      this.instances = base.instances;
      this.version = base.version;
      this.versionInfo = base.versionInfo;
    }

    public Builder instances(int value) {
      instances = value;
      return this;
    }

    public Builder version(String value) {
      version = value;
      return this;
    }

    public Builder versionInfo(VersionInfo value) {
      versionInfo = value;
      return this;
    }

    public AppDefinition build() {
      AppDefinition b = base;
      return new AppDefinition(b.id, b.cmd, b.args, b.user, b.env, instances, b.cpus, b.mem,
          b.disk, b.gpus, b.executor, b.constraints, b.acceptedResourceRoles, b.role,
          b.container, b.networks, b.portDefinitions, b.requirePorts, b.fetch, b.healthChecks,
          b.readinessChecks, b.dependencies, b.upgradeStrategy, b.backoffSeconds,
          b.backoffFactor, b.maxLaunchDelaySeconds, b.labels, b.killSelection,
          b.unreachableStrategy, b.taskKillGracePeriodSeconds, b.tty, version, versionInfo);
    }
  }
}
