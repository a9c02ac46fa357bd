package io.cairn.marathon.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.marathon.internal.core.DeploymentPlan;
import io.cairn.marathon.internal.core.MarathonCore;
import io.cairn.marathon.internal.core.Rejection;
import io.cairn.marathon.internal.model.AppDefinition;
import io.cairn.marathon.internal.model.GroupParser;
import io.cairn.marathon.internal.model.PathIds;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * {@code /v2/groups}: groups are the app ids' parent paths (Cairn stores apps; a group exists
 * while it holds an app). GET the tree, POST a new group with its apps (201), PUT to update
 * (with {@code dryRun} returning the steps), DELETE a group and all its apps.
 */
final class GroupsApi {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private GroupsApi() {}

  static CompletableFuture<ApiReply> route(MarathonApi api, ApiRequest r, String rest) {
    String raw = rest.isEmpty() ? "/" : rest;
    if (raw.endsWith("/versions") && r.method().equals("GET")) {
      String groupId = MarathonApi.appId(raw.substring(0, raw.length() - "/versions".length())
          + "/");
      return api.read(core -> {
        ArrayNode versions = F.arrayNode();
        core.apps().values().stream().filter(a -> inGroup(a.id(), groupId))
            .map(AppDefinition::version).distinct().sorted(java.util.Comparator.reverseOrder())
            .forEach(versions::add);
        return ApiReply.json(200, versions);
      });
    }
    String groupId = PathIds.resolve(raw, "/").id();
    return switch (r.method()) {
      case "GET" -> api.read(core -> {
        boolean exists = groupId.equals("/") || core.apps().keySet().stream()
            .anyMatch(id -> inGroup(id, groupId));
        return exists ? ApiReply.json(200, ApiJson.group(core, groupId, api.now()))
            : ApiReply.message(404, "Group '" + groupId + "' does not exist");
      });
      case "POST" -> change(api, r, groupId, true);
      case "PUT", "PATCH" -> change(api, r, groupId, false);
      case "DELETE" -> api.deploy(core -> {
        Map<String, AppDefinition> target = new TreeMap<>(core.apps());
        boolean removed = target.keySet().removeIf(id -> inGroup(id, groupId));
        if (!removed && !groupId.equals("/")) {
          throw new Rejection(404, "Group '" + groupId + "' does not exist");
        }
        return new MarathonCore.Change(target, Set.of(), r.flag("force", false));
      }, 200);
      default -> CompletableFuture.completedFuture(ApiReply.message(405,
          "Method not allowed"));
    };
  }

  private static CompletableFuture<ApiReply> change(MarathonApi api, ApiRequest r,
      String pathGroup, boolean create) {
    JsonNode body = MarathonApi.parse(r.body());
    GroupParser.Parsed parsed = GroupParser.parse(body, pathGroup);
    boolean force = r.flag("force", false);
    boolean dryRun = r.flag("dryRun", false);
    String groupId = parsed.id();
    return api.driver().call(core -> {
      boolean exists = core.apps().keySet().stream().anyMatch(id -> inGroup(id, groupId));
      if (create && exists) {
        throw new Rejection(409, "Group " + groupId
            + " is already created. Use PUT to change this group.");
      }
      if (create && core.apps().containsKey(groupId)) {
        throw new Rejection(409, "An app with the path " + groupId + " already exists.");
      }
      Map<String, AppDefinition> target = new TreeMap<>(core.apps());
      if (body.has("apps") || body.has("groups")) {
        target.keySet().removeIf(id -> inGroup(id, groupId));
      }
      target.putAll(parsed.apps());
      if (body.has("scaleBy") && body.get("scaleBy").isNumber()) {
        double factor = body.get("scaleBy").asDouble();
        target.replaceAll((id, app) -> inGroup(id, groupId)
            ? app.withInstances((int) Math.ceil(app.instances() * factor)) : app);
      }
      if (dryRun) {
        DeploymentPlan plan = DeploymentPlan.compute("dry-run", "", core.apps(), target);
        ObjectNode steps = F.objectNode();
        steps.set("steps", ApiJson.deployment(plan).get("steps"));
        return ApiReply.json(200, steps);
      }
      DeploymentPlan plan = core.deploy(new MarathonCore.Change(target, Set.of(), force),
          api.now());
      ApiReply reply = ApiReply.json(create ? 201 : 200, ApiJson.deploymentResult(plan))
          .header("Marathon-Deployment-Id", plan.id());
      return create ? reply.header("Location", groupId) : reply;
    });
  }

  static boolean inGroup(String appId, String groupId) {
    return groupId.equals("/") || appId.startsWith(groupId + "/");
  }
}
