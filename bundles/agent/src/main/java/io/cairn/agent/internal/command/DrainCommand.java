package io.cairn.agent.internal.command;

import io.cairn.agent.internal.runtime.AgentOperations;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/**
 * {@code agent:drain [--max-grace-period SECONDS]}: kills every task of this agent (each with its
 * kill policy's grace period, capped) and refuses new tasks, as Mesos's DRAIN_AGENT does on the
 * agent side. The master is not told; use the master's drain to stop offers too.
 */
@Command(scope = "agent", name = "drain",
    description = "Kills every task of this node's agent and refuses new ones.")
@Service
public class DrainCommand implements Action {
  @Option(name = "--max-grace-period", description = "cap on each task's grace period, seconds")
  long maxGraceSeconds = -1;

  @Reference(optional = true) AgentOperations agent;
  @Reference Session session;

  @Override
  public Object execute() throws InterruptedException {
    PrintStream out = session.getConsole();
    if (agent == null) {
      out.println(TasksCommand.NO_AGENT);
      return null;
    }
    Optional<Duration> cap = maxGraceSeconds < 0
        ? Optional.empty() : Optional.of(Duration.ofSeconds(maxGraceSeconds));
    try {
      agent.drain(cap).get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      out.println("The agent did not answer: " + e.getMessage());
      return null;
    }
    out.println("Draining: every task is being killed"
        + cap.map(d -> " (grace at most " + d.toSeconds() + " s)").orElse("")
        + "; new tasks are refused. See agent:tasks.");
    return null;
  }
}
