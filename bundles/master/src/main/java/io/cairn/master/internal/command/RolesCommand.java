package io.cairn.master.internal.command;

import io.cairn.master.internal.component.MasterComponent;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/**
 * {@code allocator:roles}: the role tree of the leading master's allocator, with each role's
 * weight, dominant share (plain and weighted), frameworks, allocation (offers included), and
 * quota guarantee and limit.
 */
@Command(scope = "allocator", name = "roles", description = "Shows the role tree of the"
    + " allocator: weights, dominant shares, allocated and offered resources, quota guarantee"
    + " and limit, and which allocator is active.")
@Service
public class RolesCommand implements Action {
  @Reference(optional = true) MasterComponent master;
  @Reference Session session;

  @Override
  public Object execute() {
    PrintStream out = session.getConsole();
    Object fetched = AllocatorText.fetch(master);
    if (!(fetched instanceof AllocatorText.View view)) {
      out.println(fetched);
      return null;
    }
    RoleTable.format(view.allocatorName(), view.books(),
        RoleTable.rows(view.books(), view.outstandingOffers())).forEach(out::println);
    return null;
  }
}
