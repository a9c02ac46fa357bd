package io.cairn.consensus.internal.command;

import io.cairn.consensus.GroupStatus;
import io.cairn.consensus.Leadership;
import io.cairn.consensus.LeadershipListener;
import io.cairn.consensus.ReplicatedLog;
import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/**
 * {@code cluster:transfer-leader <node-id>}: asks this node, if it leads, to hand leadership to a
 * voter (Raft thesis §3.10) and reports in one sentence where leadership ended up. Waits on the
 * shell's thread, bounded by {@link #WAIT_SECONDS}.
 */
@Command(scope = "cluster", name = "transfer-leader",
    description = "Hands Raft leadership from this node (the leader) to another voter.")
@Service
public class TransferLeaderCommand implements Action {
  /** How long to wait for the new leader: several election timeouts at the default tick. */
  static final long WAIT_SECONDS = 10;

  @Argument(index = 0, name = "node-id", description = "the voter that should lead",
      required = true)
  int target;

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
    String refusal = refusal(status, target);
    if (refusal != null) {
      out.println(refusal);
      return null;
    }
    out.println(outcome(target, awaitLeader()));
    return null;
  }

  /** Starts the transfer and waits for {@link #target} to lead; returns the last leadership seen. */
  private Leadership awaitLeader() throws InterruptedException {
    CompletableFuture<Leadership> moved = new CompletableFuture<>();
    LeadershipListener listener = leadership -> {
      if (leadership.leaderId() == target) {
        moved.complete(leadership);
      }
    };
    try (ReplicatedLog.Registration registration = log.addLeadershipListener(listener)) {
      log.transferLeadership(target).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
      return moved.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return log.status().leadership();
    }
  }

  /** The sentence for a request this node cannot act on, or null when it can. */
  public static String refusal(GroupStatus status, int target) {
    Leadership leadership = status.leadership();
    if (!status.membership().voters().contains(target)) {
      return "node " + target + " is not a voter; voters are "
          + StatusCommand.ids(status.membership().voters());
    }
    if (target == status.nodeId() && leadership.local()) {
      return "node " + target + " already leads (term " + leadership.term() + ")";
    }
    if (!leadership.local()) {
      return MembershipText.notLeader(status, "cluster:transfer-leader");
    }
    return null;
  }

  /** The sentence for where leadership is after the transfer. */
  public static String outcome(int target, Leadership after) {
    if (after.leaderId() == target) {
      return "leadership moved to node " + target + " (term " + after.term() + ")";
    }
    return "leadership did not move to node " + target + " within " + WAIT_SECONDS + " s; "
        + (after.known() ? "node " + after.leaderId() + " leads" : "no leader is known")
        + " (term " + after.term() + ")";
  }
}
