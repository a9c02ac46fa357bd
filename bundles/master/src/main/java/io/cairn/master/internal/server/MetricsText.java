package io.cairn.master.internal.server;

import io.cairn.proto.mesos.v1.Protos.Task;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import io.cairn.proto.mesos.v1.master.Protos.Response;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /metrics}: Prometheus text format (version 0.0.4) with Mesos's metric names turned
 * into Prometheus names ({@code master/elected} becomes {@code mesos_master_elected}). Pure.
 */
final class MetricsText {
  private MetricsText() {}

  static String render(Optional<Response.GetState> state, long uptimeMs) {
    StringBuilder out = new StringBuilder(2048);
    gauge(out, "mesos_master_elected", "1 if this master leads", state.isPresent() ? 1 : 0);
    gauge(out, "mesos_master_uptime_secs", "seconds since this master started",
        uptimeMs / 1000.0);
    Response.GetState s = state.orElse(Response.GetState.getDefaultInstance());
    long active = s.getGetAgents().getAgentsList().stream().filter(a -> a.getActive()).count();
    gauge(out, "mesos_master_slaves_active", "agents connected and offered", active);
    gauge(out, "mesos_master_slaves_inactive", "agents admitted but disconnected",
        s.getGetAgents().getAgentsCount() - active);
    long frameworksActive = s.getGetFrameworks().getFrameworksList().stream()
        .filter(f -> f.getActive()).count();
    gauge(out, "mesos_master_frameworks_active", "subscribed frameworks", frameworksActive);
    gauge(out, "mesos_master_frameworks_inactive", "disconnected or recovered frameworks",
        s.getGetFrameworks().getFrameworksCount() - frameworksActive);
    long offers = s.getGetFrameworks().getFrameworksList().stream()
        .mapToLong(f -> f.getOffersCount()).sum();
    gauge(out, "mesos_master_outstanding_offers", "offers sent and not yet used or declined",
        offers);
    Map<TaskState, Long> byState = new EnumMap<>(TaskState.class);
    for (TaskState taskState : TaskState.values()) {
      byState.put(taskState, 0L);
    }
    for (Task task : s.getGetTasks().getTasksList()) {
      byState.merge(task.getState(), 1L, Long::sum);
    }
    for (Task task : s.getGetTasks().getUnreachableTasksList()) {
      byState.merge(task.getState(), 1L, Long::sum);
    }
    for (Task task : s.getGetTasks().getCompletedTasksList()) {
      byState.merge(task.getState(), 1L, Long::sum);
    }
    out.append("# HELP mesos_master_tasks tasks the master knows, by state\n")
        .append("# TYPE mesos_master_tasks gauge\n");
    byState.forEach((k, v) -> out.append("mesos_master_tasks{state=\"")
        .append(k.name().toLowerCase(java.util.Locale.ROOT)).append("\"} ").append(v)
        .append('\n'));
    return out.toString();
  }

  private static void gauge(StringBuilder out, String name, String help, double value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(" gauge\n")
        .append(name).append(' ').append(value).append('\n');
  }
}
