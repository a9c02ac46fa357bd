package io.cairn.coordination.internal.command;

import io.cairn.coordination.internal.server.Operator;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** {@code zk:sessions}: the live sessions of the replicated state, as this node applied them. */
@Command(scope = "zk", name = "sessions", description = "Lists live sessions: id, timeout, the node holding the connection, ephemerals owned.")
@Service
public class SessionsCommand implements Action {
  @Reference(optional = true) Operator operator;
  @Reference Session session;

  @Override
  public Object execute() {
    PrintStream out = session.getConsole();
    if (operator == null) {
      out.println(ZnodeText.NO_TREE);
      return null;
    }
    out.println(ZnodeText.sessions(operator.sessions(), operator.operatorSessionId()));
    return null;
  }
}
