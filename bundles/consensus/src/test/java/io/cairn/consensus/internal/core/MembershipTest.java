package io.cairn.consensus.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.env.RandomSource;
import io.cairn.env.storage.LogEntry;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Membership change by joint consensus through the core (Raft §6, thesis §4.3). */
class MembershipTest {
  @Test
  void aLearnerCatchesUpThenBecomesAVoter() {
    TestCluster cluster = new TestCluster(3);
    cluster.add(RaftConfig.defaults(4, Set.of(1, 2, 3)), RandomSource.seeded(9), DurableState.EMPTY);
    cluster.elect(1);
    ProposeResult learner = cluster.node(1).proposeConfiguration(Set.of(1, 2, 3), Set.of(4));
    assertTrue(learner.accepted());
    cluster.settle();
    cluster.tickAll(2);
    assertEquals(Set.of(4), cluster.node(4).configuration().learners());
    assertEquals(cluster.node(1).lastIndex(), cluster.node(4).lastIndex(), "the learner caught up");
    for (int i = 0; i < 50; i++) {
      cluster.node(4).tick();
    }
    assertEquals(Role.FOLLOWER, cluster.node(4).role(), "a learner never campaigns");
    ProposeResult promote = cluster.node(1).proposeConfiguration(Set.of(1, 2, 3, 4), Set.of());
    assertTrue(promote.accepted());
    cluster.settle();
    cluster.tickAll(2);
    Configuration after = cluster.node(4).configuration();
    assertEquals(Set.of(1, 2, 3, 4), after.voters());
    assertFalse(after.joint(), "the leader appended the final configuration by itself");
  }

  @Test
  void aTruncatedConfigurationEntryNoLongerApplies() {
    RaftCore follower =
        new RaftCore(RaftConfig.defaults(2, Set.of(1, 2, 3)), RandomSource.seeded(5), DurableState.EMPTY);
    byte[] shrink = EntryKind.CONFIGURATION.frame(Configuration.of(Set.of(1, 2)).encode());
    follower.step(
        new Message.AppendRequest(
            1, 2, 1, 0, 0, List.of(new LogEntry(1, 1, shrink)), 0, 0));
    assertEquals(Set.of(1, 2), follower.configuration().voters(), "in effect once appended");
    byte[] command = EntryKind.COMMAND.frame(new byte[] {7});
    follower.step(
        new Message.AppendRequest(
            3, 2, 2, 0, 0, List.of(new LogEntry(1, 2, command)), 0, 0));
    assertEquals(Set.of(1, 2, 3), follower.configuration().voters(), "reverted with the entry");
  }

  @Test
  void oneChangeAtATime() {
    TestCluster cluster = new TestCluster(3);
    cluster.elect(1);
    assertTrue(cluster.node(1).proposeConfiguration(Set.of(1, 2), Set.of()).accepted());
    ProposeResult second = cluster.node(1).proposeConfiguration(Set.of(1), Set.of());
    assertEquals(ProposeResult.Rejection.CHANGE_IN_PROGRESS, second.rejection());
    ProposeResult demote = cluster.node(2).proposeConfiguration(Set.of(1), Set.of(2));
    assertEquals(ProposeResult.Rejection.NOT_LEADER, demote.rejection());
  }

  @Test
  void aLeaderRemovedFromTheGroupStepsDownOnceTheChangeCommits() {
    TestCluster cluster = new TestCluster(3);
    cluster.elect(1);
    assertTrue(cluster.node(1).proposeConfiguration(Set.of(2, 3), Set.of()).accepted());
    cluster.settle();
    cluster.tickAll(2);
    assertNotEquals(Role.LEADER, cluster.node(1).role());
    assertEquals(Set.of(2, 3), cluster.node(2).configuration().voters());
    cluster.tickAll(40);
    int leader = cluster.node(2).role() == Role.LEADER ? 2 : 3;
    assertEquals(Role.LEADER, cluster.node(leader).role());
    assertTrue(cluster.node(leader).propose(new byte[] {1}).accepted());
  }

  @Test
  void backpressureRefusesProposalsBeyondTheUncommittedBound() {
    RaftConfig config = new RaftConfig(1, Set.of(1, 2, 3), 10, 1, 8, 8, 1024, 3, true, true);
    TestCluster cluster = new TestCluster(3);
    cluster.nodes.clear();
    cluster.add(config, RandomSource.seeded(1), DurableState.EMPTY);
    cluster.add(RaftConfig.defaults(2, Set.of(1, 2, 3)), RandomSource.seeded(2), DurableState.EMPTY);
    cluster.add(RaftConfig.defaults(3, Set.of(1, 2, 3)), RandomSource.seeded(3), DurableState.EMPTY);
    cluster.elect(1);
    cluster.isolate(1);
    ProposeResult last = null;
    for (int i = 0; i < 5; i++) {
      last = cluster.node(1).propose(new byte[] {(byte) i});
    }
    assertEquals(ProposeResult.Rejection.OVERLOADED, last.rejection());
  }
}
