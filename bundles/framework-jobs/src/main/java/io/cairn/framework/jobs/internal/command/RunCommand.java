package io.cairn.framework.jobs.internal.command;

import io.cairn.framework.jobs.internal.component.JobsFramework;
import io.cairn.framework.jobs.internal.core.JobRun;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** {@code jobs:run <id>}: starts a run of the job now. */
@Command(scope = "jobs", name = "run", description = "Starts a run of a job now.")
@Service
public class RunCommand implements Action {
  @Reference(optional = true) JobsFramework jobs;
  @Reference Session session;

  @Argument(index = 0, name = "id", description = "the job id", required = true)
  String id;

  @Override
  public Object execute() {
    PrintStream out = session.getConsole();
    Object result = JobsText.fetch(jobs, core -> core.startRun(id, "manual", jobs.nowMs()));
    if (result instanceof JobRun run) {
      out.println("Started run " + run.id() + " of job " + id + " (" + run.status() + ").");
    } else {
      out.println(result);
    }
    return null;
  }
}
