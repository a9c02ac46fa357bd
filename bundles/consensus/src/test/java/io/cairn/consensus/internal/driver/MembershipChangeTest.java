package io.cairn.consensus.internal.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.consensus.LeadershipLostException;
import io.cairn.consensus.Membership;
import io.cairn.consensus.internal.core.DurableState;
import io.cairn.consensus.internal.core.RaftConfig;
import io.cairn.consensus.internal.core.RaftCore;
import io.cairn.consensus.internal.core.Ready;
import io.cairn.consensus.internal.core.Role;
import io.cairn.env.RandomSource;
import io.cairn.env.storage.LogEntry;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The membership change a leader waits for: completed by C_new, failed when its entry is lost. */
class MembershipChangeTest {
  private final MembershipChange change = new MembershipChange();
  private final CompletableFuture<Membership> future = new CompletableFuture<>();

  /** A leader of a group of one, with its first entries applied. */
  private static RaftCore soloLeader() {
    RaftCore core = new RaftCore(RaftConfig.defaults(1, Set.of(1)), RandomSource.seeded(9),
        DurableState.EMPTY);
    for (int i = 0; i < 100 && core.role() != Role.LEADER; i++) {
      core.tick();
    }
    Ready ready = core.ready();
    core.onPersisted(ready.persistIndex(), ready.persistTerm());
    core.ready();
    return core;
  }

  @Test
  void aJointEntryReplacedByAnotherEntryFailsTheChangeInsteadOfHanging() throws Exception {
    RaftCore core = soloLeader();
    change.start(core, Membership.ofVoters(Set.of(1, 2)), future);
    Ready ready = core.ready();
    LogEntry joint = ready.write().entries().get(0);

    // A new leader's no-op took the joint configuration's place (Raft §5.3).
    change.onApplied(new LogEntry(joint.index(), joint.term() + 1, new byte[] {1}));

    ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(
        ExecutionException.class, future::get);
    assertInstanceOf(LeadershipLostException.class, failed.getCause());
  }

  @Test
  void theChangeCompletesWithTheFinalConfigurationOnly() throws Exception {
    RaftCore core = soloLeader();
    change.start(core, new Membership(Set.of(1), Set.of(2)), future);
    List<LogEntry> written = core.ready().write().entries();
    change.onApplied(written.get(0));
    assertTrue(!future.isDone(), "the joint configuration does not complete it");
    core.onPersisted(written.get(0).index(), written.get(0).term());
    LogEntry last = core.ready().write().entries().get(0);

    change.onApplied(last);

    assertEquals(new Membership(Set.of(1), Set.of(2)), future.get());
  }
}
