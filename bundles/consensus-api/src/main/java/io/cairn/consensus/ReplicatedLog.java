package io.cairn.consensus;

import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The replicated log of one Raft group, shared by every {@link io.cairn.consensus.spi.StateMachine}
 * registered with it (one log, several namespaces).
 *
 * <p>Threading: every method may be called from any thread and never blocks; results arrive as
 * completion stages completed on the group's event loop, so callers must not block inside them.
 *
 * <p>Failure: stages complete exceptionally with {@link NotLeaderException} when this node cannot
 * accept the request (it names the leader it knows, if any), with {@link LeadershipLostException}
 * when leadership changed before the outcome was known (the command may or may not have been
 * committed: the caller must make commands idempotent or check), and with {@link
 * ConsensusUnavailableException} when the group is stopped or its storage failed.
 */
@ProviderType
public interface ReplicatedLog {
  /**
   * Appends {@code command} for the state machine registered under {@code namespace}. The stage
   * completes once the entry is committed (Raft §5.3) and applied on this node, with its position
   * and the state machine's result.
   *
   * @param namespace a registered namespace, see {@link io.cairn.consensus.spi.StateMachine}
   * @param command opaque bytes, at most the configured entry size
   */
  CompletionStage<Applied> propose(String namespace, byte[] command);

  /**
   * A linearizable read barrier (ReadIndex, Ongaro's thesis §6.4): completes with an index once
   * this node has applied at least every entry committed before the call, and a quorum has
   * confirmed that the leader that answered was still the leader. Local state read after
   * completion is at least as new as any write acknowledged before the call.
   */
  CompletionStage<Long> readBarrier();

  /**
   * Asks the leader to hand leadership to {@code nodeId} (thesis §3.10); completes once that node
   * leads, exceptionally if the transfer did not finish within an election timeout.
   */
  CompletionStage<Void> transferLeadership(int nodeId);

  /**
   * Changes the voting members by joint consensus (thesis §4.3); completes when the final
   * configuration is committed.
   */
  CompletionStage<Membership> changeMembership(Membership target);

  /** The latest status as known on this node; never blocks. */
  GroupStatus status();

  /** Registers a listener for leadership changes; the current leadership is delivered first. */
  Registration addLeadershipListener(LeadershipListener listener);

  /** Undoes a registration; idempotent. */
  @FunctionalInterface
  interface Registration extends AutoCloseable {
    @Override
    void close();
  }
}
