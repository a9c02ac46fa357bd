package io.cairn.marathon.internal.core;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.marathon.internal.model.Iso8601;

/** Marathon's event payloads ({@code core/event/Events.scala}): {@code eventType}, {@code timestamp}. */
final class Events {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private Events() {}

  static ObjectNode event(String type, long nowMillis) {
    return F.objectNode().put("eventType", type).put("timestamp", Iso8601.format(nowMillis));
  }

  static ObjectNode plan(DeploymentPlan plan) {
    ObjectNode o = F.objectNode().put("id", plan.id()).put("version", plan.version());
    ArrayNode steps = o.putArray("steps");
    for (DeploymentPlan.Step step : plan.steps()) {
      ArrayNode actions = steps.addObject().putArray("actions");
      step.actions().forEach(a -> actions.addObject().put("action", a.type().name())
          .put("app", a.appId()));
    }
    return o;
  }

  static ObjectNode statusUpdate(Instance instance, String state, String message,
      long nowMillis) {
    ObjectNode e = event("status_update_event", nowMillis)
        .put("slaveId", instance.agentId()).put("taskId", instance.taskId())
        .put("taskStatus", state).put("message", message).put("appId", instance.appId())
        .put("host", instance.hostname()).put("version", instance.appVersion());
    ArrayNode ports = e.putArray("ports");
    instance.hostPorts().forEach(ports::add);
    e.putArray("ipAddresses");
    return e;
  }
}
