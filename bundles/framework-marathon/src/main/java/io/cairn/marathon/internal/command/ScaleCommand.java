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

/** {@code marathon:scale <id> <instances>}: a scale deployment (no restart of running tasks). */
@Command(scope = "marathon", name = "scale", description = "Scales an app to a number of"
    + " instances (killSelection decides which tasks go).")
@Service
public class ScaleCommand implements Action {
  @Reference(optional = true) MarathonComponent marathon;
  @Reference Session session;

  @Option(name = "--force", description = "Cancel deployments that hold the app")
  boolean force;

  @Argument(index = 0, name = "id", description = "App id", required = true)
  String id;

  @Argument(index = 1, name = "instances", description = "Number of instances (>= 0)",
      required = true)
  int instances;

  @Override
  public Object execute() throws Exception {
    PrintStream out = session.getConsole();
    MarathonClient.Reply reply = MarathonClient.call(marathon, "PATCH", "/v2/apps"
        + MarathonClient.path(id) + (force ? "?force=true" : ""),
        "{\"instances\":" + instances + "}");
    out.println(reply.ok() ? "Scaling " + MarathonClient.path(id) + " to " + instances
        + ": deployment " + reply.json().path("deploymentId").asText() : reply.error());
    return null;
  }
}
