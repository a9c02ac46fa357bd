package io.cairn.consensus.internal.driver;

import io.cairn.consensus.Applied;
import io.cairn.consensus.ConsensusUnavailableException;
import io.cairn.consensus.LeadershipLostException;
import io.cairn.consensus.NotLeaderException;
import io.cairn.consensus.internal.core.RaftCore;
import io.cairn.consensus.internal.wire.Forward;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The follower side of forwarding (thesis §6.2 and §6.4; etcd-raft forwards MsgProp and
 * MsgReadIndex the same way): proposals and read-index requests sent to the leader this follower
 * knows, each waiting for the leader's answer. A refusal because the receiver was not the leader
 * is retried once on the leader known then; a leader change before the answer fails a proposal
 * (it may have been appended) and retries a read once (reads change nothing); an answer that does
 * not come within {@link ForwardingLimits#timeoutTicks} fails the caller. In-flight forwards are
 * bounded by {@link ForwardingLimits#maxInFlight}.
 *
 * <p>The leader side (append, answer) and what follows an accepted proposal (waiting for its
 * apply here) are the driver's, reached through {@link Host}. Called only on the driver's loop.
 */
final class Forwarder {
  /** What the forwarder needs from its driver. */
  interface Host {
    void send(Forward forward);

    /** The leader appended the command at (index, term): complete once applied here. */
    void accepted(long index, long term, CompletableFuture<Applied> future);

    /** Proposes again, on whichever node leads now (this one included); the last attempt. */
    void proposeAgain(String namespace, byte[] command, CompletableFuture<Applied> future);

    /** Asks for a read index again, on whichever node leads now; the last attempt. */
    void readAgain(CompletableFuture<Long> future);

    /** Completes {@code future} once {@code index} is applied here. */
    void readAt(CompletableFuture<Long> future, long index);
  }

  /** A proposal sent to {@code leader} in {@code term}, waiting for its answer. */
  private record ForwardedProposal(
      String namespace, byte[] command, int leader, long term, long deadlineTick, int attempt,
      CompletableFuture<Applied> future) {}

  /** A read index asked of {@code leader} in {@code term}, waiting for its answer. */
  private record ForwardedRead(
      int leader, long term, long deadlineTick, int attempt, CompletableFuture<Long> future) {}

  private final RaftCore core;
  private final ForwardingLimits limits;
  private final Host host;
  private final Map<Long, ForwardedProposal> proposals = new HashMap<>();
  private final Map<Long, ForwardedRead> reads = new HashMap<>();
  private long nextId;

  Forwarder(RaftCore core, ForwardingLimits limits, Host host) {
    this.core = core;
    this.limits = limits;
    this.host = host;
  }

  /**
   * Sends a proposal to the leader this follower knows. Fails at once when none is known (an
   * election runs: the caller retries) or when too many forwards are in flight, counting the
   * {@code waitingForApply} ones the leader accepted already.
   */
  void propose(String namespace, byte[] command, CompletableFuture<Applied> future, int attempt,
      long tick, int waitingForApply) {
    int leader = core.leaderId();
    if (leader == 0 || leader == core.nodeId()) {
      future.completeExceptionally(new NotLeaderException(core.nodeId(), 0));
      return;
    }
    int inFlight = proposals.size() + waitingForApply;
    if (inFlight >= limits.maxInFlight()) {
      future.completeExceptionally(new ConsensusUnavailableException(
          "node " + core.nodeId() + " has " + inFlight + " proposals forwarded to leader " + leader
              + " in flight (max " + limits.maxInFlight() + "); retry later", null));
      return;
    }
    long id = ++nextId;
    proposals.put(id, new ForwardedProposal(namespace, command, leader, core.term(),
        tick + limits.timeoutTicks(), attempt, future));
    host.send(new Forward.Proposal(core.nodeId(), leader, id, namespace, command));
  }

  /** Asks the leader for a read index. */
  void read(CompletableFuture<Long> future, int attempt, long tick) {
    int leader = core.leaderId();
    if (leader == 0 || leader == core.nodeId()) {
      future.completeExceptionally(new NotLeaderException(core.nodeId(), 0));
      return;
    }
    if (reads.size() >= limits.maxInFlight()) {
      future.completeExceptionally(new ConsensusUnavailableException(
          "node " + core.nodeId() + " has " + reads.size() + " reads forwarded to leader "
              + leader + " in flight (max " + limits.maxInFlight() + "); retry later", null));
      return;
    }
    long id = ++nextId;
    reads.put(id, new ForwardedRead(leader, core.term(), tick + limits.timeoutTicks(), attempt,
        future));
    host.send(new Forward.ReadRequest(core.nodeId(), leader, id));
  }

  /**
   * The leader's answer to a forwarded proposal. Accepted: the host waits for the entry at (index,
   * term) to be applied here. The leader sends its answer before the entry itself on the same
   * connection, so the entry cannot have been applied yet unless that connection was replaced
   * meanwhile; the host then fails the caller with an unknown outcome.
   */
  void onProposalResult(Forward.ProposalResult answer) {
    ForwardedProposal sent = proposals.get(answer.id());
    if (sent == null || sent.leader() != answer.from()) {
      return;
    }
    proposals.remove(answer.id());
    switch (answer.error()) {
      case NONE -> host.accepted(answer.index(), answer.term(), sent.future());
      case NOT_LEADER, TRANSFERRING -> {
        // Never appended, so one retry on the leader known now is safe.
        if (sent.attempt() == 0) {
          host.proposeAgain(sent.namespace(), sent.command(), sent.future());
        } else {
          sent.future().completeExceptionally(
              new NotLeaderException(core.nodeId(), answer.leaderHint()));
        }
      }
      case OVERLOADED -> sent.future().completeExceptionally(new ConsensusUnavailableException(
          "the leader has too many uncommitted entries (backpressure); retry later", null));
    }
  }

  void onReadResult(Forward.ReadResult answer) {
    ForwardedRead sent = reads.get(answer.id());
    if (sent == null || sent.leader() != answer.from()) {
      return;
    }
    reads.remove(answer.id());
    switch (answer.error()) {
      case NONE -> host.readAt(sent.future(), answer.index());
      case NOT_LEADER, TRANSFERRING -> {
        if (sent.attempt() == 0) {
          host.readAgain(sent.future());
        } else {
          sent.future().completeExceptionally(
              new NotLeaderException(core.nodeId(), answer.leaderHint()));
        }
      }
      case OVERLOADED -> sent.future().completeExceptionally(new ConsensusUnavailableException(
          "leader " + answer.from() + " has too many reads in flight; retry later", null));
    }
  }

  /**
   * The leader changed (or is unknown) before forwards to the old one were answered: a proposal
   * may or may not have been appended, so it fails with {@link LeadershipLostException}; a read
   * is retried once on the new leader.
   */
  void leaderChanged(int leader, long term) {
    var proposalsSent = proposals.values().iterator();
    while (proposalsSent.hasNext()) {
      ForwardedProposal sent = proposalsSent.next();
      if (sent.leader() != leader || sent.term() != term) {
        proposalsSent.remove();
        sent.future().completeExceptionally(new LeadershipLostException(
            "leader " + sent.leader() + " of term " + sent.term() + " was replaced (now leader="
                + leader + " term=" + term + ") before it answered a forwarded proposal"));
      }
    }
    List<ForwardedRead> retry = new ArrayList<>();
    var readsSent = reads.values().iterator();
    while (readsSent.hasNext()) {
      ForwardedRead sent = readsSent.next();
      if (sent.leader() != leader || sent.term() != term) {
        readsSent.remove();
        retry.add(sent);
      }
    }
    for (ForwardedRead sent : retry) {
      if (sent.attempt() == 0) {
        host.readAgain(sent.future());
      } else {
        sent.future().completeExceptionally(new NotLeaderException(core.nodeId(), leader));
      }
    }
  }

  /** Forwards unanswered by {@code tick} fail: the transport may have dropped them. */
  void expire(long tick) {
    var proposalsSent = proposals.values().iterator();
    while (proposalsSent.hasNext()) {
      ForwardedProposal sent = proposalsSent.next();
      if (sent.deadlineTick() <= tick) {
        proposalsSent.remove();
        sent.future().completeExceptionally(new LeadershipLostException(
            "leader " + sent.leader() + " did not answer a forwarded proposal within "
                + limits.timeoutTicks() + " ticks; it may or may not have been appended"));
      }
    }
    var readsSent = reads.values().iterator();
    while (readsSent.hasNext()) {
      ForwardedRead sent = readsSent.next();
      if (sent.deadlineTick() <= tick) {
        readsSent.remove();
        sent.future().completeExceptionally(new ConsensusUnavailableException(
            "leader " + sent.leader() + " did not answer a read index request within "
                + limits.timeoutTicks() + " ticks; retry", null));
      }
    }
  }

  /** Fails every forward waiting for an answer (the group failed or closes). */
  void failAll(RuntimeException error) {
    proposals.values().forEach(f -> f.future().completeExceptionally(error));
    proposals.clear();
    reads.values().forEach(f -> f.future().completeExceptionally(error));
    reads.clear();
  }
}
