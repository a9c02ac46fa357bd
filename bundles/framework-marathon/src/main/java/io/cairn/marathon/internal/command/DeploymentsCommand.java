package io.cairn.marathon.internal.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.marathon.internal.component.MarathonComponent;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/**
 * {@code marathon:deployments}: running deployments with their step, current actions and, per
 * affected app, tasks running and healthy against the target.
 */
@Command(scope = "marathon", name = "deployments", description = "Lists running deployments"
    + " with progress: step, current actions, tasks running/healthy per app.")
@Service
public class DeploymentsCommand implements Action {
  @Reference(optional = true) MarathonComponent marathon;
  @Reference Session session;

  @Override
  public Object execute() throws Exception {
    PrintStream out = session.getConsole();
    MarathonClient.Reply reply = MarathonClient.call(marathon, "GET", "/v2/deployments", null);
    if (!reply.ok()) {
      out.println(reply.error());
      return null;
    }
    if (reply.json().isEmpty()) {
      out.println("No deployments.");
      return null;
    }
    for (JsonNode deployment : reply.json()) {
      out.println(deployment.path("id").asText() + "  version "
          + deployment.path("version").asText() + "  step "
          + deployment.path("currentStep").asInt() + "/"
          + deployment.path("totalSteps").asInt());
      for (JsonNode action : deployment.path("currentActions")) {
        String appId = action.path("app").asText();
        MarathonClient.Reply app = MarathonClient.call(marathon, "GET", "/v2/apps" + appId,
            null);
        String progress = app.ok() ? String.format("running %d/%d, healthy %d",
            app.json().path("app").path("tasksRunning").asInt(),
            app.json().path("app").path("instances").asInt(),
            app.json().path("app").path("tasksHealthy").asInt()) : "removed";
        out.println("  " + action.path("action").asText() + " " + appId + "  " + progress);
      }
    }
    return null;
  }
}
