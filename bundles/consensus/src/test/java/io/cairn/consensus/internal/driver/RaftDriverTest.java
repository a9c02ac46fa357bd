package io.cairn.consensus.internal.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.consensus.Applied;
import io.cairn.consensus.ConsensusUnavailableException;
import io.cairn.consensus.LeadershipLostException;
import io.cairn.consensus.Membership;
import io.cairn.consensus.NotLeaderException;
import io.cairn.consensus.internal.core.RaftConfig;
import io.cairn.consensus.internal.wire.Forward;
import io.cairn.consensus.internal.wire.Frame;
import io.cairn.consensus.internal.wire.MalformedMessageException;
import io.cairn.consensus.internal.wire.RaftCodec;
import io.cairn.consensus.spi.StateMachine;
import io.cairn.env.RandomSource;
import io.cairn.env.Transport;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three drivers on real event loops over an in-memory transport and storage: the Ready contract
 * executed with threads. Waits use deadlines (futures with timeouts), never sleeps.
 */
class RaftDriverTest {
  /** A register per key; {@code apply} returns the previous value. */
  static final class KvMachine implements StateMachine {
    final Map<String, String> values = new ConcurrentHashMap<>();
    final List<Long> appliedIndexes = new ArrayList<>();

    @Override
    public String namespace() {
      return "kv";
    }

    @Override
    public synchronized byte[] apply(long index, byte[] command) {
      appliedIndexes.add(index);
      String[] kv = new String(command, StandardCharsets.UTF_8).split("=", 2);
      String previous = values.put(kv[0], kv[1]);
      return previous == null ? new byte[0] : previous.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void snapshot(OutputStream out) {}

    @Override
    public void restore(long lastIndex, InputStream in) {}
  }

  /** Delivers bytes straight to the receiver of the addressed node, unless told to drop them. */
  static final class LoopbackNetwork {
    final Map<Integer, Transport.Receiver> receivers = new ConcurrentHashMap<>();
    /** Frames for which this returns true are lost (a fault injected by a test). */
    volatile Predicate<byte[]> drop = payload -> false;

    Transport endpoint(int id) {
      return new Transport() {
        @Override
        public void send(int to, byte[] payload) {
          Transport.Receiver receiver = receivers.get(to);
          if (receiver != null && !drop.test(payload)) {
            receiver.onMessage(id, payload);
          }
        }

        @Override
        public void setReceiver(Receiver receiver) {
          receivers.put(id, receiver);
        }
      };
    }
  }

  private final List<RaftDriver> drivers = new ArrayList<>();
  private final List<KvMachine> machines = new ArrayList<>();
  private final List<InMemoryLogStorage> storages = new ArrayList<>();

  @AfterEach
  void stop() {
    drivers.forEach(RaftDriver::close);
  }

  private final LoopbackNetwork network = new LoopbackNetwork();

  private void startGroup() {
    startGroup(ForwardingLimits.defaults());
  }

  private void startGroup(ForwardingLimits limits) {
    RandomSource random = RandomSource.seeded(11);
    for (int id = 1; id <= 3; id++) {
      KvMachine machine = new KvMachine();
      InMemoryLogStorage storage = new InMemoryLogStorage();
      RaftConfig config = RaftConfig.defaults(id, Set.of(1, 2, 3));
      drivers.add(RaftDriver.start(
          config, random.split(), storage, network.endpoint(id), Map.of("kv", machine),
          Duration.ofMillis(5), limits));
      machines.add(machine);
      storages.add(storage);
    }
  }

  private RaftDriver awaitLeader() throws Exception {
    CompletableFuture<RaftDriver> elected = new CompletableFuture<>();
    for (RaftDriver driver : drivers) {
      driver.addLeadershipListener(leadership -> {
        if (leadership.local()) {
          elected.complete(driver);
        }
      });
    }
    return elected.get(10, TimeUnit.SECONDS);
  }

  /** Polls {@code condition} until it holds or the deadline passes (no sleeps: parks 1 ms). */
  private static void await(BooleanSupplier condition, String what) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aProposalIsCommittedAppliedEverywhereAndAnswered() throws Exception {
    startGroup();
    RaftDriver leader = awaitLeader();
    Applied first = leader.propose("kv", utf8("x=1")).toCompletableFuture().get(10, TimeUnit.SECONDS);
    Applied second = leader.propose("kv", utf8("x=2")).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertTrue(second.index() > first.index());
    assertArrayEquals(utf8("1"), second.result(), "apply's result comes back to the proposer");
    long barrier = leader.readBarrier().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertTrue(barrier >= second.index(), "a read after an acknowledged write sees it");
    await(() -> machines.stream().allMatch(m -> "2".equals(m.values.get("x"))), "every node applies x=2");
    for (KvMachine machine : machines) {
      assertEquals("2", machine.values.get("x"));
    }
  }

  private RaftDriver followerOf(RaftDriver leader) {
    RaftDriver follower = drivers.stream().filter(d -> d != leader).findFirst().orElseThrow();
    await(() -> follower.status().leadership().leaderId() == leader.status().nodeId(),
        "the follower learns the leader");
    return follower;
  }

  private static boolean isForwardedProposal(byte[] payload) {
    try {
      Frame frame = RaftCodec.decodeFrame(payload);
      return frame.forward() instanceof Forward.Proposal;
    } catch (MalformedMessageException e) {
      throw new AssertionError("the drivers sent a malformed frame", e);
    }
  }

  @Test
  void aFollowerForwardsAProposalAndAnswersOnceItAppliedTheEntryItself() throws Exception {
    startGroup();
    RaftDriver leader = awaitLeader();
    RaftDriver follower = followerOf(leader);
    KvMachine local = machines.get(drivers.indexOf(follower));
    Applied first = follower.propose("kv", utf8("y=1")).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals("1", local.values.get("y"), "read-your-writes on the follower");
    Applied second = follower.propose("kv", utf8("y=2")).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertTrue(second.index() > first.index());
    assertEquals(leader.status().leadership().term(), second.term());
    assertArrayEquals(utf8("1"), second.result(), "the result is the follower's own apply");
    assertEquals("2", local.values.get("y"));
    await(() -> follower.status().appliedIndex() >= second.index(), "the status shows the apply");
  }

  @Test
  void aFollowersReadBarrierAsksTheLeaderAndWaitsForItsOwnApply() throws Exception {
    startGroup();
    RaftDriver leader = awaitLeader();
    RaftDriver follower = followerOf(leader);
    Applied write = leader.propose("kv", utf8("r=1")).toCompletableFuture().get(10, TimeUnit.SECONDS);
    long barrier = follower.readBarrier().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertTrue(barrier >= write.index(), "the read index covers every acknowledged write");
    assertEquals("1", machines.get(drivers.indexOf(follower)).values.get("r"),
        "after the barrier the follower's state shows the write");
  }

  @Test
  void withoutAKnownLeaderProposalsAndReadsFailFastAndRetryably() throws Exception {
    // One member of a three-node group with nobody to talk to never learns a leader.
    KvMachine machine = new KvMachine();
    drivers.add(RaftDriver.start(RaftConfig.defaults(1, Set.of(1, 2, 3)), RandomSource.seeded(3),
        new InMemoryLogStorage(), network.endpoint(1), Map.of("kv", machine), Duration.ofMillis(5)));
    RaftDriver alone = drivers.get(0);
    ExecutionException write = assertThrows(ExecutionException.class,
        () -> alone.propose("kv", utf8("n=1")).toCompletableFuture().get(1, TimeUnit.SECONDS));
    assertEquals(0, assertInstanceOf(NotLeaderException.class, write.getCause()).leaderHint());
    ExecutionException read = assertThrows(ExecutionException.class,
        () -> alone.readBarrier().toCompletableFuture().get(1, TimeUnit.SECONDS));
    assertInstanceOf(NotLeaderException.class, read.getCause());
  }

  @Test
  void forwardsBeyondTheBoundAreRefusedAndUnansweredOnesTimeOut() throws Exception {
    startGroup(new ForwardingLimits(2, 20));
    RaftDriver leader = awaitLeader();
    RaftDriver follower = followerOf(leader);
    network.drop = RaftDriverTest::isForwardedProposal;
    CompletableFuture<Applied> first = follower.propose("kv", utf8("b=1")).toCompletableFuture();
    CompletableFuture<Applied> second = follower.propose("kv", utf8("b=2")).toCompletableFuture();
    ExecutionException refused = assertThrows(ExecutionException.class,
        () -> follower.propose("kv", utf8("b=3")).toCompletableFuture().get(1, TimeUnit.SECONDS));
    assertInstanceOf(ConsensusUnavailableException.class, refused.getCause());
    for (CompletableFuture<Applied> lost : List.of(first, second)) {
      ExecutionException timedOut =
          assertThrows(ExecutionException.class, () -> lost.get(10, TimeUnit.SECONDS));
      assertInstanceOf(LeadershipLostException.class, timedOut.getCause());
    }
    network.drop = payload -> false;
    Applied after = follower.propose("kv", utf8("b=4")).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertTrue(after.index() > 0, "room again once the earlier forwards failed");
  }

  @Test
  void aForwardInFlightWhenTheLeaderDiesFailsWithLeadershipLost() throws Exception {
    startGroup();
    RaftDriver leader = awaitLeader();
    RaftDriver follower = followerOf(leader);
    network.drop = RaftDriverTest::isForwardedProposal;
    CompletableFuture<Applied> inFlight = follower.propose("kv", utf8("l=1")).toCompletableFuture();
    leader.close();
    network.receivers.remove(leader.status().nodeId());
    ExecutionException lost =
        assertThrows(ExecutionException.class, () -> inFlight.get(10, TimeUnit.SECONDS));
    assertInstanceOf(LeadershipLostException.class, lost.getCause());
    network.drop = payload -> false;
    List<RaftDriver> rest = new ArrayList<>(drivers);
    rest.remove(leader);
    await(() -> rest.stream().anyMatch(d -> d.status().leadership().local()), "a new leader");
    RaftDriver newFollower = rest.stream().filter(d -> !d.status().leadership().local())
        .findFirst().orElseThrow();
    await(() -> newFollower.status().leadership().known(), "the follower learns the new leader");
    Applied retried =
        newFollower.propose("kv", utf8("l=2")).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertTrue(retried.term() > 1);
  }

  @Test
  void aMembershipChangeCompletesWhenTheFinalConfigurationIsApplied() throws Exception {
    startGroup();
    RaftDriver leader = awaitLeader();
    int self = leader.status().nodeId();
    int other = self == 1 ? 2 : 1;
    Membership target = Membership.ofVoters(Set.of(self, other));
    Membership done = leader.changeMembership(target).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(target, done);
    assertEquals(Set.of(self, other), leader.status().membership().voters());
    Applied after = leader.propose("kv", utf8("m=1")).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertTrue(after.index() > 0);
  }

  @Test
  void aRemovedVoterComesBackAsALearnerThenAVoter() throws Exception {
    startGroup();
    int self = awaitLeader().status().nodeId();
    int gone = self == 3 ? 2 : 3;
    Set<Integer> rest = new java.util.TreeSet<>(Set.of(1, 2, 3));
    rest.remove(gone);
    // What cluster:remove, cluster:add --learner and cluster:add run: one change at a time.
    change(Membership.ofVoters(rest));
    change(new Membership(rest, Set.of(gone)));
    change(Membership.ofVoters(Set.of(1, 2, 3)));
    RaftDriver leader = leaderNow();
    assertEquals(Set.of(1, 2, 3), leader.status().membership().voters());
    assertEquals(Set.of(), leader.status().membership().learners());
  }

  /** The driver that leads now (listeners see the current leadership first). */
  private RaftDriver leaderNow() throws Exception {
    await(() -> drivers.stream().anyMatch(d -> d.status().leadership().local()), "a leader");
    return drivers.stream().filter(d -> d.status().leadership().local()).findFirst()
        .orElseGet(() -> drivers.get(0));
  }

  /**
   * Changes the membership through whoever leads, as an operator would: a refusal or a lost
   * outcome because leadership moved (possible on a loaded machine) is retried once a leader is
   * known again, unless the change is already in effect.
   */
  private void change(Membership target) throws Exception {
    for (int attempt = 0; attempt < 5; attempt++) {
      RaftDriver leader = leaderNow();
      Membership now = leader.status().membership();
      if (now.equals(target)) {
        return;
      }
      try {
        assertEquals(target,
            leader.changeMembership(target).toCompletableFuture().get(10, TimeUnit.SECONDS));
        return;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof NotLeaderException
            || e.getCause() instanceof LeadershipLostException
            || e.getCause() instanceof IllegalStateException)) {
          throw e;
        }
      }
    }
    throw new AssertionError("membership never became " + target);
  }

  @Test
  void aStateMachineAddedLaterIsReplayedTheCommittedLogThenFollowsLiveEntries() throws Exception {
    startGroup();
    RaftDriver leader = awaitLeader();
    leader.propose("kv", utf8("a=1")).toCompletableFuture().get(10, TimeUnit.SECONDS);
    leader.propose("kv", utf8("a=2")).toCompletableFuture().get(10, TimeUnit.SECONDS);
    KvMachine original = machines.get(drivers.indexOf(leader));
    List<Long> appliedBefore = List.copyOf(original.appliedIndexes);

    // A bundle update: the old machine leaves, an empty new one joins and must catch up.
    KvMachine updated = new KvMachine();
    leader.removeStateMachine(original);
    leader.addStateMachine(updated);
    leader.propose("kv", utf8("b=3")).toCompletableFuture().get(10, TimeUnit.SECONDS);

    await(() -> "3".equals(updated.values.get("b")), "the new machine receives live entries");
    assertEquals("2", updated.values.get("a"), "the committed history was replayed into it");
    assertEquals(appliedBefore, updated.appliedIndexes.subList(0, appliedBefore.size()),
        "replayed in log order, each entry once");
    assertEquals(appliedBefore.size() + 1, updated.appliedIndexes.size());
    assertEquals(null, original.values.get("b"), "the removed machine gets nothing more");
  }

  @Test
  void anUnknownNamespaceIsRejectedUpFront() {
    startGroup();
    ExecutionException error = assertThrows(ExecutionException.class,
        () -> drivers.get(0).propose("nope", utf8("z=1")).toCompletableFuture().get(1, TimeUnit.SECONDS));
    assertInstanceOf(IllegalArgumentException.class, error.getCause());
  }

  @Test
  void aStorageFailureStopsTheGroupOnThatNode() throws Exception {
    startGroup();
    RaftDriver leader = awaitLeader();
    int index = drivers.indexOf(leader);
    storages.get(index).failNextWrite();
    ExecutionException error = assertThrows(ExecutionException.class,
        () -> leader.propose("kv", utf8("w=1")).toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertInstanceOf(ConsensusUnavailableException.class, error.getCause());
    ExecutionException later = assertThrows(ExecutionException.class,
        () -> leader.propose("kv", utf8("w=2")).toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertInstanceOf(ConsensusUnavailableException.class, later.getCause());
  }
}
