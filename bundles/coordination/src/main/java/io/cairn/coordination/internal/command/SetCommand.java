package io.cairn.coordination.internal.command;

import io.cairn.coordination.internal.server.Operator;
import io.cairn.coordination.internal.server.OperatorException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** {@code zk:set [-v version] <path> <data>}: a setData through the replicated log. */
@Command(scope = "zk", name = "set", description = "Sets a znode's data (UTF-8) through the replicated log, like a client's setData.")
@Service
public class SetCommand implements Action {
  @Option(name = "-v", aliases = "--version", description = "expected data version (default: any)")
  int version = -1;

  @Argument(index = 0, name = "path", description = "absolute znode path", required = true)
  String path;

  @Argument(index = 1, name = "data", description = "new data, stored as UTF-8", required = true)
  String data;

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
      out.println(ZnodeText.stat(operator.set(path, data.getBytes(StandardCharsets.UTF_8), version)));
    } catch (IllegalArgumentException | OperatorException e) {
      out.println(e.getMessage());
    }
    return null;
  }
}
