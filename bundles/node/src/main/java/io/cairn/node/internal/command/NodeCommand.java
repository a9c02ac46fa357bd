package io.cairn.node.internal.command;

import io.cairn.node.internal.NodeState;
import io.cairn.node.internal.StatusBoard;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** {@code cairn:node}: this node's identity, readiness and endpoints. */
@Command(scope = "cairn", name = "node", description = "Shows this node's id, roles, data directory, peers, readiness and endpoints.")
@Service
public class NodeCommand implements Action {
  @Reference StatusBoard board;
  @Reference Session session;

  @Override
  public Object execute() {
    NodeState state = board.state();
    PrintStream out = session.getConsole();
    out.println(format(state));
    return null;
  }

  /** The command's text; kept apart so tests can check it without a shell. */
  public static String format(NodeState state) {
    StringBuilder text = new StringBuilder();
    if (state.node() != null) {
      row(text, "node", String.valueOf(state.node().nodeId()));
      row(text, "roles", state.node().rolesText());
      row(text, "data.dir", state.node().dataDir().toString());
      row(text, "peers", state.node().peers().isEmpty() ? "(none)"
          : state.node().peers().toString().replaceAll("[\\[\\] ]", ""));
    }
    row(text, "state", state.readiness().name().toLowerCase(java.util.Locale.ROOT));
    if (state.configError() != null) {
      row(text, "error", state.configError());
    }
    if (!state.waitingFor().isEmpty()) {
      row(text, "waiting", String.join("; ", state.waitingFor()));
    }
    if (state.endpoints().isEmpty()) {
      row(text, "endpoints", "(none yet)");
    }
    state.endpoints().forEach((name, address) -> row(text, name, address));
    return text.toString().stripTrailing();
  }

  private static void row(StringBuilder text, String key, String value) {
    text.append(String.format("%-10s %s%n", key, value));
  }
}
