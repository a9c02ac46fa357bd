package io.cairn.marathon.internal.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.marathon.internal.component.MarathonComponent;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** {@code marathon:apps}: every app with instances, running, healthy and deployments. */
@Command(scope = "marathon", name = "apps", description = "Lists Marathon's apps: instances,"
    + " tasks running and healthy, running deployments.")
@Service
public class AppsCommand implements Action {
  @Reference(optional = true) MarathonComponent marathon;
  @Reference Session session;

  @Override
  public Object execute() throws Exception {
    PrintStream out = session.getConsole();
    MarathonClient.Reply reply = MarathonClient.call(marathon, "GET", "/v2/apps", null);
    if (!reply.ok()) {
      out.println(reply.error());
      return null;
    }
    JsonNode apps = reply.json().path("apps");
    if (apps.isEmpty()) {
      out.println("No apps.");
      return null;
    }
    out.println(String.format("%-32s %9s %7s %7s %6s %5s %s", "ID", "INSTANCES", "RUNNING",
        "HEALTHY", "CPUS", "MEM", "DEPLOYMENTS"));
    for (JsonNode app : apps) {
      StringBuilder deployments = new StringBuilder();
      app.path("deployments").forEach(d -> deployments.append(d.path("id").asText())
          .append(' '));
      out.println(String.format("%-32s %9d %7d %7d %6s %5s %s", app.path("id").asText(),
          app.path("instances").asInt(), app.path("tasksRunning").asInt(),
          app.path("tasksHealthy").asInt(), app.path("cpus").asText(),
          app.path("mem").asText(), deployments.toString().trim()));
    }
    return null;
  }
}
