package io.cairn.agent.internal.http;

import io.cairn.agent.internal.core.AgentCore;
import io.cairn.agent.internal.core.TaskRecord;
import io.cairn.agent.internal.runtime.AgentSnapshot;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code /metrics} in the Prometheus text format (version 0.0.4): registration, tasks by state,
 * unacknowledged status updates, and the agent's total scalar resources. Names follow Mesos's
 * agent metrics where one exists ({@code slave/registered}, {@code slave/tasks_running}, ...),
 * with {@code /} written as {@code _} and a {@code cairn_agent_} prefix. Pure.
 */
final class MetricsText {
  private MetricsText() {}

  static String render(AgentSnapshot snapshot, long nowMillis) {
    StringBuilder out = new StringBuilder();
    gauge(out, "cairn_agent_registered", "1 when registered with the leading master",
        snapshot.registration() == AgentCore.Registration.REGISTERED ? 1 : 0);
    gauge(out, "cairn_agent_draining", "1 once a drain started", snapshot.draining() ? 1 : 0);
    gauge(out, "cairn_agent_uptime_seconds", "Seconds since the agent started",
        (nowMillis - snapshot.startMillis()) / 1000.0);
    Map<TaskState, Integer> byState = new EnumMap<>(TaskState.class);
    for (TaskRecord task : snapshot.tasks()) {
      byState.merge(task.state(), 1, Integer::sum);
    }
    out.append("# HELP cairn_agent_tasks Tasks the agent knows, by state\n");
    out.append("# TYPE cairn_agent_tasks gauge\n");
    for (TaskState state : new TaskState[] {TaskState.TASK_STAGING, TaskState.TASK_STARTING,
        TaskState.TASK_RUNNING, TaskState.TASK_FINISHED, TaskState.TASK_FAILED,
        TaskState.TASK_KILLED, TaskState.TASK_LOST}) {
      out.append("cairn_agent_tasks{state=\"").append(state.name()).append("\"} ")
          .append(byState.getOrDefault(state, 0)).append('\n');
    }
    gauge(out, "cairn_agent_status_updates_pending",
        "Status updates waiting for the framework's acknowledgement", snapshot.pendingUpdates());
    out.append("# HELP cairn_agent_resources_total The agent's total scalar resources\n");
    out.append("# TYPE cairn_agent_resources_total gauge\n");
    snapshot.agentInfo().getResourcesList().stream()
        .filter(r -> r.hasScalar())
        .forEach(r -> out.append("cairn_agent_resources_total{resource=\"").append(r.getName())
            .append("\"} ").append(r.getScalar().getValue()).append('\n'));
    return out.toString();
  }

  private static void gauge(StringBuilder out, String name, String help, double value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(" gauge\n")
        .append(name).append(' ').append(value).append('\n');
  }
}
