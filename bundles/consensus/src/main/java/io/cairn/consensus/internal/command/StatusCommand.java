package io.cairn.consensus.internal.command;

import io.cairn.consensus.FollowerProgress;
import io.cairn.consensus.GroupStatus;
import io.cairn.consensus.Leadership;
import io.cairn.consensus.ReplicatedLog;
import java.io.PrintStream;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/**
 * {@code cluster:status}: this node's view of the Raft group — role, term, leader, commit and
 * applied index, latest snapshot, members — and, on the leader, each follower's match index and
 * lag. Thin: reads {@link ReplicatedLog#status()} and formats it; runs on the shell's thread.
 */
@Command(scope = "cluster", name = "status",
    description = "Shows this node's Raft view: role, term, leader, commit and applied index, "
        + "snapshot, members, and on the leader each follower's match index and lag.")
@Service
public class StatusCommand implements Action {
  /** Sentence printed where no Raft member runs. */
  static final String NO_MEMBER =
      "No Raft member runs on this node (it is not a master, or the group has not started).";

  @Reference(optional = true) ReplicatedLog log;
  @Reference Session session;

  @Override
  public Object execute() {
    PrintStream out = session.getConsole();
    GroupStatus status = log == null ? null : log.status();
    out.println(status == null ? NO_MEMBER : format(status));
    return null;
  }

  /** The command's text; kept apart so tests can check it without a shell. */
  public static String format(GroupStatus status) {
    Leadership leadership = status.leadership();
    StringBuilder text = new StringBuilder();
    row(text, "node", String.valueOf(status.nodeId()));
    row(text, "role", role(status));
    row(text, "term", String.valueOf(leadership.term()));
    row(text, "leader",
        leadership.known() ? String.valueOf(leadership.leaderId()) : "(none known)");
    row(text, "commit", String.valueOf(status.commitIndex()));
    row(text, "applied", String.valueOf(status.appliedIndex()));
    row(text, "snapshot", status.snapshotIndex() == 0 ? "(none)"
        : String.valueOf(status.snapshotIndex()));
    row(text, "voters", ids(status.membership().voters()));
    row(text, "learners", ids(status.membership().learners()));
    if (leadership.local() && !status.followers().isEmpty()) {
      text.append(String.format("%n%-9s %12s %10s %-10s %s%n", "follower", "match", "lag",
          "state", "active"));
      for (FollowerProgress follower : status.followers()) {
        text.append(String.format("%-9d %12d %10d %-10s %s%n", follower.nodeId(),
            follower.matchIndex(), follower.lag(), follower.state(),
            follower.recentlyActive() ? "yes" : "no"));
      }
    }
    return text.toString().stripTrailing();
  }

  /**
   * leader, follower or learner. GroupStatus does not say whether a node without a known leader
   * is campaigning, so that case reads "follower" with leader "(none known)".
   */
  static String role(GroupStatus status) {
    if (status.leadership().local()) {
      return "leader";
    }
    return status.membership().learners().contains(status.nodeId()) ? "learner" : "follower";
  }

  /** Sorted, comma-separated ids, or "(none)". */
  static String ids(Set<Integer> ids) {
    return ids.isEmpty() ? "(none)"
        : new TreeSet<>(ids).stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  private static void row(StringBuilder text, String key, String value) {
    text.append(String.format("%-9s %s%n", key, value));
  }
}
