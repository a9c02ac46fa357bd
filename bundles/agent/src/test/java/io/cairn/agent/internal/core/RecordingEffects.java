package io.cairn.agent.internal.core;

import io.cairn.proto.agent.AgentMessage;
import io.cairn.proto.mesos.v1.Protos.AgentInfo;
import io.cairn.proto.mesos.v1.Protos.FrameworkInfo;
import io.cairn.proto.mesos.v1.Protos.HealthCheck;
import io.cairn.proto.mesos.v1.Protos.TaskInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Records what the core asked for, in order. */
final class RecordingEffects implements AgentEffects {
  final List<AgentMessage> sent = new ArrayList<>();
  final List<String> launched = new ArrayList<>();
  final Map<String, Optional<Duration>> killed = new HashMap<>();
  final Map<String, TaskRecord> persisted = new HashMap<>();
  final List<String> removed = new ArrayList<>();
  final List<String> healthChecks = new ArrayList<>();
  final List<String> log = new ArrayList<>();
  Optional<AgentInfo> agentInfo = Optional.empty();
  int disconnects;

  @Override
  public void send(AgentMessage message) {
    sent.add(message);
    log.add("send " + message.getBodyCase());
  }

  @Override
  public void launch(FrameworkInfo framework, TaskInfo task) {
    launched.add(task.getTaskId().getValue());
  }

  @Override
  public void kill(String taskId, Optional<Duration> gracePeriod) {
    killed.put(taskId, gracePeriod);
  }

  @Override
  public void persistAgentInfo(Optional<AgentInfo> info) {
    agentInfo = info;
  }

  @Override
  public void persistTask(TaskRecord record) {
    persisted.put(record.taskId(), record);
    log.add("persist " + record.taskId());
  }

  @Override
  public void removeTask(TaskRecord record) {
    persisted.remove(record.taskId());
    removed.add(record.taskId());
  }

  @Override
  public void disconnect(String reason) {
    disconnects++;
  }

  @Override
  public void startHealthCheck(String taskId, HealthCheck check) {
    healthChecks.add(taskId);
  }

  @Override
  public void stopHealthCheck(String taskId) {
    healthChecks.remove(taskId);
  }

  /** Messages sent of one kind, and clears the list. */
  List<AgentMessage> drain() {
    List<AgentMessage> copy = List.copyOf(sent);
    sent.clear();
    return copy;
  }
}
