package io.cairn.marathon.internal.command;

import io.cairn.marathon.internal.component.MarathonComponent;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** {@code marathon:restart <id>}: a rolling restart honouring the app's upgradeStrategy. */
@Command(scope = "marathon", name = "restart", description = "Restarts an app's tasks as a"
    + " rolling deployment (upgradeStrategy).")
@Service
public class RestartCommand implements Action {
  @Reference(optional = true) MarathonComponent marathon;
  @Reference Session session;

  @Option(name = "--force", description = "Cancel deployments that hold the app")
  boolean force;

  @Argument(index = 0, name = "id", description = "App id", required = true)
  String id;

  @Override
  public Object execute() throws Exception {
    PrintStream out = session.getConsole();
    MarathonClient.Reply reply = MarathonClient.call(marathon, "POST", "/v2/apps"
        + MarathonClient.path(id) + "/restart" + (force ? "?force=true" : ""), null);
    out.println(reply.ok() ? "Restarting " + MarathonClient.path(id) + ": deployment "
        + reply.json().path("deploymentId").asText() : reply.error());
    return null;
  }
}
