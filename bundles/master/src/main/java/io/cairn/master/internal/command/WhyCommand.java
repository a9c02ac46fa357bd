package io.cairn.master.internal.command;

import io.cairn.allocator.AgentId;
import io.cairn.allocator.AgentSpec;
import io.cairn.allocator.Allocation;
import io.cairn.allocator.AllocatorBooks;
import io.cairn.allocator.FrameworkId;
import io.cairn.allocator.FrameworkSpec;
import io.cairn.allocator.OfferPlan;
import io.cairn.allocator.Quantities;
import io.cairn.allocator.Reason;
import io.cairn.master.internal.component.MasterComponent;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/**
 * {@code allocator:why <framework-id|agent-id>}: what the allocator holds for a framework or on
 * an agent, and the reasons its last allocation over every agent recorded about it ("agent a3
 * filtered for framework f1 until 12:03:05", "role eng at its cpus limit 10").
 */
@Command(scope = "allocator", name = "why", description = "Explains the allocator's last"
    + " decisions about a framework or an agent: filters, suppressed roles, quota limits,"
    + " headroom, inactive agents.")
@Service
public class WhyCommand implements Action {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  @Reference(optional = true) MasterComponent master;
  @Reference Session session;

  @Argument(index = 0, name = "id", description = "A framework id or an agent id (see"
      + " master:frameworks, master:agents).", required = true)
  String id;

  @Override
  public Object execute() {
    PrintStream out = session.getConsole();
    Object fetched = AllocatorText.fetch(master);
    if (!(fetched instanceof AllocatorText.View view)) {
      out.println(fetched);
      return null;
    }
    List<String> lines = explain(view, id);
    lines.forEach(out::println);
    return null;
  }

  /** The explanation as lines; pure, so that it can be tested without a shell. */
  static List<String> explain(AllocatorText.View view, String id) {
    AllocatorBooks books = view.books();
    Optional<FrameworkSpec> framework = books.frameworks().stream()
        .filter(f -> f.id().value().equals(id)).findFirst();
    Optional<AgentSpec> agent = books.agents().stream()
        .filter(a -> a.id().value().equals(id)).findFirst();
    List<String> lines = new ArrayList<>();
    if (framework.isEmpty() && agent.isEmpty()) {
      lines.add("'" + id + "' is neither a framework nor an agent that the allocator knows;"
          + " see master:frameworks and master:agents for the ids.");
      return lines;
    }
    if (framework.isPresent()) {
      FrameworkSpec f = framework.get();
      FrameworkId fid = f.id();
      Set<String> suppressed = books.suppressedRoles().getOrDefault(fid, Set.of());
      lines.add("framework " + id + " (" + f.name() + ")  roles " + String.join(",", f.roles())
          + "  " + (books.inactiveFrameworks().contains(fid) ? "inactive" : "active")
          + "  suppressed " + (suppressed.isEmpty() ? "none" : String.join(",", suppressed)));
      lines.add("  holds " + sum(books.allocations(), a -> a.frameworkId().equals(fid))
          + "; offered and unanswered " + sum(view.outstandingOffers(),
              a -> a.frameworkId().equals(fid)));
      reasons(lines, view, p -> p.explanation().about(fid),
          o -> o.frameworkId().equals(fid), "framework " + id);
    }
    if (agent.isPresent()) {
      AgentSpec a = agent.get();
      AgentId aid = a.id();
      Quantities used = sum(books.allocations(), x -> x.agentId().equals(aid));
      lines.add("agent " + id + " (" + a.hostname() + ")  "
          + (books.inactiveAgents().contains(aid) ? "inactive" : "active"));
      lines.add("  total " + a.total().quantities() + "; allocated " + used + "; free "
          + a.total().quantities().minusFloorZero(used));
      reasons(lines, view, p -> p.explanation().about(aid), o -> o.agentId().equals(aid),
          "agent " + id);
    }
    return lines;
  }

  private static void reasons(List<String> lines, AllocatorText.View view,
      java.util.function.Function<OfferPlan, List<Reason>> about,
      Predicate<io.cairn.allocator.Offer> concerns, String what) {
    if (view.lastFullAllocation().isEmpty()) {
      lines.add("  The allocator (" + view.allocatorName() + ") has not run a full allocation"
          + " yet; ask again in a second.");
      return;
    }
    OfferPlan plan = view.lastFullAllocation().get();
    long offered = plan.offers().stream().filter(concerns).count();
    lines.add("  last full allocation by " + view.allocatorName() + ": cycle " + plan.cycle()
        + " at " + TIME.format(Instant.ofEpochMilli(plan.nowMillis())) + " UTC, " + offered
        + " offer(s) for " + what);
    List<Reason> reasons = about.apply(plan);
    if (reasons.isEmpty()) {
      lines.add("  No reason recorded: nothing was held back from " + what
          + " in that cycle (it got what was free, or asked for nothing).");
    }
    for (Reason reason : reasons) {
      lines.add("  " + reason.code() + ": " + reason.message());
    }
    if (plan.explanation().skipsDropped() > 0) {
      lines.add("  (" + plan.explanation().skipsDropped() + " further skips of that cycle were"
          + " not kept; counts by reason: " + plan.explanation().counts() + ")");
    }
  }

  private static Quantities sum(List<Allocation> allocations, Predicate<Allocation> which) {
    Quantities sum = Quantities.ZERO;
    for (Allocation allocation : allocations) {
      if (which.test(allocation)) {
        sum = sum.plus(allocation.resources().quantities());
      }
    }
    return sum;
  }
}
