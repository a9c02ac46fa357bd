package io.cairn.framework.jobs.internal.command;

import io.cairn.framework.jobs.internal.component.JobsFramework;
import io.cairn.framework.jobs.internal.core.JobSpec;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** {@code jobs:list}: every job with its schedule, next run and active runs. */
@Command(scope = "jobs", name = "list", description = "Lists the jobs: id, schedule, next run,"
    + " active runs, command.")
@Service
public class ListCommand implements Action {
  @Reference(optional = true) JobsFramework jobs;
  @Reference Session session;

  @Override
  public Object execute() {
    PrintStream out = session.getConsole();
    Object result = JobsText.fetch(jobs, core -> {
      List<String> lines = new ArrayList<>();
      for (JobSpec spec : core.jobs()) {
        long active = core.activeRuns().stream().filter(r -> r.jobId().equals(spec.id()))
            .count();
        lines.add(String.format("%-24s %-32s %-22s %-7s %s", spec.id(), spec.schedule()
            .map(s -> s.expression() + " " + s.timeZone() + (s.enabled() ? "" : " (off)"))
            .orElse("-"), core.nextRunMs(spec.id()).map(ms -> Instant.ofEpochMilli(ms)
            .toString()).orElse("-"), active, spec.cmd()));
      }
      return lines;
    });
    if (!(result instanceof List<?> lines)) {
      out.println(result);
      return null;
    }
    if (lines.isEmpty()) {
      out.println("No jobs. Add one with POST /v1/jobs.");
      return null;
    }
    out.println(String.format("%-24s %-32s %-22s %-7s %s", "ID", "SCHEDULE", "NEXT RUN",
        "ACTIVE", "CMD"));
    lines.forEach(out::println);
    return null;
  }
}
