package io.cairn.master.internal.server;

import io.cairn.consensus.Applied;
import io.cairn.consensus.GroupStatus;
import io.cairn.consensus.Leadership;
import io.cairn.consensus.LeadershipListener;
import io.cairn.consensus.Membership;
import io.cairn.consensus.ReplicatedLog;
import io.cairn.consensus.spi.StateMachine;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A one-node log for tests: proposals are applied at once to the one state machine, in order,
 * and leadership is whatever the test sets.
 */
final class ImmediateLog implements ReplicatedLog {
  private final StateMachine machine;
  private final List<LeadershipListener> listeners = new CopyOnWriteArrayList<>();
  private volatile Leadership leadership;
  private long index;

  ImmediateLog(StateMachine machine, Leadership leadership) {
    this.machine = machine;
    this.leadership = leadership;
  }

  void setLeadership(Leadership now) {
    leadership = now;
    listeners.forEach(l -> l.onLeadershipChange(now));
  }

  @Override
  public synchronized CompletionStage<Applied> propose(String namespace, byte[] command) {
    if (!namespace.equals(machine.namespace())) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("no state machine for namespace " + namespace));
    }
    long at = ++index;
    return CompletableFuture.completedFuture(
        new Applied(at, Math.max(1, leadership.term()), machine.apply(at, command)));
  }

  @Override
  public synchronized CompletionStage<Long> readBarrier() {
    return CompletableFuture.completedFuture(index);
  }

  @Override
  public CompletionStage<Void> transferLeadership(int nodeId) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("not in tests"));
  }

  @Override
  public CompletionStage<Membership> changeMembership(Membership target) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("not in tests"));
  }

  @Override
  public GroupStatus status() {
    throw new UnsupportedOperationException("not in tests");
  }

  @Override
  public Registration addLeadershipListener(LeadershipListener listener) {
    listeners.add(listener);
    listener.onLeadershipChange(leadership);
    return () -> listeners.remove(listener);
  }
}
