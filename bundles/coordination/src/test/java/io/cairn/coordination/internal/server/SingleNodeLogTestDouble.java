package io.cairn.coordination.internal.server;

import io.cairn.consensus.Applied;
import io.cairn.consensus.GroupStatus;
import io.cairn.consensus.Leadership;
import io.cairn.consensus.LeadershipListener;
import io.cairn.consensus.Membership;
import io.cairn.consensus.ReplicatedLog;
import io.cairn.consensus.spi.StateMachine;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * TEST DOUBLE, not a consensus implementation: a one-node "replicated log" that applies every
 * proposal in order on one thread to a single {@link StateMachine} and completes the stage on that
 * thread, like the real log's event loop. The read barrier completes after every earlier proposal
 * was applied. Term is always 1.
 */
public final class SingleNodeLogTestDouble implements ReplicatedLog, AutoCloseable {
  private final ExecutorService applyThread =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "test-apply"));
  private StateMachine stateMachine;
  private long lastIndex;

  /** Registers the only state machine. */
  public void register(StateMachine machine) {
    this.stateMachine = machine;
  }

  @Override
  public CompletionStage<Applied> propose(String namespace, byte[] command) {
    CompletableFuture<Applied> future = new CompletableFuture<>();
    applyThread.execute(
        () -> {
          try {
            if (!namespace.equals(stateMachine.namespace())) {
              throw new IllegalArgumentException("unknown namespace " + namespace);
            }
            long index = ++lastIndex;
            byte[] result = stateMachine.apply(index, command);
            future.complete(new Applied(index, 1, result));
          } catch (RuntimeException | Error e) {
            future.completeExceptionally(e);
          }
        });
    return future;
  }

  @Override
  public CompletionStage<Long> readBarrier() {
    CompletableFuture<Long> future = new CompletableFuture<>();
    applyThread.execute(() -> future.complete(lastIndex));
    return future;
  }

  @Override
  public CompletionStage<Void> transferLeadership(int nodeId) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("single node"));
  }

  @Override
  public CompletionStage<Membership> changeMembership(Membership target) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("single node"));
  }

  @Override
  public GroupStatus status() {
    return new GroupStatus(
        1, new Leadership(1, 1, true), lastIndex, lastIndex, Membership.ofVoters(Set.of(1)));
  }

  @Override
  public Registration addLeadershipListener(LeadershipListener listener) {
    listener.onLeadershipChange(new Leadership(1, 1, true));
    return () -> {};
  }

  @Override
  public void close() {
    applyThread.shutdown();
    try {
      if (!applyThread.awaitTermination(5, TimeUnit.SECONDS)) {
        throw new IllegalStateException("apply thread did not stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping the apply thread", e);
    }
  }
}
