package io.cairn.marathon.internal.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.marathon.internal.model.AppDefinition.Constraint;
import io.cairn.marathon.internal.model.AppDefinition.Fetch;
import io.cairn.marathon.internal.model.AppDefinition.HealthCheckDef;
import io.cairn.marathon.internal.model.AppDefinition.Network;
import io.cairn.marathon.internal.model.AppDefinition.PortDefinition;
import io.cairn.marathon.internal.model.AppDefinition.PortMapping;
import io.cairn.marathon.internal.model.AppDefinition.ReadinessCheck;
import java.util.Map;

/**
 * Writes an {@link AppDefinition} in Marathon 1.x's JSON shape (every defaulted field present),
 * which {@link AppParser} reads back to the same definition; stored definitions use it too.
 */
public final class AppJson {
  /** The one mapper of the bundle (thread-safe once configured). */
  public static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private AppJson() {}

  /** The app's definition fields. */
  public static ObjectNode write(AppDefinition app) {
    ObjectNode o = F.objectNode();
    o.put("id", app.id());
    if (app.cmd() != null) {
      o.put("cmd", app.cmd());
    }
    if (app.args() != null) {
      ArrayNode args = o.putArray("args");
      app.args().forEach(args::add);
    }
    if (app.user() != null) {
      o.put("user", app.user());
    }
    o.put("backoffFactor", app.backoffFactor());
    o.put("backoffSeconds", app.backoffSeconds());
    ArrayNode constraints = o.putArray("constraints");
    for (Constraint constraint : app.constraints()) {
      ArrayNode row = constraints.addArray();
      constraint.asList().forEach(row::add);
    }
    if (app.container() != null) {
      o.set("container", container(app));
    }
    o.put("cpus", app.cpus());
    ArrayNode dependencies = o.putArray("dependencies");
    app.dependencies().forEach(dependencies::add);
    o.put("disk", app.disk());
    o.set("env", map(app.env()));
    o.put("executor", app.executor());
    o.set("fetch", fetch(app));
    o.put("gpus", app.gpus());
    o.set("healthChecks", healthChecks(app));
    o.put("instances", app.instances());
    o.set("labels", map(app.labels()));
    o.put("maxLaunchDelaySeconds", app.maxLaunchDelaySeconds());
    o.put("mem", app.mem());
    ArrayNode networks = o.putArray("networks");
    for (Network network : app.networks()) {
      ObjectNode n = networks.addObject().put("mode", network.mode());
      if (network.name() != null) {
        n.put("name", network.name());
      }
    }
    ArrayNode ports = o.putArray("portDefinitions");
    for (PortDefinition definition : app.portDefinitions()) {
      ObjectNode d = ports.addObject().put("port", definition.port())
          .put("protocol", definition.protocol());
      if (definition.name() != null) {
        d.put("name", definition.name());
      }
      if (!definition.labels().isEmpty()) {
        d.set("labels", map(definition.labels()));
      }
    }
    o.put("requirePorts", app.requirePorts());
    if (!app.acceptedResourceRoles().isEmpty()) {
      ArrayNode roles = o.putArray("acceptedResourceRoles");
      app.acceptedResourceRoles().forEach(roles::add);
    }
    o.put("role", app.role());
    o.set("readinessChecks", readiness(app));
    o.putObject("upgradeStrategy")
        .put("maximumOverCapacity", app.upgradeStrategy().maximumOverCapacity())
        .put("minimumHealthCapacity", app.upgradeStrategy().minimumHealthCapacity());
    o.put("killSelection", app.killSelection().name());
    if (app.unreachableStrategy().disabled()) {
      o.put("unreachableStrategy", "disabled");
    } else {
      o.putObject("unreachableStrategy")
          .put("inactiveAfterSeconds", app.unreachableStrategy().inactiveAfterSeconds())
          .put("expungeAfterSeconds", app.unreachableStrategy().expungeAfterSeconds());
    }
    o.put("taskKillGracePeriodSeconds", app.taskKillGracePeriodSeconds());
    o.put("tty", app.tty());
    if (app.version() != null) {
      o.put("version", app.version());
    }
    if (app.versionInfo() != null) {
      o.putObject("versionInfo").put("lastScalingAt", app.versionInfo().lastScalingAt())
          .put("lastConfigChangeAt", app.versionInfo().lastConfigChangeAt());
    }
    return o;
  }

  /** Reads back what {@link #write} wrote (version fields included). */
  public static AppDefinition read(ObjectNode json) {
    AppDefinition app = AppParser.parse(json, "/");
    String version = json.path("version").asText(null);
    AppDefinition.VersionInfo info = json.has("versionInfo")
        ? new AppDefinition.VersionInfo(json.path("versionInfo").path("lastScalingAt").asText(),
            json.path("versionInfo").path("lastConfigChangeAt").asText())
        : null;
    return app.withVersion(version, info);
  }

  private static ObjectNode container(AppDefinition app) {
    ObjectNode c = F.objectNode().put("type", app.container().type());
    if (app.container().docker() != null) {
      AppDefinition.Docker docker = app.container().docker();
      ObjectNode d = c.putObject("docker").put("image", docker.image())
          .put("forcePullImage", docker.forcePullImage()).put("privileged", docker.privileged());
      ArrayNode parameters = d.putArray("parameters");
      docker.parameters().forEach(pr -> parameters.addObject().put("key", pr.key())
          .put("value", pr.value()));
    }
    ArrayNode mappings = c.putArray("portMappings");
    for (PortMapping mapping : app.container().portMappings()) {
      ObjectNode m = mappings.addObject().put("containerPort", mapping.containerPort())
          .put("hostPort", mapping.hostPort()).put("servicePort", mapping.servicePort())
          .put("protocol", mapping.protocol());
      if (mapping.name() != null) {
        m.put("name", mapping.name());
      }
      if (!mapping.labels().isEmpty()) {
        m.set("labels", map(mapping.labels()));
      }
    }
    ArrayNode volumes = c.putArray("volumes");
    app.container().volumes().forEach(v -> {
      ObjectNode n = volumes.addObject().put("containerPath", v.containerPath()).put("mode",
          v.mode());
      if (v.hostPath() != null) {
        n.put("hostPath", v.hostPath());
      }
    });
    return c;
  }

  private static ArrayNode fetch(AppDefinition app) {
    ArrayNode fetch = F.arrayNode();
    for (Fetch f : app.fetch()) {
      ObjectNode n = fetch.addObject().put("uri", f.uri()).put("extract", f.extract())
          .put("executable", f.executable()).put("cache", f.cache());
      if (f.destPath() != null) {
        n.put("destPath", f.destPath());
      }
    }
    return fetch;
  }

  private static ArrayNode healthChecks(AppDefinition app) {
    ArrayNode checks = F.arrayNode();
    for (HealthCheckDef h : app.healthChecks()) {
      checks.add(healthCheck(h));
    }
    return checks;
  }

  /** One health check as the app JSON shows it (also the events' {@code healthCheck}). */
  public static ObjectNode healthCheck(HealthCheckDef h) {
    ObjectNode n = F.objectNode().put("protocol", h.protocol())
        .put("gracePeriodSeconds", h.gracePeriodSeconds())
        .put("intervalSeconds", h.intervalSeconds())
        .put("timeoutSeconds", h.timeoutSeconds())
        .put("maxConsecutiveFailures", h.maxConsecutiveFailures())
        .put("delaySeconds", h.delaySeconds());
    if (h.protocol().equals("COMMAND")) {
      n.putObject("command").put("value", h.command());
      return n;
    }
    if (h.port() != null) {
      n.put("port", h.port());
    } else {
      n.put("portIndex", h.portIndex() == null ? 0 : h.portIndex());
    }
    if (h.protocol().contains("HTTP")) {
      n.put("path", h.path()).put("ignoreHttp1xx", h.ignoreHttp1xx());
    }
    n.put("ipProtocol", h.ipProtocol());
    return n;
  }

  private static ArrayNode readiness(AppDefinition app) {
    ArrayNode checks = F.arrayNode();
    for (ReadinessCheck r : app.readinessChecks()) {
      ObjectNode n = checks.addObject().put("name", r.name()).put("protocol", r.protocol())
          .put("path", r.path()).put("portName", r.portName())
          .put("intervalSeconds", r.intervalSeconds()).put("timeoutSeconds", r.timeoutSeconds())
          .put("preserveLastResponse", r.preserveLastResponse());
      ArrayNode codes = n.putArray("httpStatusCodesForReady");
      r.httpStatusCodesForReady().forEach(codes::add);
    }
    return checks;
  }

  private static ObjectNode map(Map<String, String> values) {
    ObjectNode o = F.objectNode();
    values.forEach(o::put);
    return o;
  }
}
