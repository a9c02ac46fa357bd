package io.cairn.consensus.internal.driver;

import io.cairn.consensus.LeadershipLostException;
import io.cairn.consensus.Membership;
import io.cairn.consensus.NotLeaderException;
import io.cairn.consensus.internal.core.Configuration;
import io.cairn.consensus.internal.core.EntryKind;
import io.cairn.consensus.internal.core.ProposeResult;
import io.cairn.consensus.internal.core.RaftCore;
import io.cairn.env.storage.LogEntry;
import java.util.concurrent.CompletableFuture;

/**
 * The one membership change this node proposed and waits for (joint consensus, Raft §6, thesis
 * §4.3): it completes when the final configuration (not the joint one) is applied here, and fails
 * if another entry took the place of its joint configuration. The core allows one change at a
 * time, so there is at most one. Called only on the group's event loop.
 */
final class MembershipChange {
  private record Pending(
      long index, long term, Membership target, CompletableFuture<Membership> future) {}

  private Pending pending;

  /** Proposes the joint configuration for {@code target}; a refusal fails {@code future}. */
  void start(RaftCore core, Membership target, CompletableFuture<Membership> future) {
    ProposeResult result = core.proposeConfiguration(target.voters(), target.learners());
    if (result.rejection() == ProposeResult.Rejection.NOT_LEADER) {
      future.completeExceptionally(new NotLeaderException(core.nodeId(), result.leaderHint()));
      return;
    }
    if (!result.accepted()) {
      future.completeExceptionally(new IllegalStateException(refusal(result.rejection())));
      return;
    }
    pending = new Pending(result.index(), result.term(), target, future);
  }

  /**
   * An entry was applied here. Another entry at the joint configuration's index means a new
   * leader replaced it (Raft §5.3): the change failed. It completes with the final configuration.
   */
  void onApplied(LogEntry entry) {
    Pending change = pending;
    if (change == null) {
      return;
    }
    if (entry.index() == change.index() && entry.term() != change.term()) {
      pending = null;
      change.future().completeExceptionally(new LeadershipLostException(
          "membership change at " + change.index() + " was replaced by term " + entry.term()));
      return;
    }
    if (entry.index() <= change.index() || EntryKind.of(entry) != EntryKind.CONFIGURATION) {
      return;
    }
    Configuration configuration = EntryKind.configuration(entry);
    if (!configuration.joint() && configuration.voters().equals(change.target().voters())
        && configuration.learners().equals(change.target().learners())) {
      pending = null;
      change.future().complete(change.target());
    }
  }

  /** A snapshot from the leader replaced the log through {@code index}: the outcome is unknown. */
  void onSnapshotInstalled(long index) {
    Pending change = pending;
    if (change != null && change.index() <= index) {
      pending = null;
      change.future().completeExceptionally(new LeadershipLostException(
          "membership change at " + change.index() + " was covered by a snapshot from the "
              + "leader; check cluster:status"));
    }
  }

  void failAll(RuntimeException error) {
    if (pending != null) {
      pending.future().completeExceptionally(error);
      pending = null;
    }
  }

  /** One sentence for a refused membership change: why, and what to do. */
  static String refusal(ProposeResult.Rejection rejection) {
    return switch (rejection) {
      case CHANGE_IN_PROGRESS ->
          "another membership change is still in progress; retry once it is committed";
      case INVALID_CHANGE -> "the target needs at least one voter, and a voter cannot become a "
          + "learner in one step (remove it first)";
      case TRANSFERRING -> "leadership is being transferred; retry shortly";
      case OVERLOADED -> "the leader has too many uncommitted entries; retry later";
      case NOT_LEADER -> "this node is not the leader";
    };
  }
}
