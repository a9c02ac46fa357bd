package io.cairn.marathon.internal.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.marathon.internal.model.AppDefinition.Constraint;
import io.cairn.marathon.internal.model.AppDefinition.Container;
import io.cairn.marathon.internal.model.AppDefinition.Docker;
import io.cairn.marathon.internal.model.AppDefinition.Fetch;
import io.cairn.marathon.internal.model.AppDefinition.HealthCheckDef;
import io.cairn.marathon.internal.model.AppDefinition.KillSelection;
import io.cairn.marathon.internal.model.AppDefinition.Network;
import io.cairn.marathon.internal.model.AppDefinition.Parameter;
import io.cairn.marathon.internal.model.AppDefinition.PortDefinition;
import io.cairn.marathon.internal.model.AppDefinition.PortMapping;
import io.cairn.marathon.internal.model.AppDefinition.ReadinessCheck;
import io.cairn.marathon.internal.model.AppDefinition.UnreachableStrategy;
import io.cairn.marathon.internal.model.AppDefinition.UpgradeStrategy;
import io.cairn.marathon.internal.model.AppDefinition.Volume;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a Marathon 1.x app definition from JSON, applies Marathon's defaults and normalisation
 * ({@code AppNormalization}: deprecated {@code ports}, {@code container.docker.network} and
 * {@code container.docker.portMappings}, the default port definition under host networking) and
 * validates it ({@code AppValidation}). Throws {@link ValidationException} with every violation.
 */
public final class AppParser {
  static final String CMD_ARGS_CONTAINER =
      "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'.";
  private static final Set<String> HEALTH_PROTOCOLS = Set.of("HTTP", "HTTPS", "TCP", "COMMAND",
      "MESOS_HTTP", "MESOS_HTTPS", "MESOS_TCP");

  private AppParser() {}

  /** Parses one app; relative ids resolve against {@code baseGroup}. */
  public static AppDefinition parse(JsonNode json, String baseGroup) {
    JsonReader in = new JsonReader();
    AppDefinition app = read(json, baseGroup, "", in);
    if (!in.typeErrors().isEmpty()) {
      throw new ValidationException(ValidationException.INVALID_JSON, in.typeErrors());
    }
    if (!in.ruleErrors().isEmpty()) {
      throw new ValidationException(ValidationException.NOT_VALID, in.ruleErrors());
    }
    return app;
  }

  /** Reads and records violations in {@code in} (for groups, which collect all apps' errors). */
  static AppDefinition read(JsonNode json, String baseGroup, String p, JsonReader in) {
    if (json == null || !json.isObject()) {
      in.typeError(p.isEmpty() ? "/" : p, "error.expected.jsobject");
      return null;
    }
    String id = readId(json, baseGroup, p, in);
    String cmd = in.string(json, "cmd", p, null);
    List<String> args = in.strings(json, "args", p);
    Container container = readContainer(json, p, in);
    List<Network> networks = readNetworks(json, container, p, in);
    boolean host = networks.isEmpty() || "host".equals(networks.get(0).mode());
    List<PortDefinition> portDefinitions = readPortDefinitions(json, host, p, in);
    AppDefinition app = new AppDefinition(id, cmd, args, in.string(json, "user", p, null),
        readEnv(json, p, in), in.integer(json, "instances", p, 1),
        in.number(json, "cpus", p, 1.0), in.number(json, "mem", p, 128.0),
        in.number(json, "disk", p, 0.0), in.integer(json, "gpus", p, 0),
        in.string(json, "executor", p, ""), readConstraints(json, p, in),
        orEmpty(in.strings(json, "acceptedResourceRoles", p)),
        in.string(json, "role", p, "*"), container, networks, portDefinitions,
        in.bool(json, "requirePorts", p, false), readFetch(json, p, in),
        readHealthChecks(json, p, in), readReadiness(json, p, in),
        readDependencies(json, id, p, in), readUpgrade(json, p, in),
        in.number(json, "backoffSeconds", p, 1.0), in.number(json, "backoffFactor", p, 1.15),
        in.number(json, "maxLaunchDelaySeconds", p, 300.0),
        in.stringMap(json, "labels", p), readKillSelection(json, p, in),
        readUnreachable(json, p, in), in.integer(json, "taskKillGracePeriodSeconds", p, 0),
        in.bool(json, "tty", p, false), null, null);
    validate(app, p, in);
    return app;
  }

  private static String readId(JsonNode json, String base, String p, JsonReader in) {
    if (JsonReader.absent(json, "id")) {
      in.typeError(p + "/id", "error.path.missing");
      return "/";
    }
    String raw = in.string(json, "id", p, null);
    if (raw == null) {
      return "/";
    }
    PathIds.Result result = PathIds.appId(raw, base);
    if (result.error().isPresent()) {
      in.rule(p + "/id", result.error().get());
      return "/";
    }
    return result.id();
  }

  private static Map<String, String> readEnv(JsonNode json, String p, JsonReader in) {
    JsonNode env = in.object(json, "env", p);
    Map<String, String> out = new LinkedHashMap<>();
    if (env == null) {
      return out;
    }
    env.fields().forEachRemaining(entry -> {
      JsonNode value = entry.getValue();
      if (value.isTextual()) {
        out.put(entry.getKey(), value.asText());
      } else if (value.isObject() && value.has("secret")) {
        in.rule(p + "/env/" + entry.getKey(),
            "Feature secrets is not enabled. Enable with --enable_features secrets)");
      } else {
        in.typeError(p + "/env/" + entry.getKey(), "error.expected.jsstring");
      }
    });
    return out;
  }

  private static Container readContainer(JsonNode json, String p, JsonReader in) {
    JsonNode node = in.object(json, "container", p);
    if (node == null) {
      return null;
    }
    String cp = p + "/container";
    String type = in.string(node, "type", cp, "DOCKER");
    if (!type.equals("MESOS") && !type.equals("DOCKER")) {
      in.rule(cp + "/type", "error.unknown.enum.literal");
    }
    Docker docker = null;
    JsonNode dockerNode = in.object(node, "docker", cp);
    List<PortMapping> mappings = in.array(node, "portMappings", cp,
        (item, path) -> readPortMapping(item, path, in));
    if (dockerNode != null) {
      String dp = cp + "/docker";
      List<Parameter> parameters = in.array(dockerNode, "parameters", dp, (item, path) ->
          new Parameter(in.string(item, "key", path, ""), in.string(item, "value", path, "")));
      docker = new Docker(in.string(dockerNode, "image", dp, ""),
          in.bool(dockerNode, "forcePullImage", dp, false),
          in.bool(dockerNode, "privileged", dp, false), orEmpty(parameters),
          in.string(dockerNode, "network", dp, null));
      List<PortMapping> legacy = in.array(dockerNode, "portMappings", dp,
          (item, path) -> readPortMapping(item, path, in));
      if (legacy != null && mappings == null) {
        mappings = legacy;
      }
    }
    if (type.equals("DOCKER") && (docker == null || docker.image().isEmpty())) {
      in.rule(cp + "/docker/image", "must not be empty");
    }
    List<Volume> volumes = in.array(node, "volumes", cp, (item, path) ->
        new Volume(in.string(item, "containerPath", path, ""),
            in.string(item, "hostPath", path, null), in.string(item, "mode", path, "RW")));
    return new Container(type, docker, orEmpty(mappings), orEmpty(volumes));
  }

  private static PortMapping readPortMapping(JsonNode item, String path, JsonReader in) {
    return new PortMapping(in.integer(item, "containerPort", path, 0),
        in.integer(item, "hostPort", path, 0), in.integer(item, "servicePort", path, 0),
        in.string(item, "protocol", path, "tcp"), in.string(item, "name", path, null),
        in.stringMap(item, "labels", path));
  }

  private static List<Network> readNetworks(JsonNode json, Container container, String p,
      JsonReader in) {
    List<Network> networks = in.array(json, "networks", p, (item, path) ->
        new Network(in.string(item, "mode", path, "container"),
            in.string(item, "name", path, null)));
    String legacy = container == null || container.docker() == null ? null
        : container.docker().network();
    if (legacy != null && networks != null && !networks.isEmpty()) {
      in.rule(p + "/networks", "cannot be combined with the deprecated container.docker.network");
    }
    if (networks == null || networks.isEmpty()) {
      if ("BRIDGE".equals(legacy)) {
        return List.of(new Network("container/bridge", null));
      }
      if ("USER".equals(legacy)) {
        return List.of(new Network("container", null));
      }
      return List.of(new Network("host", null));
    }
    for (int i = 0; i < networks.size(); i++) {
      String mode = networks.get(i).mode();
      if (!Set.of("host", "container/bridge", "container").contains(mode)) {
        in.rule(p + "/networks(" + i + ")/mode", "error.unknown.enum.literal");
      }
    }
    return networks;
  }

  private static List<PortDefinition> readPortDefinitions(JsonNode json, boolean host, String p,
      JsonReader in) {
    List<PortDefinition> definitions = in.array(json, "portDefinitions", p, (item, path) ->
        new PortDefinition(in.integer(item, "port", path, 0),
            in.string(item, "protocol", path, "tcp"), in.string(item, "name", path, null),
            in.stringMap(item, "labels", path)));
    if (definitions == null && !JsonReader.absent(json, "ports")) {
      List<Integer> ports = in.array(json, "ports", p, (item, path) -> {
        if (!item.isIntegralNumber()) {
          in.typeError(path, "error.expected.jsnumber");
          return null;
        }
        return item.asInt();
      });
      definitions = new ArrayList<>();
      for (Integer port : orEmpty(ports)) {
        definitions.add(new PortDefinition(port, "tcp", null, Map.of()));
      }
    }
    if (!host) {
      if (definitions != null && !definitions.isEmpty()) {
        in.rule(p + "/portDefinitions", "Port definitions are only allowed with host networking");
      }
      return List.of();
    }
    if (definitions == null) {
      return List.of(new PortDefinition(0, "tcp", "default", Map.of()));
    }
    return definitions;
  }

  private static List<Constraint> readConstraints(JsonNode json, String p, JsonReader in) {
    List<Constraint> constraints = in.array(json, "constraints", p, (item, path) -> {
      if (!item.isArray()) {
        in.typeError(path, "error.expected.jsarray");
        return null;
      }
      List<String> fields = new ArrayList<>();
      for (JsonNode field : item) {
        if (!field.isTextual()) {
          in.typeError(path, "error.expected.jsstring");
          return null;
        }
        fields.add(field.asText());
      }
      if (fields.size() < 2 || fields.size() > 3) {
        in.rule(path, "Each constraint must have either 2 or 3 fields");
        return null;
      }
      Constraint constraint = new Constraint(fields.get(0), fields.get(1),
          fields.size() == 3 ? fields.get(2) : null);
      Constraints.validate(constraint).ifPresent(error -> in.rule(path, error));
      return constraint;
    });
    return orEmpty(constraints);
  }

  private static List<Fetch> readFetch(JsonNode json, String p, JsonReader in) {
    List<Fetch> fetch = in.array(json, "fetch", p, (item, path) -> {
      String uri = in.string(item, "uri", path, "");
      if (uri.isEmpty()) {
        in.rule(path + "/uri", "must not be empty");
      }
      return new Fetch(uri, in.bool(item, "extract", path, true),
          in.bool(item, "executable", path, false), in.bool(item, "cache", path, false),
          in.string(item, "destPath", path, null));
    });
    if (fetch == null && !JsonReader.absent(json, "uris")) {
      List<Fetch> fromUris = new ArrayList<>();
      for (String uri : orEmpty(in.strings(json, "uris", p))) {
        fromUris.add(new Fetch(uri, true, false, false, null));
      }
      return fromUris;
    }
    return orEmpty(fetch);
  }

  private static List<HealthCheckDef> readHealthChecks(JsonNode json, String p, JsonReader in) {
    return orEmpty(in.array(json, "healthChecks", p, (item, path) -> {
      String protocol = in.string(item, "protocol", path, "HTTP");
      if (!HEALTH_PROTOCOLS.contains(protocol)) {
        in.rule(path + "/protocol", "error.unknown.enum.literal");
      }
      JsonNode command = in.object(item, "command", path);
      String commandValue = command == null ? null
          : in.string(command, "value", path + "/command", null);
      Integer port = in.optionalInteger(item, "port", path);
      Integer portIndex = in.optionalInteger(item, "portIndex", path);
      if (port == null && portIndex == null && !protocol.equals("COMMAND")) {
        portIndex = 0;
      }
      HealthCheckDef check = new HealthCheckDef(protocol,
          in.string(item, "path", path, "/"), portIndex, port, commandValue,
          in.integer(item, "gracePeriodSeconds", path, 300),
          in.integer(item, "intervalSeconds", path, 60),
          in.integer(item, "timeoutSeconds", path, 20),
          in.integer(item, "maxConsecutiveFailures", path, 3),
          in.integer(item, "delaySeconds", path, 15),
          in.bool(item, "ignoreHttp1xx", path, false),
          in.string(item, "ipProtocol", path, "IPv4"));
      return check;
    }));
  }

  private static List<ReadinessCheck> readReadiness(JsonNode json, String p, JsonReader in) {
    return orEmpty(in.array(json, "readinessChecks", p, (item, path) -> {
      List<Integer> codes = in.array(item, "httpStatusCodesForReady", path,
          (code, codePath) -> code.isIntegralNumber() ? code.asInt() : null);
      return new ReadinessCheck(in.string(item, "name", path, "readinessCheck"),
          in.string(item, "protocol", path, "HTTP"), in.string(item, "path", path, "/"),
          in.string(item, "portName", path, "http-api"),
          in.integer(item, "intervalSeconds", path, 30),
          in.integer(item, "timeoutSeconds", path, 10),
          codes == null ? List.of(200) : codes, in.bool(item, "preserveLastResponse", path, false));
    }));
  }

  private static List<String> readDependencies(JsonNode json, String id, String p,
      JsonReader in) {
    List<String> raw = orEmpty(in.strings(json, "dependencies", p));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      PathIds.Result result = PathIds.resolve(raw.get(i), PathIds.parent(id));
      if (result.error().isPresent()) {
        in.rule(p + "/dependencies(" + i + ")", result.error().get());
      } else {
        out.add(result.id());
      }
    }
    return out;
  }

  private static UpgradeStrategy readUpgrade(JsonNode json, String p, JsonReader in) {
    JsonNode node = in.object(json, "upgradeStrategy", p);
    if (node == null) {
      return new UpgradeStrategy(1.0, 1.0);
    }
    String up = p + "/upgradeStrategy";
    UpgradeStrategy strategy = new UpgradeStrategy(
        in.number(node, "minimumHealthCapacity", up, 1.0),
        in.number(node, "maximumOverCapacity", up, 1.0));
    unitInterval(strategy.minimumHealthCapacity(), up + "/minimumHealthCapacity", in);
    unitInterval(strategy.maximumOverCapacity(), up + "/maximumOverCapacity", in);
    return strategy;
  }

  private static void unitInterval(double value, String path, JsonReader in) {
    if (value < 0) {
      in.rule(path, "is less than 0");
    } else if (value > 1) {
      in.rule(path, "is greater than 1");
    }
  }

  private static KillSelection readKillSelection(JsonNode json, String p, JsonReader in) {
    String raw = in.string(json, "killSelection", p, "YOUNGEST_FIRST");
    try {
      return KillSelection.valueOf(raw);
    } catch (IllegalArgumentException e) {
      in.rule(p + "/killSelection", "error.unknown.enum.literal");
      return KillSelection.YOUNGEST_FIRST;
    }
  }

  private static UnreachableStrategy readUnreachable(JsonNode json, String p, JsonReader in) {
    JsonNode node = json.get("unreachableStrategy");
    if (node == null || node.isNull()) {
      return new UnreachableStrategy(false, 0, 0);
    }
    String up = p + "/unreachableStrategy";
    if (node.isTextual()) {
      if (!node.asText().equals("disabled")) {
        in.rule(up, "error.unknown.enum.literal");
      }
      return new UnreachableStrategy(true, 0, 0);
    }
    if (!node.isObject()) {
      in.typeError(up, "error.expected.jsobject");
      return new UnreachableStrategy(false, 0, 0);
    }
    int inactive = in.integer(node, "inactiveAfterSeconds", up, 0);
    int expunge = in.integer(node, "expungeAfterSeconds", up, 0);
    if (inactive < 0) {
      in.rule(up + "/inactiveAfterSeconds", "got " + inactive + ", expected 0 or more");
    }
    if (inactive > expunge) {
      in.rule(up + "/inactiveAfterSeconds", "inactiveAfterSeconds (" + inactive
          + ") must be less or equal to expungeAfterSeconds, which is " + expunge);
    }
    return new UnreachableStrategy(false, inactive, expunge);
  }

  private static void validate(AppDefinition app, String p, JsonReader in) {
    boolean hasCommand = app.cmd() != null || app.args() != null;
    if (app.cmd() != null && app.args() != null) {
      in.rule(p.isEmpty() ? "/" : p, "AppDefinition must not contain both 'cmd' and 'args'.");
    } else if (!hasCommand && app.container() == null) {
      in.rule(p.isEmpty() ? "/" : p, CMD_ARGS_CONTAINER);
    }
    if (app.cmd() != null && app.cmd().isEmpty()) {
      in.rule(p + "/cmd", "got \"\", expected at least 1 character");
    }
    atLeast(app.instances(), 0, p + "/instances", in);
    atLeast(app.cpus(), 0.001, p + "/cpus", in);
    atLeast(app.mem(), 0, p + "/mem", in);
    atLeast(app.disk(), 0, p + "/disk", in);
    atLeast(app.gpus(), 0, p + "/gpus", in);
    atLeast(app.backoffSeconds(), 0, p + "/backoffSeconds", in);
    atLeast(app.backoffFactor(), 1, p + "/backoffFactor", in);
    atLeast(app.maxLaunchDelaySeconds(), 0, p + "/maxLaunchDelaySeconds", in);
    if (app.gpus() > 0 && app.container() != null && app.container().type().equals("DOCKER")) {
      in.rule(p + "/gpus", "GPU resources only work with the Mesos containerizer");
    }
    if (new HashSet<>(app.acceptedResourceRoles()).size() != app.acceptedResourceRoles().size()) {
      in.rule(p + "/acceptedResourceRoles", "Elements must be unique");
    }
    validatePorts(app, p, in);
    validateHealthChecks(app, p, in);
  }

  private static void validatePorts(AppDefinition app, String p, JsonReader in) {
    Set<String> names = new HashSet<>();
    List<PortDefinition> definitions = app.portDefinitions();
    for (int i = 0; i < definitions.size(); i++) {
      PortDefinition definition = definitions.get(i);
      portRange(definition.port(), p + "/portDefinitions(" + i + ")/port", in);
      if (definition.name() != null && !names.add(definition.name())) {
        in.rule(p + "/portDefinitions", "Port names must be unique.");
      }
    }
    if (app.container() == null) {
      return;
    }
    List<PortMapping> mappings = app.container().portMappings();
    if (app.hostNetworking() && !mappings.isEmpty()) {
      in.rule(p + "/container/portMappings",
          "Port mappings are not allowed with host networking");
    }
    for (int i = 0; i < mappings.size(); i++) {
      String mp = p + "/container/portMappings(" + i + ")";
      portRange(mappings.get(i).containerPort(), mp + "/containerPort", in);
      portRange(mappings.get(i).hostPort(), mp + "/hostPort", in);
      portRange(mappings.get(i).servicePort(), mp + "/servicePort", in);
      if (mappings.get(i).name() != null && !names.add(mappings.get(i).name())) {
        in.rule(p + "/container/portMappings", "Port names must be unique.");
      }
    }
  }

  /** Marathon's message when an app has more than one check that the agent would run. */
  static final String AT_MOST_ONE_MESOS_CHECK =
      "AppDefinition can contain at most one Mesos health check";

  private static void validateHealthChecks(AppDefinition app, String p, JsonReader in) {
    // HTTP/HTTPS/TCP checks run on the Marathon leader, any number of them; a Mesos task carries
    // at most one health check, so at most one MESOS_* or COMMAND check (AppValidation).
    if (app.healthChecks().stream().filter(HealthCheckDef::mesos).count() > 1) {
      in.rule(p.isEmpty() ? "/" : p, AT_MOST_ONE_MESOS_CHECK);
    }
    for (int i = 0; i < app.healthChecks().size(); i++) {
      HealthCheckDef check = app.healthChecks().get(i);
      String hp = p + "/healthChecks(" + i + ")";
      if (check.protocol().equals("COMMAND")) {
        if (check.command() == null || check.command().isEmpty()) {
          in.rule(hp + "/command", "must not be empty");
        }
        continue;
      }
      if (check.portIndex() != null && check.port() != null) {
        in.rule(hp, "Health check must specify either a port or a portIndex, not both");
      }
      int index = check.portIndex() == null ? 0 : check.portIndex();
      if (check.port() == null && (index < 0 || index >= app.portCount())) {
        in.rule(hp, "Health check port indices must address an element of the ports array or"
            + " container port mappings.");
      }
      atLeast(check.timeoutSeconds(), 0, hp + "/timeoutSeconds", in);
      if (check.intervalSeconds() <= check.timeoutSeconds() && check.intervalSeconds() > 0
          && check.timeoutSeconds() > 0 && check.intervalSeconds() < check.timeoutSeconds()) {
        in.rule(hp + "/timeoutSeconds", "must be smaller than intervalSeconds");
      }
    }
  }

  private static void portRange(int port, String path, JsonReader in) {
    if (port < 0 || port > 65535) {
      in.rule(path, "got " + port + ", expected between 0 and 65535");
    }
  }

  private static void atLeast(double value, double min, String path, JsonReader in) {
    if (value < min) {
      in.rule(path, "got " + value + ", expected " + min + " or more");
    }
  }

  private static void atLeast(int value, int min, String path, JsonReader in) {
    if (value < min) {
      in.rule(path, "got " + value + ", expected " + min + " or more");
    }
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
