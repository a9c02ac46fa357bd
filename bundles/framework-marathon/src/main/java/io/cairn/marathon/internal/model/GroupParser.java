package io.cairn.marathon.internal.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a Marathon group body ({@code {"id", "apps":[...], "groups":[...]}}) into the apps it
 * contains, resolving relative ids against each enclosing group, and validates all of them at
 * once (paths like {@code /groups(0)/apps(1)/cpus}).
 */
public final class GroupParser {
  private GroupParser() {}

  /** The group's absolute id and its apps (recursively), by id. */
  public record Parsed(String id, Map<String, AppDefinition> apps) {}

  public static Parsed parse(JsonNode json, String pathGroupId) {
    JsonReader in = new JsonReader();
    Map<String, AppDefinition> apps = new LinkedHashMap<>();
    String id = pathGroupId;
    if (json.hasNonNull("id")) {
      PathIds.Result result = PathIds.resolve(json.get("id").asText(), pathGroupId);
      if (result.error().isPresent()) {
        in.rule("/id", result.error().get());
      } else {
        id = result.id();
      }
    }
    read(json, id, "", in, apps);
    if (!in.typeErrors().isEmpty()) {
      throw new ValidationException(ValidationException.INVALID_JSON, in.typeErrors());
    }
    if (!in.ruleErrors().isEmpty()) {
      throw new ValidationException(ValidationException.NOT_VALID, in.ruleErrors());
    }
    return new Parsed(id, apps);
  }

  private static void read(JsonNode group, String groupId, String p, JsonReader in,
      Map<String, AppDefinition> apps) {
    in.array(group, "apps", p, (item, path) -> {
      AppDefinition app = AppParser.read(item, groupId, path, in);
      if (app != null && !app.id().equals("/")) {
        if (!app.id().startsWith(groupId.equals("/") ? "/" : groupId + "/")) {
          in.rule(path + "/id", "app id " + app.id() + " is not inside group " + groupId);
        } else if (apps.put(app.id(), app) != null) {
          in.rule(path + "/id", "app id " + app.id() + " is given twice");
        }
      }
      return app;
    });
    in.array(group, "groups", p, (item, path) -> {
      String sub = groupId;
      if (item.hasNonNull("id")) {
        PathIds.Result result = PathIds.resolve(item.get("id").asText(), groupId);
        if (result.error().isPresent()) {
          in.rule(path + "/id", result.error().get());
          return null;
        }
        sub = result.id();
      } else {
        in.typeError(path + "/id", "error.path.missing");
        return null;
      }
      read(item, sub, path, in, apps);
      return sub;
    });
  }
}
