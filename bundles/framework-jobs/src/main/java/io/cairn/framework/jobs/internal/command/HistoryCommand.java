package io.cairn.framework.jobs.internal.command;

import io.cairn.framework.jobs.internal.component.JobsFramework;
import io.cairn.framework.jobs.internal.core.JobRun;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** {@code jobs:history <id>}: the job's runs, active first, then finished (newest first). */
@Command(scope = "jobs", name = "history", description = "Shows a job's runs: id, status,"
    + " trigger, attempt, created, completed, last message.")
@Service
public class HistoryCommand implements Action {
  @Reference(optional = true) JobsFramework jobs;
  @Reference Session session;

  @Argument(index = 0, name = "id", description = "the job id", required = true)
  String id;

  @Override
  public Object execute() {
    PrintStream out = session.getConsole();
    Object result = JobsText.fetch(jobs, core -> core.runs(id));
    if (!(result instanceof List<?> runs)) {
      out.println(result);
      return null;
    }
    if (runs.isEmpty()) {
      out.println("Job " + id + " has no runs yet. Start one with jobs:run " + id + ".");
      return null;
    }
    out.println(String.format("%-22s %-8s %-10s %-7s %-24s %-24s %s", "RUN", "STATUS",
        "TRIGGER", "ATTEMPT", "CREATED", "COMPLETED", "MESSAGE"));
    for (Object o : runs) {
      JobRun r = (JobRun) o;
      out.println(String.format("%-22s %-8s %-10s %-7d %-24s %-24s %s", r.id(), r.status(),
          r.trigger(), r.attempt(), Instant.ofEpochMilli(r.createdAtMs()), r.finishedAtMs() > 0
              ? Instant.ofEpochMilli(r.finishedAtMs()).toString() : "-", r.message()));
    }
    return null;
  }
}
