package io.cairn.marathon.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.marathon.internal.core.DeploymentPlan;
import io.cairn.marathon.internal.core.Instance;
import io.cairn.marathon.internal.model.AppDefinition;
import io.cairn.marathon.internal.model.AppJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored forms of deployment plans and instances (apps are stored as {@link AppJson}). JSON,
 * so that {@code zk:get} shows something a person can read.
 */
public final class StateJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private StateJson() {}

  public static ObjectNode plan(DeploymentPlan plan) {
    ObjectNode o = F.objectNode().put("id", plan.id()).put("version", plan.version())
        .put("currentStep", plan.currentStep());
    ObjectNode original = o.putObject("original");
    plan.original().forEach((id, app) -> original.set(id, AppJson.write(app)));
    ObjectNode target = o.putObject("target");
    plan.target().forEach((id, app) -> target.set(id, AppJson.write(app)));
    ArrayNode steps = o.putArray("steps");
    for (DeploymentPlan.Step step : plan.steps()) {
      ArrayNode actions = steps.addObject().putArray("actions");
      step.actions().forEach(a -> actions.addObject().put("action", a.type().name())
          .put("app", a.appId()));
    }
    return o;
  }

  public static DeploymentPlan plan(JsonNode json) {
    List<DeploymentPlan.Step> steps = new ArrayList<>();
    for (JsonNode step : json.path("steps")) {
      List<DeploymentPlan.Action> actions = new ArrayList<>();
      for (JsonNode action : step.path("actions")) {
        actions.add(new DeploymentPlan.Action(
            DeploymentPlan.ActionType.valueOf(action.path("action").asText()),
            action.path("app").asText()));
      }
      steps.add(new DeploymentPlan.Step(actions));
    }
    return new DeploymentPlan(json.path("id").asText(), json.path("version").asText(),
        apps(json.path("original")), apps(json.path("target")), steps,
        json.path("currentStep").asInt());
  }

  private static Map<String, AppDefinition> apps(JsonNode node) {
    Map<String, AppDefinition> apps = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> apps.put(e.getKey(),
        AppJson.read((ObjectNode) e.getValue())));
    return apps;
  }

  public static ObjectNode instance(Instance instance) {
    ObjectNode o = F.objectNode().put("taskId", instance.taskId())
        .put("appId", instance.appId()).put("appVersion", instance.appVersion())
        .put("configVersion", instance.configVersion()).put("agentId", instance.agentId())
        .put("hostname", instance.hostname()).put("state", instance.state())
        .put("stagedAt", instance.stagedAtMillis()).put("startedAt", instance.startedAtMillis())
        .put("killRequested", instance.killRequested())
        .put("unreachableSince", instance.unreachableSinceMillis());
    if (instance.healthy() != null) {
      o.put("healthy", instance.healthy());
    }
    ObjectNode attributes = o.putObject("attributes");
    instance.attributes().forEach(attributes::put);
    ArrayNode ports = o.putArray("hostPorts");
    instance.hostPorts().forEach(ports::add);
    return o;
  }

  public static Instance instance(JsonNode json) {
    Map<String, String> attributes = new LinkedHashMap<>();
    json.path("attributes").fields().forEachRemaining(e -> attributes.put(e.getKey(),
        e.getValue().asText()));
    List<Integer> ports = new ArrayList<>();
    json.path("hostPorts").forEach(p -> ports.add(p.asInt()));
    return new Instance(json.path("taskId").asText(), json.path("appId").asText(),
        json.path("appVersion").asText(), json.path("configVersion").asText(),
        json.path("agentId").asText(), json.path("hostname").asText(), attributes, ports,
        json.path("state").asText(), json.has("healthy") ? json.get("healthy").asBoolean() : null,
        json.path("stagedAt").asLong(), json.path("startedAt").asLong(),
        json.path("killRequested").asBoolean(), json.path("unreachableSince").asLong());
  }
}
