package io.cairn.consensus.internal.command;

import io.cairn.consensus.GroupStatus;
import io.cairn.consensus.ReplicatedLog;
import io.cairn.env.NodeInfo;
import java.io.PrintStream;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/**
 * {@code cluster:add <node-id> [--learner]}: on the leader, adds a master listed in {@code peers}
 * to the Raft group by joint consensus, as a voter or as a learner that receives the log without
 * voting (promote it later with {@code cluster:add} without {@code --learner}). Prints one
 * sentence; waits on the shell's thread.
 */
@Command(scope = "cluster", name = "add",
    description = "Adds a master (listed in peers of etc/io.cairn.node.cfg) to the Raft group.")
@Service
public class AddCommand implements Action {
  @Option(name = "--learner", description = "add it as a non-voting learner")
  boolean learner;

  @Argument(index = 0, name = "node-id", description = "the master to add", required = true)
  int node;

  @Reference(optional = true) ReplicatedLog log;
  @Reference(optional = true) NodeInfo nodeInfo;
  @Reference Session session;

  @Override
  public Object execute() throws InterruptedException {
    PrintStream out = session.getConsole();
    if (log == null || nodeInfo == null) {
      out.println(StatusCommand.NO_MEMBER);
      return null;
    }
    GroupStatus status = log.status();
    List<io.cairn.env.Peer> peers = nodeInfo.peers();
    String refusal = MembershipText.addRefusal(status, peers, node, learner);
    out.println(refusal != null ? refusal
        : MembershipWait.change(log, MembershipText.added(status.membership(), node, learner)));
    return null;
  }
}
