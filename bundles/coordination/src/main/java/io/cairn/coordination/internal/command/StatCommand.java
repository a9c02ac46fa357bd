package io.cairn.coordination.internal.command;

import io.cairn.coordination.internal.server.LocalTree;
import io.cairn.coordination.internal.server.Operator;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** {@code zk:stat <path>}, read-only, local: no read barrier, like a ZooKeeper read without sync. */
@Command(scope = "zk", name = "stat", description = "Shows a znode's stat from this node's applied tree.")
@Service
public class StatCommand implements Action {
  @Argument(index = 0, name = "path", description = "absolute znode path, e.g. /zookeeper",
      required = true)
  String path;

  @Reference(optional = true) Operator tree;
  @Reference Session session;

  @Override
  public Object execute() {
    PrintStream out = session.getConsole();
    if (tree == null) {
      out.println(ZnodeText.NO_TREE);
      return null;
    }
    try {
      LocalTree.Znode znode = tree.read(path);
      out.println(znode == null ? ZnodeText.noNode(path) : ZnodeText.stat(znode.stat()));
    } catch (IllegalArgumentException e) {
      out.println(e.getMessage());
    }
    return null;
  }
}
