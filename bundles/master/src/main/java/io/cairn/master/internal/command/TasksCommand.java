package io.cairn.master.internal.command;

import io.cairn.master.internal.component.MasterComponent;
import io.cairn.proto.mesos.v1.Protos.Task;
import io.cairn.proto.mesos.v1.master.Protos.Response;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** {@code master:tasks}: every task the leading master knows, with state, agent, resources. */
@Command(scope = "master", name = "tasks", description = "Lists the tasks of the leading"
    + " master: state, framework, agent, resources.")
@Service
public class TasksCommand implements Action {
  @Reference(optional = true) MasterComponent master;
  @Reference Session session;

  @Override
  public Object execute() {
    PrintStream out = session.getConsole();
    Object fetched = MasterText.fetch(master);
    if (!(fetched instanceof Response.GetState state)) {
      out.println(fetched);
      return null;
    }
    List<Task> tasks = new ArrayList<>(state.getGetTasks().getTasksList());
    tasks.addAll(state.getGetTasks().getUnreachableTasksList());
    tasks.addAll(state.getGetTasks().getCompletedTasksList());
    if (tasks.isEmpty()) {
      out.println("No tasks.");
    }
    for (Task task : tasks) {
      out.println(task.getTaskId().getValue() + "  " + task.getState().name()
          + "  framework=" + task.getFrameworkId().getValue()
          + "  agent=" + task.getAgentId().getValue()
          + "  " + MasterText.resources(task.getResourcesList()));
    }
    return null;
  }
}
