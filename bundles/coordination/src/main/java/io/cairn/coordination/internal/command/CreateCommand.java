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

/** {@code zk:create [-e] [-s] <path> [data]}: a create through the replicated log. */
@Command(scope = "zk", name = "create", description = "Creates a znode (world:anyone ACL) through the replicated log, like a client's create.")
@Service
public class CreateCommand implements Action {
  @Option(name = "-e", aliases = "--ephemeral", description = "ephemeral, owned by this node's operator session: it goes when the coordination service stops here")
  boolean ephemeral;

  @Option(name = "-s", aliases = "--sequential", description = "append a 10-digit sequence number to the name")
  boolean sequential;

  @Argument(index = 0, name = "path", description = "absolute znode path", required = true)
  String path;

  @Argument(index = 1, name = "data", description = "data, stored as UTF-8 (default: none)")
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
      byte[] bytes = data == null ? new byte[0] : data.getBytes(StandardCharsets.UTF_8);
      out.println(ZnodeText.created(operator.create(path, bytes, ephemeral, sequential)));
    } catch (IllegalArgumentException | OperatorException e) {
      out.println(e.getMessage());
    }
    return null;
  }
}
