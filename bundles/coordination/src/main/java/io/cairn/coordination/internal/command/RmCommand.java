package io.cairn.coordination.internal.command;

import io.cairn.coordination.internal.server.Operator;
import io.cairn.coordination.internal.server.OperatorException;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** {@code zk:rm [-r] [-v version] <path>}: deletes through the replicated log. */
@Command(scope = "zk", name = "rm", description = "Deletes a znode (with -r its subtree, children first, in multis of 1000) through the replicated log.")
@Service
public class RmCommand implements Action {
  @Option(name = "-r", aliases = "--recursive", description = "delete the descendants first")
  boolean recursive;

  @Option(name = "-v", aliases = "--version", description = "expected data version of the node (default: any)")
  int version = -1;

  @Argument(index = 0, name = "path", description = "absolute znode path", required = true)
  String path;

  @Reference(optional = true) Operator operator;
  @Reference Session session;

  @Override
  public Object execute() {
    PrintStream out = session.getConsole();
    if (operator == null) {
      out.println(ZnodeText.NO_TREE);
      return null;
    }
    try {
      out.println(ZnodeText.deleted(path, operator.delete(path, version, recursive)));
    } catch (IllegalArgumentException | OperatorException e) {
      out.println(e.getMessage());
    }
    return null;
  }
}
