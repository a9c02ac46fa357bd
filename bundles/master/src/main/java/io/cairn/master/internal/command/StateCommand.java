package io.cairn.master.internal.command;

import io.cairn.master.internal.component.MasterComponent;
import io.cairn.proto.mesos.v1.master.Protos.Response;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** {@code master:state}: is this node leading, and how many agents, frameworks, tasks, offers. */
@Command(scope = "master", name = "state", description = "Shows whether this master leads and"
    + " a summary of its agents, frameworks, tasks and offers.")
@Service
public class StateCommand implements Action {
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
    var driver = master.driver();
    var info = driver.leadingInfo();
    out.println("leading     yes (term " + driver.leadership().term() + ")");
    out.println("master id   " + info.map(i -> i.getId()).orElse("-"));
    out.println("address     " + driver.leaderAddress().orElse("-"));
    long active = state.getGetAgents().getAgentsList().stream().filter(a -> a.getActive()).count();
    out.println("agents      " + state.getGetAgents().getAgentsCount() + " (" + active
        + " active)");
    out.println("frameworks  " + state.getGetFrameworks().getFrameworksCount());
    out.println("tasks       " + state.getGetTasks().getTasksCount() + " running or staging, "
        + state.getGetTasks().getCompletedTasksCount() + " completed, "
        + state.getGetTasks().getUnreachableTasksCount() + " unreachable");
    out.println("offers      " + state.getGetFrameworks().getFrameworksList().stream()
        .mapToInt(f -> f.getOffersCount()).sum());
    return null;
  }
}
