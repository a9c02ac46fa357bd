package io.cairn.agent.internal.http;

import io.cairn.agent.internal.core.MesosText;
import io.cairn.agent.internal.core.TaskRecord;
import io.cairn.agent.internal.runtime.AgentSnapshot;
import io.cairn.proto.mesos.v1.Protos.Attribute;
import io.cairn.proto.mesos.v1.Protos.FrameworkInfo;
import io.cairn.proto.mesos.v1.Protos.Resource;
import io.cairn.proto.mesos.v1.Protos.TaskStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The agent's {@code /state} in the shape of Mesos's agent {@code /state} (src/slave/http.cpp):
 * id, pid, hostname, resources (scalars as numbers, ranges and sets as text), attributes,
 * master_hostname, frameworks with executors with tasks (terminal ones whose update is still
 * unacknowledged under completed_tasks), flags. For a command task the executor id is the task id,
 * as with Mesos's command executor. Pure: a snapshot in, text out.
 */
final class StateJson {
  private StateJson() {}

  static String render(AgentSnapshot snapshot, String version, int httpPort) {
    Json json = new Json().object();
    String id = snapshot.agentInfo().hasId() ? snapshot.agentInfo().getId().getValue() : "";
    String hostname = snapshot.agentInfo().getHostname();
    json.field("version", version)
        .field("start_time", snapshot.startMillis() / 1000.0)
        .field("id", id)
        .field("pid", "slave(1)@" + hostname + ":" + httpPort)
        .field("hostname", hostname)
        .field("registration", snapshot.registration().name())
        .field("draining", snapshot.draining());
    json.key("resources");
    resources(json, snapshot.agentInfo().getResourcesList());
    json.key("attributes");
    attributes(json, snapshot.agentInfo().getAttributesList());
    snapshot.master().ifPresent(m -> json.field("master_hostname", m.substring(0, m.lastIndexOf(':'))));
    json.key("frameworks").array();
    for (List<TaskRecord> tasks : byFramework(snapshot.tasks()).values()) {
      framework(json, tasks, id, snapshot.sandboxes());
    }
    json.endArray();
    json.key("completed_frameworks").array().endArray();
    json.key("flags").object()
        .field("work_dir", snapshot.workDir().toString())
        .field("hostname", hostname)
        .field("port", String.valueOf(httpPort))
        .field("resources", MesosText.format(snapshot.agentInfo().getResourcesList()))
        .field("containerizers", String.join(",", snapshot.containerizers()))
        .field("isolation", snapshot.isolation())
        .endObject();
    json.key("isolation").object()
        .field("in_effect", snapshot.isolation())
        .field("detail", snapshot.isolationDetail())
        .endObject();
    json.key("docker").object()
        .field("enabled", snapshot.containerizers().contains("docker"))
        .field("engine", snapshot.dockerEngine())
        .endObject();
    return json.endObject().toString();
  }

  private static Map<String, List<TaskRecord>> byFramework(List<TaskRecord> tasks) {
    Map<String, List<TaskRecord>> grouped = new LinkedHashMap<>();
    for (TaskRecord task : tasks) {
      grouped.computeIfAbsent(task.frameworkId(), f -> new ArrayList<>()).add(task);
    }
    return grouped;
  }

  private static void framework(Json json, List<TaskRecord> tasks, String agentId,
      Map<String, Path> sandboxes) {
    FrameworkInfo info = tasks.get(0).framework();
    json.object()
        .field("id", info.getId().getValue())
        .field("name", info.getName())
        .field("user", info.getUser())
        .field("failover_timeout", info.getFailoverTimeout())
        .field("checkpoint", info.getCheckpoint())
        .field("hostname", info.getHostname());
    json.key("executors").array();
    for (TaskRecord task : tasks) {
      if (!TaskRecord.isTerminal(task.state())) {
        executor(json, task, agentId, sandboxes.get(task.taskId()));
      }
    }
    json.endArray();
    json.key("completed_executors").array();
    for (TaskRecord task : tasks) {
      if (TaskRecord.isTerminal(task.state())) {
        executor(json, task, agentId, sandboxes.get(task.taskId()));
      }
    }
    json.endArray().endObject();
  }

  private static void executor(Json json, TaskRecord task, String agentId, Path sandbox) {
    boolean terminal = TaskRecord.isTerminal(task.state());
    json.object()
        .field("id", task.taskId())
        .field("name", "Command Executor (Task: " + task.taskId() + ")")
        .field("source", task.taskId())
        .field("type", "COMMAND")
        .field("directory", sandbox == null ? "" : sandbox.toString());
    if (sandbox != null) {
      json.field("container", sandbox.getFileName().toString());
    }
    json.key("resources");
    resources(json, task.task().getResourcesList());
    json.key("tasks").array();
    if (!terminal) {
      task(json, task, agentId);
    }
    json.endArray();
    json.key("queued_tasks").array().endArray();
    json.key("completed_tasks").array();
    if (terminal) {
      task(json, task, agentId);
    }
    json.endArray().endObject();
  }

  private static void task(Json json, TaskRecord task, String agentId) {
    json.object()
        .field("id", task.taskId())
        .field("name", task.task().getName())
        .field("framework_id", task.frameworkId())
        .field("executor_id", task.taskId())
        .field("slave_id", agentId)
        .field("state", task.state().name());
    json.key("resources");
    resources(json, task.task().getResourcesList());
    json.key("statuses").array();
    task.latest().ifPresent(status -> status(json, status));
    json.endArray();
    json.field("unacknowledged_updates", (long) task.pending().size());
    json.endObject();
  }

  private static void status(Json json, TaskStatus status) {
    json.object()
        .field("state", status.getState().name())
        .field("timestamp", status.getTimestamp());
    if (status.hasHealthy()) {
      json.field("healthy", status.getHealthy());
    }
    if (status.hasMessage()) {
      json.field("message", status.getMessage());
    }
    if (status.hasReason()) {
      json.field("reason", status.getReason().name());
    }
    json.endObject();
  }

  /** Mesos's model(Resources): scalars summed by name as numbers, ranges and sets as text. */
  static void resources(Json json, List<Resource> resources) {
    Map<String, Double> scalars = new TreeMap<>();
    Map<String, String> texts = new TreeMap<>();
    for (Resource resource : resources) {
      switch (resource.getType()) {
        case SCALAR -> scalars.merge(resource.getName(), resource.getScalar().getValue(), Double::sum);
        case RANGES -> texts.merge(resource.getName(),
            MesosText.formatRanges(resource.getRanges()), (a, b) -> a + "," + b);
        case SET -> texts.merge(resource.getName(),
            "{" + String.join(",", resource.getSet().getItemList()) + "}", (a, b) -> a + "," + b);
        default -> { }
      }
    }
    json.object();
    for (String name : List.of("cpus", "mem", "disk", "gpus")) {
      json.field(name, scalars.getOrDefault(name, 0.0));
      scalars.remove(name);
    }
    scalars.forEach(json::field);
    texts.forEach(json::field);
    json.endObject();
  }

  private static void attributes(Json json, List<Attribute> attributes) {
    json.object();
    for (Attribute attribute : attributes) {
      switch (attribute.getType()) {
        case SCALAR -> json.field(attribute.getName(), attribute.getScalar().getValue());
        case RANGES -> json.field(attribute.getName(), MesosText.formatRanges(attribute.getRanges()));
        case TEXT -> json.field(attribute.getName(), attribute.getText().getValue());
        default -> { }
      }
    }
    json.endObject();
  }
}
