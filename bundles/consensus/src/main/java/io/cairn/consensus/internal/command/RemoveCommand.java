package io.cairn.consensus.internal.command;

import io.cairn.consensus.GroupStatus;
import io.cairn.consensus.ReplicatedLog;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/**
 * {@code cluster:remove <node-id>}: on the leader, removes a voter or learner from the Raft group
 * by joint consensus. Removing the leader itself is allowed: it steps down once the new
 * configuration commits (thesis §4.2.2). Prints one sentence; waits on the shell's thread.
 */
@Command(scope = "cluster", name = "remove",
    description = "Removes a member (voter or learner) from the Raft group.")
@Service
public class RemoveCommand implements Action {
  @Argument(index = 0, name = "node-id", description = "the member to remove", required = true)
  int node;

  @Reference(optional = true) ReplicatedLog log;
  @Reference Session session;

  @Override
  public Object execute() throws InterruptedException {
    PrintStream out = session.getConsole();
    if (log == null) {
      out.println(StatusCommand.NO_MEMBER);
      return null;
    }
    GroupStatus status = log.status();
    String refusal = MembershipText.removeRefusal(status, node);
    out.println(refusal != null ? refusal
        : MembershipWait.change(log, MembershipText.removed(status.membership(), node)));
    return null;
  }
}
