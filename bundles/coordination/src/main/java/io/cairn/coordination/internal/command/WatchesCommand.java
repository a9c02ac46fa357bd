package io.cairn.coordination.internal.command;

import io.cairn.coordination.internal.server.Operator;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** {@code zk:watches}: this node's watches (watches are not replicated). */
@Command(scope = "zk", name = "watches", description = "Lists the watches held by this node's connections, by path and by session.")
@Service
public class WatchesCommand implements Action {
  @Reference(optional = true) Operator operator;
  @Reference Session session;

  @Override
  public Object execute() {
    PrintStream out = session.getConsole();
    if (operator == null) {
      out.println(ZnodeText.NO_TREE);
      return null;
    }
    out.println(ZnodeText.watches(operator.watches()));
    return null;
  }
}
