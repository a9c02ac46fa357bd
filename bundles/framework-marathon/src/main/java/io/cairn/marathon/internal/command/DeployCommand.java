package io.cairn.marathon.internal.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.marathon.internal.component.MarathonComponent;
import io.cairn.marathon.internal.model.AppJson;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/**
 * {@code marathon:deploy <file.json>}: creates or replaces the app (or the group, when the file
 * has {@code apps} or {@code groups}) in the file, as {@code PUT /v2/apps/<id>} or
 * {@code PUT /v2/groups/<id>} would; prints the deployment id or Marathon's 422 details.
 */
@Command(scope = "marathon", name = "deploy", description = "Deploys an app (or group)"
    + " definition from a JSON file; prints the deployment id or the validation errors.")
@Service
public class DeployCommand implements Action {
  @Reference(optional = true) MarathonComponent marathon;
  @Reference Session session;

  @Option(name = "--force", description = "Cancel deployments that hold the app")
  boolean force;

  @Argument(index = 0, name = "file", description = "Path of the JSON definition",
      required = true)
  String file;

  @Override
  public Object execute() throws Exception {
    PrintStream out = session.getConsole();
    String text;
    try {
      text = Files.readString(Path.of(file));
    } catch (NoSuchFileException e) {
      out.println("No such file: " + file);
      return null;
    }
    JsonNode json;
    try {
      json = AppJson.MAPPER.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      out.println(file + " is not JSON: " + e.getOriginalMessage());
      return null;
    }
    if (json == null || !json.isObject() || !json.hasNonNull("id")) {
      out.println(file + " must hold a JSON object with an \"id\"");
      return null;
    }
    boolean group = json.has("apps") || json.has("groups");
    String path = (group ? "/v2/groups" : "/v2/apps")
        + MarathonClient.path(json.get("id").asText()) + "?partialUpdate=false"
        + (force ? "&force=true" : "");
    MarathonClient.Reply reply = MarathonClient.call(marathon, "PUT", path, text);
    if (!reply.ok()) {
      out.println(reply.error());
      return null;
    }
    out.println((reply.status() == 201 ? "Created " : "Updated ") + json.get("id").asText()
        + ": deployment " + reply.json().path("deploymentId").asText() + " version "
        + reply.json().path("version").asText());
    return null;
  }
}
