package io.cairn.master.internal.command;

import io.cairn.master.internal.component.MasterComponent;
import io.cairn.proto.mesos.v1.Protos.FrameworkInfo;
import io.cairn.proto.mesos.v1.master.Protos.Response;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** {@code master:frameworks}: each framework, connected or not, roles, tasks and offers held. */
@Command(scope = "master", name = "frameworks", description = "Lists the frameworks of the"
    + " leading master: name, connection, roles, tasks, offers.")
@Service
public class FrameworksCommand implements Action {
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
    if (state.getGetFrameworks().getFrameworksCount() == 0) {
      out.println("No frameworks.");
    }
    for (Response.GetFrameworks.Framework framework
        : state.getGetFrameworks().getFrameworksList()) {
      FrameworkInfo info = framework.getFrameworkInfo();
      String id = info.getId().getValue();
      long tasks = state.getGetTasks().getTasksList().stream()
          .filter(t -> t.getFrameworkId().getValue().equals(id)).count();
      out.println(id + "  " + info.getName() + "  "
          + (framework.getConnected() ? "connected" : framework.getRecovered() ? "recovered"
          : "disconnected")
          + "  roles=" + (info.getRolesCount() > 0 ? String.join(",", info.getRolesList())
          : info.getRole())
          + "  tasks=" + tasks + "  offers=" + framework.getOffersCount()
          + "  failover_timeout=" + info.getFailoverTimeout() + "s");
    }
    return null;
  }
}
