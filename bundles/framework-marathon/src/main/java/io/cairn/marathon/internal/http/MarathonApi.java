package io.cairn.marathon.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.marathon.internal.core.DeploymentPlan;
import io.cairn.marathon.internal.core.Instance;
import io.cairn.marathon.internal.core.MarathonCore;
import io.cairn.marathon.internal.core.Rejection;
import io.cairn.marathon.internal.driver.MarathonDriver;
import io.cairn.marathon.internal.model.AppDefinition;
import io.cairn.marathon.internal.model.AppJson;
import io.cairn.marathon.internal.model.AppParser;
import io.cairn.marathon.internal.model.Iso8601;
import io.cairn.marathon.internal.model.PathIds;
import io.cairn.marathon.internal.model.ValidationException;
import io.cairn.marathon.internal.model.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Marathon's REST API v2 on the leading instance: routes a request to the core (on the Marathon
 * loop, through {@link MarathonDriver#call}) and shapes the answer as Marathon 1.x does,
 * including its status codes and error bodies. Parsing and validation run on the caller's thread.
 */
public final class MarathonApi {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Pattern RESTART = Pattern.compile("^(.+)/restart$");
  private static final Pattern TASK = Pattern.compile("^(.+)/tasks/([^/]+)$");
  private static final Pattern TASKS = Pattern.compile("^(.+)/tasks$");
  private static final Pattern VERSION = Pattern.compile("^(.+)/versions/([^/]+)$");
  private static final Pattern VERSIONS = Pattern.compile("^(.+)/versions$");
  private static final Pattern GROUP_APPS = Pattern.compile("^(.*)/\\*$");

  private final MarathonDriver driver;
  private final Info info;
  private final RenderedAppCache renderedApps = new RenderedAppCache();
  private final MarathonDriver.Reads<RenderedAppCache.Snapshot> appsSnapshots;

  /** What /v2/info reports about this instance. */
  public record Info(String name, String version, String hostPort, String zk, int httpPort) {}

  public MarathonApi(MarathonDriver driver, Info info) {
    this.driver = driver;
    this.info = info;
    this.appsSnapshots = driver.reads(RenderedAppCache::snapshot);
  }

  /** Answers one request (on the leader). */
  CompletableFuture<ApiReply> handle(ApiRequest request) {
    try {
      return route(request).exceptionally(MarathonApi::error);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(error(e));
    }
  }

  private CompletableFuture<ApiReply> route(ApiRequest r) {
    String path = r.path();
    if (path.equals("/v2/apps") || path.equals("/v2/apps/")) {
      return switch (r.method()) {
        case "GET" -> listApps(r);
        case "POST" -> createApp(r);
        case "PUT", "PATCH" -> bulkUpdate(r);
        default -> notAllowed();
      };
    }
    if (path.startsWith("/v2/apps/")) {
      return appRoute(r, path.substring("/v2/apps".length()));
    }
    if (path.equals("/v2/groups") || path.startsWith("/v2/groups/")) {
      return GroupsApi.route(this, r, path.substring("/v2/groups".length()));
    }
    if (path.equals("/v2/deployments") && r.method().equals("GET")) {
      return read(core -> {
        ArrayNode list = F.arrayNode();
        core.deployments().forEach(p -> list.add(ApiJson.deployment(p, core)));
        return ApiReply.json(200, list);
      });
    }
    if (path.startsWith("/v2/deployments/") && r.method().equals("DELETE")) {
      return cancelDeployment(r, path.substring("/v2/deployments/".length()));
    }
    if (path.equals("/v2/tasks") && r.method().equals("GET")) {
      return listTasks(r);
    }
    if (path.equals("/v2/tasks/delete") && r.method().equals("POST")) {
      return deleteTasks(r);
    }
    if (path.equals("/v2/queue") && r.method().equals("GET")) {
      boolean offers = r.params("embed").contains("lastUnusedOffers");
      return read(core -> ApiReply.json(200, ApiJson.queue(core, now(), offers)));
    }
    Matcher delay = Pattern.compile("^/v2/queue/(.+)/delay$").matcher(path);
    if (delay.matches() && r.method().equals("DELETE")) {
      String appId = PathIds.resolve(delay.group(1), "/").id();
      return read(core -> {
        core.resetDelay(appId, now());
        return ApiReply.text(204, "");
      });
    }
    if (path.equals("/v2/info") && r.method().equals("GET")) {
      return CompletableFuture.completedFuture(ApiReply.json(200, info()));
    }
    if (path.equals("/v2/pods") || path.startsWith("/v2/pods/")) {
      return CompletableFuture.completedFuture(r.path().equals("/v2/pods")
          ? (r.method().equals("HEAD") ? ApiReply.text(200, "") : ApiReply.json(200,
              F.arrayNode()))
          : ApiReply.message(404, "Pod '" + path.substring("/v2/pods".length())
              + "' does not exist"));
    }
    return CompletableFuture.completedFuture(ApiReply.message(404, "URI not found"));
  }

  private CompletableFuture<ApiReply> appRoute(ApiRequest r, String rest) {
    Matcher m;
    if ((m = RESTART.matcher(rest)).matches() && r.method().equals("POST")) {
      String appId = appId(m.group(1));
      boolean force = r.flag("force", false);
      return deploy(core -> {
        requireApp(core, appId);
        return new MarathonCore.Change(core.apps(), Set.of(appId), force);
      }, 200);
    }
    if ((m = TASK.matcher(rest)).matches() && r.method().equals("DELETE")) {
      return killTask(r, appId(m.group(1)), m.group(2));
    }
    if ((m = TASKS.matcher(rest)).matches()) {
      String appId = appId(m.group(1));
      return r.method().equals("DELETE") ? killTasks(r, appId) : read(core -> {
        AppDefinition app = requireApp(core, appId);
        ArrayNode tasks = F.arrayNode();
        core.instancesOf(appId).forEach(i -> tasks.add(ApiJson.task(i, app)));
        ObjectNode body = F.objectNode();
        body.set("tasks", tasks);
        return ApiReply.json(200, body);
      });
    }
    if ((m = VERSION.matcher(rest)).matches() && r.method().equals("GET")) {
      String appId = appId(m.group(1));
      String version = m.group(2);
      return read(core -> {
        requireApp(core, appId);
        AppDefinition app = core.version(appId, version);
        return app == null ? ApiReply.message(404, "App '" + appId + "' does not exist in"
            + " version " + version) : ApiReply.json(200, AppJson.write(app));
      });
    }
    if ((m = VERSIONS.matcher(rest)).matches() && r.method().equals("GET")) {
      String appId = appId(m.group(1));
      return read(core -> {
        requireApp(core, appId);
        ObjectNode body = F.objectNode();
        ArrayNode versions = body.putArray("versions");
        List<String> list = new ArrayList<>(core.versions(appId));
        java.util.Collections.reverse(list);
        list.forEach(versions::add);
        return ApiReply.json(200, body);
      });
    }
    if ((m = GROUP_APPS.matcher(rest)).matches() && r.method().equals("GET")) {
      String group = PathIds.resolve(m.group(1).isEmpty() ? "/" : m.group(1), "/").id();
      return read(core -> {
        ArrayNode apps = F.arrayNode();
        String prefix = group.equals("/") ? "/" : group + "/";
        core.apps().values().stream().filter(a -> a.id().startsWith(prefix))
            .forEach(a -> apps.add(ApiJson.appInfo(core, a, embeds(r, "apps."), now())));
        ObjectNode body = F.objectNode();
        body.set("*", apps);
        return ApiReply.json(200, body);
      });
    }
    return singleApp(r, appId(rest));
  }

  private CompletableFuture<ApiReply> singleApp(ApiRequest r, String appId) {
    switch (r.method()) {
      case "GET":
        return read(core -> {
          AppDefinition app = requireApp(core, appId);
          Set<String> embed = new java.util.HashSet<>(embeds(r, "app."));
          embed.add("tasks");
          embed.add("lastTaskFailure");
          ObjectNode body = F.objectNode();
          body.set("app", ApiJson.appInfo(core, app, embed, now()));
          return ApiReply.json(200, body);
        });
      case "PUT":
      case "PATCH":
        return updateApp(r, appId);
      case "DELETE":
        boolean force = r.flag("force", true);
        return deploy(core -> {
          requireApp(core, appId);
          Map<String, AppDefinition> target = new TreeMap<>(core.apps());
          target.remove(appId);
          return new MarathonCore.Change(target, Set.of(), force);
        }, 200);
      default:
        return notAllowed();
    }
  }

  private CompletableFuture<ApiReply> listApps(ApiRequest r) {
    String id = r.param("id", null);
    String cmd = r.param("cmd", null);
    LabelSelector labels = LabelSelector.parse(r.param("label", ""));
    Set<String> embed = embeds(r, "apps.");
    java.util.function.Predicate<AppDefinition> include = app -> (id == null
        || app.id().toLowerCase(java.util.Locale.ROOT)
            .contains(id.toLowerCase(java.util.Locale.ROOT)))
        && (cmd == null || (app.cmd() != null && app.cmd().contains(cmd)))
        && labels.matches(app.labels());
    // The loop only takes a snapshot, and only when something changed since the last one; the
    // JSON is rendered on the Netty thread, mostly from cached bytes.
    return appsSnapshots.get().thenApply(snapshot -> ApiReply.rendered(200,
        () -> renderedApps.render(snapshot, include, embed)));
  }

  private CompletableFuture<ApiReply> createApp(ApiRequest r) {
    AppDefinition app = AppParser.parse(parse(r.body()), "/");
    boolean force = r.flag("force", false);
    publishApiPost(r, AppJson.write(app));
    return driver.call(core -> {
      if (core.apps().containsKey(app.id())) {
        throw new Rejection(409, "An app with id [" + app.id() + "] already exists.");
      }
      Map<String, AppDefinition> target = new TreeMap<>(core.apps());
      target.put(app.id(), app);
      DeploymentPlan plan = core.deploy(new MarathonCore.Change(target, Set.of(), force), now());
      ObjectNode body = ApiJson.appInfo(core, core.apps().get(app.id()), Set.of(), now());
      return ApiReply.json(201, body).header("Location", app.id())
          .header("Marathon-Deployment-Id", plan.id());
    });
  }

  private CompletableFuture<ApiReply> updateApp(ApiRequest r, String appId) {
    JsonNode body = parse(r.body());
    if (!body.isObject()) {
      throw new ValidationException(ValidationException.INVALID_JSON,
          List.of(Violation.of("/", "error.expected.jsobject")));
    }
    boolean patch = r.method().equals("PATCH");
    boolean partial = patch || r.flag("partialUpdate", true);
    boolean force = r.flag("force", false);
    publishApiPost(r, (ObjectNode) body);
    return driver.call(core -> {
      AppDefinition current = core.apps().get(appId);
      if (current == null && patch) {
        throw Rejection.unknownApp(appId);
      }
      AppDefinition updated = updatedApp(core, current, appId, (ObjectNode) body, partial);
      Map<String, AppDefinition> target = new TreeMap<>(core.apps());
      target.put(appId, updated);
      DeploymentPlan plan = core.deploy(new MarathonCore.Change(target, Set.of(), force), now());
      return ApiReply.json(current == null ? 201 : 200, ApiJson.deploymentResult(plan))
          .header("Marathon-Deployment-Id", plan.id());
    });
  }

  /** The definition a PUT/PATCH asks for: rollback, merge (partial) or replacement. */
  static AppDefinition updatedApp(MarathonCore core, AppDefinition current, String appId,
      ObjectNode body, boolean partial) {
    if (body.size() == 1 && body.has("version") && current != null) {
      AppDefinition old = core.version(appId, body.get("version").asText());
      if (old == null) {
        throw new Rejection(404, "App '" + appId + "' does not exist in version "
            + body.get("version").asText());
      }
      return old.withVersion(null, null);
    }
    ObjectNode merged = partial && current != null ? AppJson.write(current) : F.objectNode();
    merged.remove("version");
    merged.remove("versionInfo");
    body.fields().forEachRemaining(e -> {
      if (!e.getKey().equals("version") && !e.getKey().equals("versionInfo")) {
        merged.set(e.getKey(), e.getValue());
      }
    });
    merged.put("id", appId);
    if (body.has("id") && !PathIds.resolve(body.get("id").asText(), "/").id().equals(appId)) {
      throw ValidationException.of("/id", "The id of the app in the body ("
          + body.get("id").asText() + ") does not match the path (" + appId + ")");
    }
    return AppParser.parse(merged, "/");
  }

  private CompletableFuture<ApiReply> bulkUpdate(ApiRequest r) {
    JsonNode body = parse(r.body());
    if (!body.isArray()) {
      throw new ValidationException(ValidationException.INVALID_JSON,
          List.of(Violation.of("/", "error.expected.jsarray")));
    }
    boolean patch = r.method().equals("PATCH");
    boolean partial = patch || r.flag("partialUpdate", true);
    boolean force = r.flag("force", false);
    return driver.call(core -> {
      Map<String, AppDefinition> target = new TreeMap<>(core.apps());
      for (int i = 0; i < body.size(); i++) {
        JsonNode item = body.get(i);
        String rawId = item.path("id").asText("");
        PathIds.Result id = PathIds.appId(rawId, "/");
        if (id.error().isPresent()) {
          throw ValidationException.of("(" + i + ")/id", id.error().get());
        }
        AppDefinition current = core.apps().get(id.id());
        if (current == null && patch) {
          throw Rejection.unknownApp(id.id());
        }
        target.put(id.id(), updatedApp(core, current, id.id(), (ObjectNode) item, partial));
      }
      DeploymentPlan plan = core.deploy(new MarathonCore.Change(target, Set.of(), force), now());
      return ApiReply.json(200, ApiJson.deploymentResult(plan))
          .header("Marathon-Deployment-Id", plan.id());
    });
  }

  private CompletableFuture<ApiReply> killTasks(ApiRequest r, String appId) {
    boolean scale = r.flag("scale", false);
    boolean wipe = r.flag("wipe", false);
    if (scale && wipe) {
      return CompletableFuture.completedFuture(ApiReply.message(400,
          "You cannot use scale and wipe at the same time."));
    }
    String host = r.param("host", null);
    boolean force = r.flag("force", false);
    return driver.call(core -> {
      AppDefinition app = requireApp(core, appId);
      List<Instance> victims = core.instancesOf(appId).stream()
          .filter(i -> host == null || i.hostname().equals(host)).toList();
      DeploymentPlan plan = core.killTasks(appId, victims.stream().map(Instance::taskId)
          .toList(), scale, force, now());
      if (plan != null) {
        return ApiReply.json(200, ApiJson.deploymentResult(plan))
            .header("Marathon-Deployment-Id", plan.id());
      }
      ObjectNode body = F.objectNode();
      ArrayNode tasks = body.putArray("tasks");
      victims.forEach(i -> tasks.add(ApiJson.task(i, app)));
      return ApiReply.json(200, body);
    });
  }

  private CompletableFuture<ApiReply> killTask(ApiRequest r, String appId, String taskId) {
    boolean scale = r.flag("scale", false);
    boolean force = r.flag("force", false);
    return driver.call(core -> {
      AppDefinition app = requireApp(core, appId);
      Instance victim = core.instancesOf(appId).stream()
          .filter(i -> i.taskId().equals(taskId)).findFirst()
          .orElseThrow(() -> new Rejection(404, "Task '" + taskId + "' does not exist"));
      DeploymentPlan plan = core.killTasks(appId, List.of(taskId), scale, force, now());
      if (plan != null) {
        return ApiReply.json(200, ApiJson.deploymentResult(plan))
            .header("Marathon-Deployment-Id", plan.id());
      }
      ObjectNode body = F.objectNode();
      body.set("task", ApiJson.task(victim, app));
      return ApiReply.json(200, body);
    });
  }

  private CompletableFuture<ApiReply> listTasks(ApiRequest r) {
    String status = r.param("status", null);
    return read(core -> {
      ObjectNode body = F.objectNode();
      ArrayNode tasks = body.putArray("tasks");
      for (Instance instance : core.instances()) {
        if (status == null || instance.state().equalsIgnoreCase("TASK_" + status)) {
          tasks.add(ApiJson.task(instance, core.apps().get(instance.appId())));
        }
      }
      return ApiReply.json(200, body);
    });
  }

  private CompletableFuture<ApiReply> deleteTasks(ApiRequest r) {
    JsonNode body = parse(r.body());
    boolean scale = r.flag("scale", false);
    boolean force = r.flag("force", false);
    List<String> ids = new ArrayList<>();
    body.path("ids").forEach(id -> ids.add(id.asText()));
    return driver.call(core -> {
      Map<String, List<String>> byApp = new TreeMap<>();
      for (String taskId : ids) {
        Instance instance = core.instances().stream().filter(i -> i.taskId().equals(taskId))
            .findFirst().orElseThrow(() -> new Rejection(404, "Task '" + taskId
                + "' does not exist"));
        byApp.computeIfAbsent(instance.appId(), k -> new ArrayList<>()).add(taskId);
      }
      ObjectNode reply = F.objectNode();
      ArrayNode tasks = reply.putArray("tasks");
      DeploymentPlan last = null;
      for (Map.Entry<String, List<String>> entry : byApp.entrySet()) {
        for (String taskId : entry.getValue()) {
          core.instances().stream().filter(i -> i.taskId().equals(taskId)).findFirst()
              .ifPresent(i -> tasks.add(ApiJson.task(i, core.apps().get(i.appId()))));
        }
        last = core.killTasks(entry.getKey(), entry.getValue(), scale, force, now());
      }
      return last != null ? ApiReply.json(200, ApiJson.deploymentResult(last))
          : ApiReply.json(200, reply);
    });
  }

  private CompletableFuture<ApiReply> cancelDeployment(ApiRequest r, String planId) {
    boolean force = r.flag("force", false);
    return driver.call(core -> {
      DeploymentPlan revert = core.cancel(planId, force, now());
      return revert == null ? ApiReply.text(202, "")
          : ApiReply.json(200, ApiJson.deploymentResult(revert))
              .header("Marathon-Deployment-Id", revert.id());
    });
  }

  private ObjectNode info() {
    ObjectNode o = F.objectNode().put("name", info.name()).put("version", info.version())
        .put("buildref", "cairn").put("elected", driver.leadership().leading())
        .put("leader", driver.leadership().leaderAddress())
        .put("frameworkId", driver.frameworkId());
    o.putObject("marathon_config").put("master", "zk://" + info.zk() + "/mesos")
        .put("framework_name", info.name()).put("hostname", info.hostPort().split(":")[0])
        .put("mesos_role", "*").put("max_instances_per_offer", 5)
        .put("decline_offer_duration", 120000).put("reconciliation_interval", 60000);
    o.putObject("zookeeper_config").put("zk", "zk://" + info.zk() + "/marathon")
        .put("zk_compression", false).put("zk_max_versions", 50)
        .put("zk_session_timeout", 10000).put("zk_timeout", 10000);
    o.putObject("http_config").put("http_port", info.httpPort());
    o.putObject("event_subscriber").put("type", "sse");
    return o;
  }

  // ---------------------------------------------------------------- helpers

  /** A core read on the loop. */
  <T> CompletableFuture<ApiReply> read(Function<MarathonCore, ApiReply> f) {
    return driver.call(f);
  }

  /** A deployment from a change computed on the loop; answers deploymentResult. */
  CompletableFuture<ApiReply> deploy(Function<MarathonCore, MarathonCore.Change> change,
      int status) {
    return driver.call(core -> {
      DeploymentPlan plan = core.deploy(change.apply(core), now());
      return ApiReply.json(status, ApiJson.deploymentResult(plan))
          .header("Marathon-Deployment-Id", plan.id());
    });
  }

  MarathonDriver driver() {
    return driver;
  }

  long now() {
    return driver.clock().wallMillis();
  }

  void publishApiPost(ApiRequest r, ObjectNode definition) {
    ObjectNode event = F.objectNode().put("eventType", "api_post_event")
        .put("timestamp", Iso8601.format(now())).put("clientIp", r.remoteAddress())
        .put("uri", r.uri());
    event.set("appDefinition", definition);
    driver.publish(event);
  }

  static AppDefinition requireApp(MarathonCore core, String appId) {
    AppDefinition app = core.apps().get(appId);
    if (app == null) {
      throw Rejection.unknownApp(appId);
    }
    return app;
  }

  static String appId(String raw) {
    PathIds.Result id = PathIds.resolve(raw, "/");
    if (id.error().isPresent()) {
      throw ValidationException.of("/id", id.error().get());
    }
    return id.id();
  }

  static JsonNode parse(String body) {
    try {
      JsonNode node = AppJson.MAPPER.readTree(body == null || body.isBlank() ? "{}" : body);
      return node == null ? F.objectNode() : node;
    } catch (JsonProcessingException e) {
      throw new BadJson(e.getOriginalMessage());
    }
  }

  private static Set<String> embeds(ApiRequest r, String prefix) {
    Set<String> embed = new java.util.HashSet<>();
    for (String value : r.params("embed")) {
      if (value.startsWith(prefix)) {
        embed.add(value.substring(prefix.length()));
      }
    }
    return embed;
  }

  private static CompletableFuture<ApiReply> notAllowed() {
    return CompletableFuture.completedFuture(ApiReply.message(405, "Method not allowed"));
  }

  /** Unparseable JSON: 400 {"message":"Invalid JSON", "details":[...]}. */
  static final class BadJson extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadJson(String message) {
      super(message);
    }
  }

  /** Maps exceptions to Marathon's error bodies ({@code MarathonExceptionMapper}). */
  static ApiReply error(Throwable thrown) {
    Throwable e = thrown instanceof CompletionException && thrown.getCause() != null
        ? thrown.getCause() : thrown;
    if (e instanceof ValidationException v) {
      ObjectNode body = F.objectNode().put("message", v.getMessage());
      ArrayNode details = body.putArray("details");
      for (Violation violation : v.details()) {
        ArrayNode errors = details.addObject().put("path", violation.path()).putArray("errors");
        violation.errors().forEach(errors::add);
      }
      return ApiReply.json(422, body);
    }
    if (e instanceof BadJson) {
      ObjectNode body = F.objectNode().put("message", "Invalid JSON");
      body.putArray("details").addObject().put("path", "/").putArray("errors")
          .add(e.getMessage());
      return ApiReply.json(400, body);
    }
    if (e instanceof Rejection rejection) {
      ObjectNode body = F.objectNode().put("message", rejection.getMessage());
      if (!rejection.deploymentIds().isEmpty()) {
        ArrayNode deployments = body.putArray("deployments");
        rejection.deploymentIds().forEach(id -> deployments.addObject().put("id", id));
      }
      return ApiReply.json(rejection.status(), body);
    }
    if (e instanceof MarathonDriver.NotLeader) {
      return ApiReply.message(503, "Could not determine the current leader");
    }
    return ApiReply.message(500, "An unexpected server error occurred: " + e);
  }
}
