package io.cairn.agent.internal.command;

import io.cairn.agent.internal.core.MesosText;
import io.cairn.agent.internal.core.TaskRecord;
import io.cairn.agent.internal.runtime.AgentOperations;
import io.cairn.agent.internal.runtime.AgentSnapshot;
import java.io.PrintStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** {@code agent:tasks}: this agent's registration and its tasks, one line each. */
@Command(scope = "agent", name = "tasks", description = "Lists the tasks of this node's agent.")
@Service
public class TasksCommand implements Action {
  static final String NO_AGENT = "No agent runs on this node (it has no agent role, or the"
      + " agent failed to start; see the log).";

  @Reference(optional = true) AgentOperations agent;
  @Reference Session session;

  @Override
  public Object execute() throws InterruptedException {
    PrintStream out = session.getConsole();
    if (agent == null) {
      out.println(NO_AGENT);
      return null;
    }
    AgentSnapshot snapshot;
    try {
      snapshot = agent.snapshot().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      out.println("The agent did not answer: " + e.getMessage());
      return null;
    }
    out.printf("agent %s  %s  master=%s%s  pending-updates=%d%n",
        snapshot.agentInfo().hasId() ? snapshot.agentInfo().getId().getValue() : "(unregistered)",
        snapshot.registration(), snapshot.master().orElse("-"),
        snapshot.draining() ? "  DRAINING" : "", snapshot.pendingUpdates());
    out.println("resources " + MesosText.format(snapshot.agentInfo().getResourcesList()));
    out.println("containerizers " + String.join(",", snapshot.containerizers())
        + "  docker: " + snapshot.dockerEngine());
    out.printf("%-36s %-20s %-16s %-8s %s%n", "TASK", "FRAMEWORK", "STATE", "UNACKED", "HEALTHY");
    for (TaskRecord task : snapshot.tasks()) {
      String healthy = task.latest().filter(s -> s.hasHealthy())
          .map(s -> Boolean.toString(s.getHealthy())).orElse("-");
      out.printf("%-36s %-20s %-16s %-8d %s%n", task.taskId(), task.frameworkId(),
          task.state().name(), task.pending().size(), healthy);
    }
    if (snapshot.tasks().isEmpty()) {
      out.println("(no tasks)");
    }
    return null;
  }
}
