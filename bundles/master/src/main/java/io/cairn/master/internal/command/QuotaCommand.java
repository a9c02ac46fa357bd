package io.cairn.master.internal.command;

import io.cairn.allocator.Quota;
import io.cairn.master.internal.component.MasterComponent;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/**
 * {@code allocator:quota [role [guarantee=SPEC] [limit=SPEC] | role none]}: shows every quota,
 * one role's quota and allocation, or sets (replaces) a role's quota. SPEC is {@code
 * cpus:2,mem:1024,disk:0,gpus:0} (mem and disk in MB). Setting goes through the registry first
 * (Mesos's UPDATE_QUOTA), then reaches the allocator.
 */
@Command(scope = "allocator", name = "quota", description = "Shows the quotas, or sets a role's"
    + " quota: allocator:quota ROLE guarantee=cpus:2,mem:1024 limit=cpus:8,mem:8192, or"
    + " allocator:quota ROLE none to remove it.")
@Service
public class QuotaCommand implements Action {
  @Reference(optional = true) MasterComponent master;
  @Reference Session session;

  @Argument(index = 0, name = "role", description = "The role to show or set.",
      required = false)
  String role;

  @Argument(index = 1, name = "spec", description = "guarantee=SPEC and/or limit=SPEC, or none;"
      + " SPEC is cpus:N,mem:MB,disk:MB,gpus:N.", required = false, multiValued = true)
  List<String> spec;

  @Override
  public Object execute() {
    PrintStream out = session.getConsole();
    if (role != null) {
      Optional<String> bad = AllocatorText.roleProblem(role);
      if (bad.isPresent()) {
        out.println(bad.get());
        return null;
      }
    }
    if (role != null && spec != null && !spec.isEmpty()) {
      AllocatorText.Parsed<Quota> parsed = AllocatorText.quota(role, spec);
      if (!parsed.ok()) {
        out.println(parsed.problem());
        return null;
      }
      String problem = AllocatorText.change(master,
          (core, done) -> core.updateQuota(role, parsed.value(), done));
      if (problem != null) {
        out.println("Quota not changed: " + problem);
        return null;
      }
      out.println(parsed.value().equals(Quota.NONE) ? "Quota of role '" + role + "' removed."
          : "Quota of role '" + role + "' set.");
    }
    Object fetched = AllocatorText.fetch(master);
    if (!(fetched instanceof AllocatorText.View view)) {
      out.println(fetched);
      return null;
    }
    List<RoleTable.Row> rows = RoleTable.rows(view.books(), view.outstandingOffers());
    if (role != null) {
      Optional<RoleTable.Row> row = rows.stream().filter(r -> r.role().equals(role)).findFirst();
      if (row.isEmpty()) {
        out.println("Role '" + role + "' has no quota, no weight, no framework and holds"
            + " nothing.");
        return null;
      }
      print(out, row.get());
      return null;
    }
    if (view.books().quotas().isEmpty()) {
      out.println("No quotas set.");
      return null;
    }
    rows.stream().filter(r -> view.books().quotas().containsKey(r.role()))
        .forEach(r -> print(out, r));
    return null;
  }

  private static void print(PrintStream out, RoleTable.Row row) {
    out.println(row.role() + "  guarantee " + RoleTable.guarantee(row.quota()) + "  limit "
        + RoleTable.limit(row.quota()) + "  allocated " + row.allocated() + " (offered "
        + row.offered() + ")");
  }
}
