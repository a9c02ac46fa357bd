package io.cairn.master.internal.command;

import io.cairn.master.internal.component.MasterComponent;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/**
 * {@code allocator:weights [role=weight ...]}: shows the role weights, or sets them. Setting goes
 * through the registry on the replicated log first (Mesos's UPDATE_WEIGHTS), then reaches the
 * allocator, so the weights survive a master fail-over and an allocator swap.
 */
@Command(scope = "allocator", name = "weights", description = "Shows the role weights, or sets"
    + " them (role=weight ...; roles not listed weigh 1). Changes are written to the registry.")
@Service
public class WeightsCommand implements Action {
  @Reference(optional = true) MasterComponent master;
  @Reference Session session;

  @Argument(index = 0, name = "role=weight", description = "Weights to set, e.g. eng=2"
      + " eng/web=0.5; none to show the weights.", required = false, multiValued = true)
  List<String> assignments;

  @Override
  public Object execute() {
    PrintStream out = session.getConsole();
    if (assignments != null && !assignments.isEmpty()) {
      AllocatorText.Parsed<Map<String, Double>> parsed = AllocatorText.weights(assignments);
      if (!parsed.ok()) {
        out.println(parsed.problem());
        return null;
      }
      String problem = AllocatorText.change(master,
          (core, done) -> core.updateWeights(parsed.value(), done));
      if (problem != null) {
        out.println("Weights not changed: " + problem);
        return null;
      }
      out.println("Weights set: " + text(parsed.value()) + ".");
    }
    Object fetched = AllocatorText.fetch(master);
    if (!(fetched instanceof AllocatorText.View view)) {
      out.println(fetched);
      return null;
    }
    if (view.books().weights().isEmpty()) {
      out.println("No weights set: every role weighs 1.");
      return null;
    }
    view.books().weights().forEach((role, weight) ->
        out.println(role + "  " + RoleTable.number(weight)));
    return null;
  }

  private static String text(Map<String, Double> weights) {
    StringBuilder text = new StringBuilder();
    weights.forEach((role, weight) -> text.append(text.length() == 0 ? "" : " ").append(role)
        .append('=').append(RoleTable.number(weight)));
    return text.toString();
  }
}
