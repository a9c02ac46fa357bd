package io.cairn.consensus.internal.command;

import io.cairn.consensus.Membership;
import io.cairn.consensus.NotLeaderException;
import io.cairn.consensus.ReplicatedLog;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one membership change through {@link ReplicatedLog#changeMembership} (joint consensus,
 * thesis §4.3) and turns its outcome into one sentence. Blocks the shell's thread, bounded by
 * {@link #WAIT_SECONDS}.
 */
final class MembershipWait {
  /** Both steps of joint consensus must commit; a new learner may first need to catch up. */
  static final long WAIT_SECONDS = 30;

  private MembershipWait() {}

  static String change(ReplicatedLog log, Membership target) throws InterruptedException {
    try {
      Membership after =
          log.changeMembership(target).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
      return MembershipText.done(after);
    } catch (TimeoutException e) {
      return "the change to voters " + StatusCommand.ids(target.voters()) + ", learners "
          + StatusCommand.ids(target.learners()) + " was not committed within " + WAIT_SECONDS
          + " s; check cluster:status (the added node may be unreachable)";
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof NotLeaderException notLeader) {
        return "this node stopped leading; "
            + (notLeader.leaderHint() != 0 ? "run the command on node " + notLeader.leaderHint()
                : "try again once a leader is elected");
      }
      return "the membership change failed: " + cause.getMessage();
    }
  }
}
