package io.cairn.framework.runtime.internal.command;

import io.cairn.framework.FrameworkRuntime;
import io.cairn.framework.FrameworkStatus;
import java.io.PrintStream;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** {@code framework:list}: every framework this node runs: name, id, leader, subscribed, master. */
@Command(scope = "framework", name = "list", description = "Lists the frameworks (Scheduler"
    + " services) this node runs: name, FrameworkID, leader, subscribed, master.")
@Service
public class ListCommand implements Action {
  @Reference(optional = true) FrameworkRuntime runtime;
  @Reference Session session;

  @Override
  public Object execute() {
    PrintStream out = session.getConsole();
    if (runtime == null) {
      out.println("The framework runtime is not running on this node (master role needed).");
      return null;
    }
    List<FrameworkStatus> frameworks = runtime.frameworks();
    if (frameworks.isEmpty()) {
      out.println("No frameworks. Install one with feature:install cairn-framework-<name>.");
      return null;
    }
    out.println(String.format("%-20s %-40s %-28s %-10s %s", "NAME", "ID", "LEADER",
        "SUBSCRIBED", "MASTER"));
    for (FrameworkStatus f : frameworks) {
      String leader = f.leadership().leading() ? "this node (" + f.leadership().leaderAddress()
          + ")" : f.leadership().leaderKnown() ? f.leadership().leaderAddress() : "(none)";
      out.println(String.format("%-20s %-40s %-28s %-10s %s", f.name(),
          f.frameworkId().isEmpty() ? "-" : f.frameworkId(), leader,
          f.subscribed() ? "yes" : "no", f.master().isEmpty() ? "-" : f.master()));
    }
    return null;
  }
}
