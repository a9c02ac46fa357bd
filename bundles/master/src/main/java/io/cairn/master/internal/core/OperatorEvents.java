package io.cairn.master.internal.core;

import io.cairn.master.internal.core.MasterBooks.AgentEntry;
import io.cairn.master.internal.core.MasterBooks.FrameworkEntry;
import io.cairn.proto.mesos.v1.Protos.AgentID;
import io.cairn.proto.mesos.v1.Protos.FrameworkID;
import io.cairn.proto.mesos.v1.Protos.FrameworkInfo;
import io.cairn.proto.mesos.v1.Protos.Task;
import io.cairn.proto.mesos.v1.Protos.TaskStatus;
import io.cairn.proto.mesos.v1.master.Protos.Event;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The operator API's event streams ({@code POST /api/v1} SUBSCRIBE, Mesos {@code
 * master.proto} Event): SUBSCRIBED with the whole state, then TASK_ADDED, TASK_UPDATED,
 * AGENT_ADDED, AGENT_REMOVED, FRAMEWORK_ADDED, FRAMEWORK_REMOVED and HEARTBEAT. At most {@link
 * #MAX_SUBSCRIBERS} streams (Mesos's limit). Part of the core: same thread, same rules.
 */
final class OperatorEvents {
  /** Mesos's MAX_OPERATOR_EVENT_STREAM_SUBSCRIBERS. */
  static final int MAX_SUBSCRIBERS = 1000;

  private final MasterCore core;
  private final Set<String> streams = new LinkedHashSet<>();

  OperatorEvents(MasterCore core) {
    this.core = core;
  }

  CallResult subscribe(String streamId) {
    if (streams.size() >= MAX_SUBSCRIBERS) {
      return CallResult.forbidden("this master already serves " + MAX_SUBSCRIBERS
          + " operator event streams; close one first");
    }
    streams.add(streamId);
    core.outbox.toOperatorStream(streamId, Event.newBuilder().setType(Event.Type.SUBSCRIBED)
        .setSubscribed(Event.Subscribed.newBuilder().setGetState(StateViews.state(core))
            .setHeartbeatIntervalSeconds(core.settings.heartbeatIntervalMs() / 1000.0))
        .build());
    return CallResult.ACCEPTED;
  }

  boolean closed(String streamId) {
    return streams.remove(streamId);
  }

  Set<String> streams() {
    return streams;
  }

  void heartbeat() {
    send(Event.newBuilder().setType(Event.Type.HEARTBEAT).build());
  }

  void taskAdded(Task task) {
    if (!streams.isEmpty()) {
      send(Event.newBuilder().setType(Event.Type.TASK_ADDED)
          .setTaskAdded(Event.TaskAdded.newBuilder().setTask(task)).build());
    }
  }

  void taskUpdated(FrameworkID frameworkId, TaskStatus status, Task task) {
    if (!streams.isEmpty()) {
      send(Event.newBuilder().setType(Event.Type.TASK_UPDATED)
          .setTaskUpdated(Event.TaskUpdated.newBuilder().setFrameworkId(frameworkId)
              .setStatus(status).setState(task == null ? status.getState() : task.getState()))
          .build());
    }
  }

  void agentAdded(AgentEntry agent) {
    if (!streams.isEmpty()) {
      send(Event.newBuilder().setType(Event.Type.AGENT_ADDED).setAgentAdded(
          Event.AgentAdded.newBuilder().setAgent(StateViews.agentView(core, agent))).build());
    }
  }

  void agentRemoved(String agentId) {
    if (!streams.isEmpty()) {
      send(Event.newBuilder().setType(Event.Type.AGENT_REMOVED).setAgentRemoved(
          Event.AgentRemoved.newBuilder().setAgentId(AgentID.newBuilder().setValue(agentId)))
          .build());
    }
  }

  void frameworkAdded(FrameworkEntry framework) {
    if (!streams.isEmpty()) {
      send(Event.newBuilder().setType(Event.Type.FRAMEWORK_ADDED).setFrameworkAdded(
          Event.FrameworkAdded.newBuilder().setFramework(
              StateViews.frameworkView(core, framework))).build());
    }
  }

  void frameworkRemoved(FrameworkInfo info) {
    if (!streams.isEmpty()) {
      send(Event.newBuilder().setType(Event.Type.FRAMEWORK_REMOVED).setFrameworkRemoved(
          Event.FrameworkRemoved.newBuilder().setFrameworkInfo(info)).build());
    }
  }

  private void send(Event event) {
    for (String stream : streams) {
      core.outbox.toOperatorStream(stream, event);
    }
  }
}
