package io.cairn.master.internal.server;

import io.cairn.proto.mesos.v1.Protos.Attribute;
import io.cairn.proto.mesos.v1.Protos.FrameworkInfo;
import io.cairn.proto.mesos.v1.Protos.MasterInfo;
import io.cairn.proto.mesos.v1.Protos.Offer;
import io.cairn.proto.mesos.v1.Protos.Resource;
import io.cairn.proto.mesos.v1.Protos.Task;
import io.cairn.proto.mesos.v1.Protos.TaskStatus;
import io.cairn.proto.mesos.v1.Protos.Value;
import io.cairn.proto.mesos.v1.master.Protos.Response;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Renders {@code GET /master/state} in Mesos's v0 JSON shape ({@code
 * src/master/readonly_handler.cpp}): top-level master fields, {@code slaves}, {@code frameworks}
 * with their tasks and offers, resources as {@code {"cpus":4.0,"mem":4096.0,"ports":"[31000-32000]"}}.
 * Pure: called on the master thread with the core's GET_STATE.
 */
final class StateJson {
  private StateJson() {}

  /** The state as seen on this node: {@code state} empty when it does not lead. */
  static String render(Optional<Response.GetState> state, Optional<MasterInfo> self,
      Optional<String> leader, MasterDriver.Settings settings, long startMs, long electedMs) {
    Json json = new Json().object();
    json.field("version", "1.11.0").field("git_sha", "").field("build_date", "")
        .field("start_time", startMs / 1000.0);
    if (self.isPresent()) {
      json.field("elected_time", electedMs / 1000.0).field("id", self.get().getId())
          .field("pid", self.get().getPid());
    } else {
      json.field("id", "").field("pid", "master@" + settings.ip() + ":" + settings.port());
    }
    json.field("hostname", settings.hostname());
    leader.ifPresent(l -> json.field("leader", "master@" + l));
    self.ifPresent(info -> json.key("leader_info").raw(HttpStream.toJson(info)));
    json.key("capabilities").array().endArray();
    json.key("flags").object().field("port", String.valueOf(settings.port())).end();
    Response.GetState s = state.orElse(Response.GetState.getDefaultInstance());
    long active = s.getGetAgents().getAgentsList().stream().filter(a -> a.getActive()).count();
    json.field("activated_slaves", active)
        .field("deactivated_slaves", s.getGetAgents().getAgentsCount() - active)
        .field("unreachable_slaves", 0L);
    json.key("slaves").array();
    for (Response.GetAgents.Agent agent : s.getGetAgents().getAgentsList()) {
      agent(json, agent);
    }
    json.endArray();
    json.key("frameworks").array();
    for (Response.GetFrameworks.Framework framework : s.getGetFrameworks().getFrameworksList()) {
      framework(json, framework, s.getGetTasks());
    }
    json.endArray();
    json.key("completed_frameworks").array().endArray();
    json.key("orphan_tasks").array().endArray();
    json.key("unregistered_frameworks").array().endArray();
    return json.end().toString();
  }

  private static void agent(Json json, Response.GetAgents.Agent agent) {
    json.object().field("id", agent.getAgentInfo().getId().getValue())
        .field("pid", "slave(1)@" + agent.getAgentInfo().getHostname() + ":"
            + agent.getAgentInfo().getPort())
        .field("hostname", agent.getAgentInfo().getHostname())
        .field("port", (long) agent.getAgentInfo().getPort())
        .field("registered_time", agent.getRegisteredTime().getNanoseconds() / 1e9)
        .field("active", agent.getActive()).field("version", agent.getVersion());
    json.key("resources");
    resources(json, agent.getTotalResourcesList());
    json.key("used_resources");
    resources(json, agent.getAllocatedResourcesList());
    json.key("offered_resources");
    resources(json, agent.getOfferedResourcesList());
    json.key("unreserved_resources");
    resources(json, agent.getTotalResourcesList().stream()
        .filter(r -> r.getReservationsCount() == 0).toList());
    json.key("attributes").object();
    for (Attribute attribute : agent.getAgentInfo().getAttributesList()) {
      json.key(attribute.getName());
      switch (attribute.getType()) {
        case SCALAR -> json.value(attribute.getScalar().getValue());
        case TEXT -> json.value(attribute.getText().getValue());
        case RANGES -> json.value(ranges(attribute.getRanges()));
        default -> json.value(String.join(",", attribute.getSet().getItemList()));
      }
    }
    json.end().end();
  }

  private static void framework(Json json, Response.GetFrameworks.Framework framework,
      Response.GetTasks tasks) {
    FrameworkInfo info = framework.getFrameworkInfo();
    String id = info.getId().getValue();
    json.object().field("id", id).field("name", info.getName()).field("pid", "")
        .field("user", info.getUser()).field("hostname", info.getHostname())
        .field("webui_url", info.getWebuiUrl()).field("active", framework.getActive())
        .field("connected", framework.getConnected()).field("recovered", framework.getRecovered())
        .field("failover_timeout", info.getFailoverTimeout())
        .field("checkpoint", info.getCheckpoint()).field("principal", info.getPrincipal())
        .field("registered_time", framework.getRegisteredTime().getNanoseconds() / 1e9)
        .field("unregistered_time", 0L)
        .field("role", info.getRolesCount() > 0 ? info.getRoles(0) : info.getRole());
    json.key("roles").array();
    info.getRolesList().forEach(json::value);
    json.endArray();
    json.key("capabilities").array();
    info.getCapabilitiesList().forEach(c -> json.value(c.getType().name()));
    json.endArray();
    json.key("tasks").array();
    tasks.getTasksList().stream().filter(t -> t.getFrameworkId().getValue().equals(id))
        .forEach(t -> task(json, t));
    json.endArray();
    json.key("unreachable_tasks").array();
    tasks.getUnreachableTasksList().stream().filter(t -> t.getFrameworkId().getValue().equals(id))
        .forEach(t -> task(json, t));
    json.endArray();
    json.key("completed_tasks").array();
    tasks.getCompletedTasksList().stream().filter(t -> t.getFrameworkId().getValue().equals(id))
        .forEach(t -> task(json, t));
    json.endArray();
    json.key("offers").array();
    for (Offer offer : framework.getOffersList()) {
      json.object().field("id", offer.getId().getValue()).field("framework_id", id)
          .field("slave_id", offer.getAgentId().getValue());
      json.key("resources");
      resources(json, offer.getResourcesList());
      json.end();
    }
    json.endArray();
    json.key("executors").array().endArray();
    json.end();
  }

  private static void task(Json json, Task task) {
    json.object().field("id", task.getTaskId().getValue()).field("name", task.getName())
        .field("framework_id", task.getFrameworkId().getValue())
        .field("executor_id", task.getExecutorId().getValue())
        .field("slave_id", task.getAgentId().getValue()).field("state", task.getState().name())
        .field("role", task.getResourcesCount() > 0
            ? task.getResources(0).getAllocationInfo().getRole() : "*");
    json.key("resources");
    resources(json, task.getResourcesList());
    json.key("statuses").array();
    for (TaskStatus status : task.getStatusesList()) {
      json.object().field("state", status.getState().name())
          .field("timestamp", status.getTimestamp()).end();
    }
    json.endArray().end();
  }

  /** Mesos's v0 resource object: scalars summed by name, ranges as text. */
  static void resources(Json json, List<Resource> resources) {
    TreeMap<String, Double> scalars = new TreeMap<>();
    for (String name : List.of("cpus", "mem", "disk", "gpus")) {
      scalars.put(name, 0.0);
    }
    TreeMap<String, StringBuilder> ranges = new TreeMap<>();
    for (Resource r : resources) {
      if (r.getType() == Value.Type.SCALAR) {
        scalars.merge(r.getName(), r.getScalar().getValue(), Double::sum);
      } else if (r.getType() == Value.Type.RANGES) {
        StringBuilder b = ranges.computeIfAbsent(r.getName(), k -> new StringBuilder());
        String text = ranges(r.getRanges());
        b.append(b.length() == 0 ? text : ", " + text);
      }
    }
    json.object();
    scalars.forEach((k, v) -> json.field(k, v));
    ranges.forEach((k, v) -> json.field(k, v.toString()));
    json.end();
  }

  private static String ranges(Value.Ranges ranges) {
    StringBuilder b = new StringBuilder("[");
    for (Value.Range range : ranges.getRangeList()) {
      if (b.length() > 1) {
        b.append(", ");
      }
      b.append(range.getBegin()).append('-').append(range.getEnd());
    }
    return b.append(']').toString();
  }
}
