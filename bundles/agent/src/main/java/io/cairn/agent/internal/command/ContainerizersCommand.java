package io.cairn.agent.internal.command;

import io.cairn.agent.internal.runtime.AgentOperations;
import io.cairn.agent.internal.runtime.AgentSnapshot;
import java.io.PrintStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/**
 * {@code agent:containerizers}: which containerizers this agent uses (Mesos's {@code
 * --containerizers}) and what the Docker engine answered, or why docker is off.
 */
@Command(scope = "agent", name = "containerizers",
    description = "Shows the containerizers of this node's agent and its Docker engine.")
@Service
public class ContainerizersCommand implements Action {
  @Reference(optional = true) AgentOperations agent;
  @Reference Session session;

  @Override
  public Object execute() throws InterruptedException {
    PrintStream out = session.getConsole();
    if (agent == null) {
      out.println(TasksCommand.NO_AGENT);
      return null;
    }
    AgentSnapshot snapshot;
    try {
      snapshot = agent.snapshot().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      out.println("The agent did not answer: " + e.getMessage());
      return null;
    }
    out.println("containerizers " + String.join(",", snapshot.containerizers()));
    out.println("docker " + snapshot.dockerEngine());
    out.println("isolation " + snapshot.isolation() + " (" + snapshot.isolationDetail() + ")");
    return null;
  }
}
