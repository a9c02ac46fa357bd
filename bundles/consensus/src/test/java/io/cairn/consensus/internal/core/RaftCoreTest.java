package io.cairn.consensus.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.consensus.internal.core.Message.AppendRequest;
import io.cairn.consensus.internal.core.Message.AppendResponse;
import io.cairn.consensus.internal.core.Message.VoteRequest;
import io.cairn.consensus.internal.core.Message.VoteResponse;
import io.cairn.env.RandomSource;
import io.cairn.env.storage.HardState;
import io.cairn.env.storage.LogEntry;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Unit tests of the Raft core, one rule each, citing the paper section they pin down. */
class RaftCoreTest {
  private static final Set<Integer> THREE = Set.of(1, 2, 3);

  private static LogEntry entry(long index, long term) {
    return new LogEntry(index, term, new byte[] {(byte) EntryKind.COMMAND.ordinal(), (byte) index});
  }

  private static RaftConfig plain(int id) {
    return new RaftConfig(id, THREE, 10, 1, 8, 1, 1024, 1000, false, false);
  }

  private static RaftCore core(RaftConfig config, DurableState state) {
    return new RaftCore(config, RandomSource.seeded(7), state);
  }

  private static <T extends Message> List<T> messagesOf(Ready ready, Class<T> type) {
    return java.util.stream.Stream.concat(
            ready.sendNow().stream(), ready.sendAfterPersist().stream())
        .filter(type::isInstance).map(type::cast).toList();
  }

  @Test
  void aSingleNodeElectsItselfAndCommitsOnceDurable() {
    TestCluster cluster = new TestCluster(1);
    cluster.elect(1);
    RaftCore leader = cluster.node(1);
    ProposeResult result = leader.propose(new byte[] {9});
    assertTrue(result.accepted());
    Ready first = leader.ready();
    assertNotNull(first.write());
    assertTrue(first.committedEntries().isEmpty(), "nothing applies before it is durable");
    leader.onPersisted(first.persistIndex(), first.persistTerm());
    Ready second = leader.ready();
    assertEquals(result.index(), second.committedEntries().get(0).index());
  }

  @Test
  void threeNodesElectOneLeaderAndReplicate() {
    TestCluster cluster = new TestCluster(3);
    cluster.elect(1);
    ProposeResult result = cluster.node(1).propose(new byte[] {1});
    cluster.settle();
    cluster.tickAll(1);
    for (int id = 1; id <= 3; id++) {
      assertEquals(1, cluster.node(id).leaderId());
      assertEquals(result.index(), cluster.applied.get(id).size());
    }
    assertEquals(1, cluster.node(1).term(), "pre-vote costs no extra term");
  }

  @Test
  void aOneVoterWinSendsNothingInItsTermBeforeTheTermIsDurable() {
    // Voters {1}, learner 2: node 1 wins alone in the drain that starts its campaign.
    Configuration withLearner = new Configuration(Set.of(1), Set.of(), Set.of(2));
    LogEntry configuration = new LogEntry(1, 1,
        EntryKind.CONFIGURATION.frame(withLearner.encode()));
    RaftCore leader = core(new RaftConfig(1, Set.of(1), 10, 1, 8, 1, 1024, 1000, false, false),
        new DurableState(new HardState(1, 1, 1), null, List.of(configuration)));
    for (int i = 0; i < 40 && leader.role() != Role.LEADER; i++) {
      leader.tick();
    }
    assertEquals(Role.LEADER, leader.role());
    Ready ready = leader.ready();
    assertEquals(2, ready.write().hardState().term(), "the new term is in this write");
    assertTrue(ready.sendNow().isEmpty(),
        "nothing of term 2 may leave before term 2 is durable: " + ready.sendNow());
    List<AppendRequest> appends = messagesOf(ready, AppendRequest.class);
    assertEquals(2, appends.get(0).to(), "the learner gets its append once the write is durable");
    assertEquals(2, appends.get(0).term());
  }

  @Test
  void aVoteIsGrantedOncePerTermAndPersistedBeforeItIsSent() {
    RaftCore voter = core(plain(1), DurableState.EMPTY);
    voter.step(new VoteRequest(2, 1, 1, 0, 0, false, false));
    Ready ready = voter.ready();
    assertEquals(new HardState(1, 2, 0), ready.write().hardState());
    assertTrue(ready.sendNow().isEmpty());
    assertTrue(messagesOf(ready, VoteResponse.class).get(0).granted());
    voter.step(new VoteRequest(3, 1, 1, 0, 0, false, false));
    assertFalse(messagesOf(voter.ready(), VoteResponse.class).get(0).granted());
  }

  @Test
  void aCandidateWithAnOlderLogIsRefused() {
    DurableState state =
        new DurableState(new HardState(2, 0, 0), null, List.of(entry(1, 1), entry(2, 2)));
    RaftCore voter = core(plain(1), state);
    voter.step(new VoteRequest(2, 1, 3, 5, 1, false, false));
    assertFalse(messagesOf(voter.ready(), VoteResponse.class).get(0).granted(), "older term");
    voter.step(new VoteRequest(3, 1, 3, 1, 2, false, false));
    assertFalse(messagesOf(voter.ready(), VoteResponse.class).get(0).granted(), "shorter");
  }

  @Test
  void onlyEntriesOfTheCurrentTermCommitByCounting() {
    DurableState state =
        new DurableState(new HardState(2, 0, 1), null, List.of(entry(1, 1), entry(2, 2)));
    RaftCore leader = core(plain(1), state);
    for (int i = 0; i < 20 && leader.role() != Role.CANDIDATE; i++) {
      leader.tick();
    }
    leader.step(new VoteResponse(2, 1, 3, true, false));
    assertEquals(Role.LEADER, leader.role());
    Ready ready = leader.ready();
    leader.onPersisted(ready.persistIndex(), ready.persistTerm());
    leader.step(new AppendResponse(2, 1, 3, true, 2, 0, 0, 0));
    assertEquals(1, leader.commitIndex(), "index 2 is on a majority but of term 2 (Figure 8)");
    leader.step(new AppendResponse(2, 1, 3, true, 3, 0, 0, 0));
    assertEquals(3, leader.commitIndex());
  }

  @Test
  void aFollowerHintsPastAConflictingTermAndTruncatesIt() {
    DurableState state =
        new DurableState(
            new HardState(2, 0, 0), null,
            List.of(entry(1, 1), entry(2, 1), entry(3, 2), entry(4, 2)));
    RaftCore follower = core(plain(2), state);
    follower.step(new AppendRequest(1, 2, 3, 4, 1, List.of(), 0, 0));
    AppendResponse rejected = messagesOf(follower.ready(), AppendResponse.class).get(0);
    assertFalse(rejected.success());
    assertEquals(4, rejected.rejectedIndex());
    assertEquals(2, rejected.rejectHint(), "entries of term 2 cannot match a term-1 probe");
    follower.step(new AppendRequest(1, 2, 3, 2, 1, List.of(entry(3, 3)), 3, 0));
    Ready ready = follower.ready();
    assertEquals(3, ready.write().truncateFrom());
    assertEquals(List.of(3L), ready.write().entries().stream().map(LogEntry::index).toList());
    assertEquals(3, follower.lastIndex());
    assertEquals(3, follower.commitIndex());
  }

  @Test
  void preVoteKeepsAnIsolatedNodesTermAndTheLeaderUndisturbed() {
    TestCluster cluster = new TestCluster(3);
    cluster.elect(1);
    long term = cluster.node(1).term();
    cluster.isolate(3);
    for (int i = 0; i < 100; i++) {
      cluster.node(3).tick();
      cluster.settle();
    }
    assertEquals(term, cluster.node(3).term());
    cluster.heal();
    cluster.tickAll(5);
    assertEquals(Role.LEADER, cluster.node(1).role());
    assertEquals(term, cluster.node(1).term());
  }

  @Test
  void checkQuorumDeposesAnIsolatedLeader() {
    TestCluster cluster = new TestCluster(3);
    cluster.elect(1);
    cluster.isolate(1);
    for (int i = 0; i < 25; i++) {
      cluster.node(1).tick();
      cluster.settle();
    }
    assertEquals(Role.FOLLOWER, cluster.node(1).role());
  }

  @Test
  void aFollowerThatHearsItsLeaderIgnoresVotes() {
    TestCluster cluster = new TestCluster(3);
    cluster.elect(1);
    RaftCore follower = cluster.node(2);
    long term = follower.term();
    follower.step(new VoteRequest(3, 2, term + 5, 100, term + 4, false, false));
    assertEquals(term, follower.term(), "inside the lease the higher term is ignored");
    assertTrue(follower.ready().sendAfterPersist().isEmpty());
    follower.step(new VoteRequest(3, 2, term + 5, 100, term + 4, false, true));
    assertEquals(term + 5, follower.term(), "a transfer vote breaks the lease");
  }

  @Test
  void readIndexNeedsAQuorumRoundAndACommittedEntryOfTheTerm() {
    TestCluster cluster = new TestCluster(3);
    cluster.elect(1);
    RaftCore leader = cluster.node(1);
    leader.requestRead(7);
    cluster.drain(leader);
    assertTrue(cluster.reads.get(1).isEmpty(), "not before a quorum answered");
    cluster.settle();
    assertEquals(List.of(new ReadState(7, leader.commitIndex())), cluster.reads.get(1));
    cluster.node(2).requestRead(8);
    assertEquals(List.of(8L), cluster.node(2).ready().failedReads(), "followers refuse");
  }

  @Test
  void leadershipTransferMakesTheTargetLead() {
    TestCluster cluster = new TestCluster(3);
    cluster.elect(1);
    cluster.node(1).propose(new byte[] {1});
    cluster.settle();
    cluster.node(1).transferLeadership(2);
    assertFalse(cluster.node(1).propose(new byte[] {2}).accepted());
    cluster.settle();
    assertEquals(Role.LEADER, cluster.node(2).role());
    assertEquals(2, cluster.node(1).leaderId());
  }

  @Test
  void aLeaderSendsAppendsAtOnceButAcknowledgementsWaitForPersistence() {
    TestCluster cluster = new TestCluster(3);
    cluster.elect(1);
    cluster.node(1).propose(new byte[] {5});
    Ready leaderReady = cluster.node(1).ready();
    assertFalse(messagesOf(leaderReady, AppendRequest.class).isEmpty());
    assertTrue(leaderReady.sendAfterPersist().isEmpty());
    AppendRequest append = (AppendRequest) leaderReady.sendNow().get(0);
    RaftCore follower = cluster.node(append.to());
    follower.step(append);
    Ready followerReady = follower.ready();
    assertTrue(followerReady.sendNow().isEmpty());
    assertEquals(1, followerReady.sendAfterPersist().size());
  }

  /**
   * The leader may replicate before its own write is durable (thesis §10.2.1), so the write that
   * completes the quorum can be its own: the followers must hear of the commit then, not at the
   * next heartbeat (they apply, and answer clients, only once told).
   */
  @Test
  void aCommitCompletedByTheLeadersOwnWriteReachesTheFollowersAtOnce() {
    TestCluster cluster = new TestCluster(3);
    cluster.elect(1);
    RaftCore leader = cluster.node(1);
    ProposeResult result = leader.propose(new byte[] {5});
    Ready leaderReady = leader.ready();
    AppendRequest toTwo = messagesOf(leaderReady, AppendRequest.class).stream()
        .filter(m -> m.to() == 2).findFirst().orElseThrow();
    RaftCore follower = cluster.node(2);
    follower.step(toTwo);
    Ready followerReady = follower.ready();
    follower.onPersisted(followerReady.persistIndex(), followerReady.persistTerm());
    leader.step(messagesOf(followerReady, AppendResponse.class).get(0));
    leader.ready();
    assertTrue(leader.commitIndex() < result.index(), "our own write is not durable yet");

    leader.onPersisted(leaderReady.persistIndex(), leaderReady.persistTerm());
    assertEquals(result.index(), leader.commitIndex());
    List<AppendRequest> told = messagesOf(leader.ready(), AppendRequest.class);
    assertEquals(Set.of(2, 3), told.stream().map(AppendRequest::to).collect(
        java.util.stream.Collectors.toSet()));
    assertTrue(told.stream().allMatch(m -> m.leaderCommit() == result.index()));
  }

  /** Proposals taken between two drains leave in one append per follower (etcd-raft batching). */
  @Test
  void proposalsBetweenTwoDrainsLeaveInOneAppendPerFollowerAndGetOneAnswer() {
    TestCluster cluster = new TestCluster(3);
    cluster.elect(1);
    RaftCore leader = cluster.node(1);
    leader.propose(new byte[] {1});
    leader.propose(new byte[] {2});
    ProposeResult last = leader.propose(new byte[] {3});
    List<AppendRequest> appends = messagesOf(leader.ready(), AppendRequest.class);
    assertEquals(2, appends.size(), "one append per follower: " + appends);
    AppendRequest toTwo = appends.stream().filter(m -> m.to() == 2).findFirst().orElseThrow();
    assertEquals(3, toTwo.entries().size());

    RaftCore follower = cluster.node(2);
    follower.step(toTwo);
    follower.step(new AppendRequest(1, 2, toTwo.term(), last.index(), toTwo.term(), List.of(),
        toTwo.leaderCommit(), 0));
    List<AppendResponse> answers = messagesOf(follower.ready(), AppendResponse.class);
    assertEquals(1, answers.size(), "plain acceptances in one batch need one answer: " + answers);
    assertEquals(last.index(), answers.get(0).matchIndex());
  }

  @Test
  void restartRecoversTermVoteAndLog() {
    DurableState state =
        new DurableState(new HardState(4, 3, 1), null, List.of(entry(1, 2), entry(2, 4)));
    RaftCore node = core(plain(1), state);
    assertEquals(4, node.term());
    assertEquals(2, node.lastIndex());
    assertEquals(1, node.commitIndex());
    assertEquals(List.of(1L), node.ready().committedEntries().stream().map(LogEntry::index).toList());
    node.step(new VoteRequest(2, 1, 4, 2, 4, false, false));
    assertFalse(messagesOf(node.ready(), VoteResponse.class).get(0).granted(), "voted for 3");
  }

  @Test
  void aTrailingMarginLetsASlightlyLateFollowerCatchUpByAppends() {
    TestCluster cluster = new TestCluster(3);
    cluster.elect(1);
    cluster.isolate(3);
    RaftCore leader = cluster.node(1);
    for (int i = 0; i < 10; i++) {
      leader.propose(new byte[] {(byte) i});
      cluster.settle();
    }
    long applied = leader.appliedIndex();
    long behind = cluster.node(3).lastIndex();
    // Raft §7 with a margin: the snapshot covers everything applied, the log keeps 3 more.
    Snapshot snapshot = leader.compact(applied, applied - 3, new byte[] {42});
    assertEquals(applied, snapshot.index());
    assertEquals(applied - 2, leader.firstIndex());
    assertEquals(snapshot, leader.snapshot());
    assertTrue(behind < applied - 3, "node 3 is behind the margin");
    cluster.heal();
    cluster.tickAll(3);
    assertEquals(leader.commitIndex(), cluster.node(3).commitIndex());
    assertEquals(applied, cluster.node(3).firstIndex() - 1, "node 3 got the snapshot");

    cluster.isolate(2);
    leader.propose(new byte[] {77});
    cluster.settle();
    long before = cluster.node(2).lastIndex();
    Snapshot next = leader.compact(leader.appliedIndex(), before, new byte[] {43});
    assertTrue(next.index() > before, "the snapshot is beyond node 2");
    cluster.heal();
    cluster.tickAll(3);
    assertEquals(leader.commitIndex(), cluster.node(2).commitIndex());
    assertEquals(1, cluster.node(2).firstIndex(), "node 2 caught up by appends, no snapshot");
  }
}
