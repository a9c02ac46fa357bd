package io.cairn.marathon.internal.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.marathon.internal.component.MarathonComponent;
import io.cairn.marathon.internal.model.AppJson;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** {@code marathon:app <id>}: the definition, counts and each task with host, ports, health. */
@Command(scope = "marathon", name = "app", description = "Shows one app: its definition, its"
    + " tasks (host, ports, state, health) and the last task failure.")
@Service
public class AppCommand implements Action {
  @Reference(optional = true) MarathonComponent marathon;
  @Reference Session session;

  @Argument(index = 0, name = "id", description = "App id, e.g. /ocfweb/web", required = true)
  String id;

  @Override
  public Object execute() throws Exception {
    PrintStream out = session.getConsole();
    MarathonClient.Reply reply = MarathonClient.call(marathon, "GET", "/v2/apps"
        + MarathonClient.path(id), null);
    if (!reply.ok()) {
      out.println(reply.error());
      return null;
    }
    JsonNode app = reply.json().path("app");
    out.println(app.path("id").asText() + "  version " + app.path("version").asText());
    out.println("  instances " + app.path("instances").asInt() + ", staged "
        + app.path("tasksStaged").asInt() + ", running " + app.path("tasksRunning").asInt()
        + ", healthy " + app.path("tasksHealthy").asInt() + ", unhealthy "
        + app.path("tasksUnhealthy").asInt());
    app.path("deployments").forEach(d -> out.println("  deployment " + d.path("id").asText()));
    out.println("  tasks:");
    for (JsonNode task : app.path("tasks")) {
      String health = task.path("healthCheckResults").isEmpty() ? "-"
          : (task.path("healthCheckResults").get(0).path("alive").asBoolean() ? "healthy"
              : "unhealthy");
      out.println("    " + task.path("id").asText() + "  " + task.path("host").asText()
          + "  ports " + task.path("ports") + "  " + task.path("state").asText() + "  "
          + health);
    }
    if (app.has("lastTaskFailure")) {
      JsonNode failure = app.get("lastTaskFailure");
      out.println("  last failure: " + failure.path("state").asText() + " "
          + failure.path("taskId").asText() + " on " + failure.path("host").asText() + ": "
          + failure.path("message").asText());
    }
    ObjectNode definition = app.deepCopy();
    for (String field : new String[] {"tasks", "tasksStaged", "tasksRunning", "tasksHealthy",
        "tasksUnhealthy", "deployments", "lastTaskFailure"}) {
      definition.remove(field);
    }
    out.println("  definition:");
    out.println(AppJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(definition));
    return null;
  }
}
