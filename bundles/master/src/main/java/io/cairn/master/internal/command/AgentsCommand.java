package io.cairn.master.internal.command;

import io.cairn.master.internal.component.MasterComponent;
import io.cairn.proto.mesos.v1.master.Protos.Response;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** {@code master:agents}: each agent with its total, used and free resources and attributes. */
@Command(scope = "master", name = "agents", description = "Lists the agents of the leading"
    + " master: total, used and free resources, attributes.")
@Service
public class AgentsCommand implements Action {
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
    if (state.getGetAgents().getAgentsCount() == 0) {
      out.println("No agents.");
    }
    for (Response.GetAgents.Agent agent : state.getGetAgents().getAgentsList()) {
      out.println(agent.getAgentInfo().getId().getValue() + "  "
          + agent.getAgentInfo().getHostname() + "  " + (agent.getActive() ? "active"
          : "disconnected"));
      out.println("  total       " + MasterText.resources(agent.getTotalResourcesList()));
      out.println("  used        " + MasterText.resources(agent.getAllocatedResourcesList()));
      out.println("  offered     " + MasterText.resources(agent.getOfferedResourcesList()));
      out.println("  free        " + MasterText.free(agent.getTotalResourcesList(),
          agent.getAllocatedResourcesList(), agent.getOfferedResourcesList()));
      out.println("  attributes  " + MasterText.attributes(
          agent.getAgentInfo().getAttributesList()));
    }
    return null;
  }
}
