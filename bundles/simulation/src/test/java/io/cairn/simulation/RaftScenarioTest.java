package io.cairn.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.consensus.internal.core.ProposeResult;
import io.cairn.consensus.internal.core.ReadState;
import io.cairn.consensus.internal.core.Role;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Named scenarios written with the simulator DSL. Each runs on a fixed seed with a quiet network
 * unless the scenario injects faults itself; the safety checker runs throughout. A failure prints
 * the same REPRODUCE line as the swarm.
 */
class RaftScenarioTest {
  private static final long SEED = 0x5CE7A410L;
  private static final long BUDGET_MS = 3_000;

  private static SimParameters quiet(int nodes) {
    return new SimParameters(
        nodes, 10, 1, true, NetworkFaults.NONE, 3, 0, BUDGET_MS, 1, 1, 64, 16, 0, true, true);
  }

  private static void scenario(int nodes, Consumer<Simulator> body) {
    scenario(quiet(nodes), body);
  }

  private static void scenario(SimParameters parameters, Consumer<Simulator> body) {
    Simulator sim = new Simulator(SEED, parameters);
    try {
      body.accept(sim);
      sim.checkLogs();
    } catch (RuntimeException | AssertionError e) {
      System.out.println(SimConfig.reproduceLine(RaftScenarioTest.class, SEED));
      throw e;
    }
  }

  private static ProposeResult commitOne(Simulator sim) {
    int leader = sim.awaitLeader(BUDGET_MS);
    ProposeResult result = sim.propose(leader);
    assertTrue(result.accepted(), "leader " + leader + " refused a proposal");
    sim.awaitApplied(result.index(), BUDGET_MS);
    return result;
  }

  private static int otherThan(Simulator sim, int... excluded) {
    for (int id : sim.nodeIds()) {
      boolean skip = false;
      for (int e : excluded) {
        skip |= e == id;
      }
      if (!skip) {
        return id;
      }
    }
    throw new AssertionError("no other node");
  }

  @Test
  @DisplayName("leader crashes after persisting but before sending")
  void leaderCrashesAfterPersistingButBeforeSending() {
    scenario(3, sim -> {
      commitOne(sim);
      int old = sim.leader().orElseThrow();
      sim.isolate(old);
      sim.crashAfterNextSync(old);
      ProposeResult orphan = sim.propose(old);
      assertTrue(orphan.accepted());
      sim.runFor(100);
      assertTrue(sim.core(old) == null, "the old leader should have crashed after its sync");
      sim.heal();
      int next = sim.awaitLeader(BUDGET_MS);
      assertNotEquals(old, next);
      ProposeResult replacement = commitOne(sim);
      sim.restart(old);
      sim.awaitApplied(replacement.index(), BUDGET_MS);
      assertNotEquals(
          orphan.term(), sim.core(old).termAt(orphan.index()),
          "the orphan entry, never replicated, must have been replaced on the old leader");
    });
  }

  @Test
  @DisplayName("follower crashes after persisting but before acknowledging")
  void followerCrashesAfterPersistingButBeforeAcknowledging() {
    scenario(3, sim -> {
      commitOne(sim);
      int leader = sim.leader().orElseThrow();
      int follower = otherThan(sim, leader);
      sim.crashAfterNextSync(follower);
      ProposeResult result = sim.propose(leader);
      sim.runFor(200);
      assertTrue(sim.core(follower) == null);
      assertTrue(sim.core(leader).commitIndex() >= result.index(), "two of three suffice");
      sim.restart(follower);
      sim.awaitApplied(result.index(), BUDGET_MS);
    });
  }

  @Test
  @DisplayName("candidate crashes after persisting its vote but before asking for votes")
  void candidateCrashesAfterPersistingItsVote() {
    scenario(3, sim -> {
      commitOne(sim);
      int leader = sim.leader().orElseThrow();
      int candidate = otherThan(sim, leader);
      sim.crash(leader);
      sim.crashAfterNextSync(candidate);
      sim.runFor(600);
      assertTrue(sim.core(candidate) == null, "it should have crashed after persisting a vote");
      sim.restart(leader);
      sim.restart(candidate);
      commitOne(sim);
    });
  }

  @Test
  @DisplayName("an isolated leader steps down by check-quorum and commits nothing")
  void isolatedLeaderStepsDownAndCommitsNothing() {
    scenario(5, sim -> {
      commitOne(sim);
      int old = sim.leader().orElseThrow();
      long oldTerm = sim.core(old).term();
      sim.isolate(old);
      ProposeResult stranded = sim.propose(old);
      assertTrue(stranded.accepted());
      sim.runFor(500);
      assertNotEquals(Role.LEADER, sim.core(old).role(), "check-quorum must depose it");
      assertTrue(sim.core(old).commitIndex() < stranded.index());
      int next = sim.awaitLeader(BUDGET_MS);
      assertTrue(sim.core(next).term() > oldTerm);
      sim.heal();
      ProposeResult after = commitOne(sim);
      assertNotEquals(stranded.term(), sim.core(old).termAt(stranded.index()));
      assertTrue(sim.appliedIndex(old) >= after.index());
    });
  }

  @Test
  @DisplayName("a rejoining node does not disrupt the leader (pre-vote)")
  void rejoiningNodeDoesNotDisruptTheLeader() {
    scenario(3, sim -> {
      commitOne(sim);
      int leader = sim.leader().orElseThrow();
      long term = sim.core(leader).term();
      int loner = otherThan(sim, leader);
      sim.isolate(loner);
      sim.runFor(2_000);
      assertEquals(term, sim.core(loner).term(), "pre-vote keeps the loner's term");
      sim.heal();
      sim.runFor(1_000);
      assertEquals(leader, sim.leader().orElseThrow());
      assertEquals(term, sim.core(leader).term());
      commitOne(sim);
    });
  }

  @Test
  @DisplayName("a leader that can send but not hear is replaced")
  void leaderThatCannotHearIsReplaced() {
    scenario(3, sim -> {
      commitOne(sim);
      int old = sim.leader().orElseThrow();
      for (int id : sim.nodeIds()) {
        sim.block(id, old);
      }
      sim.runFor(1_000);
      int next = sim.awaitLeader(BUDGET_MS);
      assertNotEquals(old, next);
      ProposeResult result = sim.propose(next);
      assertTrue(result.accepted());
      sim.runFor(300);
      assertTrue(sim.core(next).commitIndex() >= result.index());
      sim.heal();
      sim.awaitApplied(result.index(), BUDGET_MS);
    });
  }

  @Test
  @DisplayName("a minority partition does no work and catches up when healed")
  void minorityPartitionDoesNoWork() {
    scenario(5, sim -> {
      commitOne(sim);
      int leader = sim.leader().orElseThrow();
      int a = otherThan(sim, leader);
      int b = otherThan(sim, leader, a);
      for (int x : new int[] {a, b}) {
        for (int y : sim.nodeIds()) {
          if (y != a && y != b) {
            sim.block(x, y);
            sim.block(y, x);
          }
        }
      }
      long minorityCommit = sim.core(a).commitIndex();
      ProposeResult majority = sim.propose(leader);
      sim.runFor(1_000);
      assertTrue(sim.core(leader).commitIndex() >= majority.index());
      assertEquals(minorityCommit, sim.core(a).commitIndex());
      assertFalse(sim.core(a).role() == Role.LEADER || sim.core(b).role() == Role.LEADER);
      sim.heal();
      sim.awaitApplied(majority.index(), BUDGET_MS);
    });
  }

  @Test
  @DisplayName("leadership transfer hands over to an up-to-date follower")
  void leadershipTransfer() {
    scenario(3, sim -> {
      commitOne(sim);
      int old = sim.leader().orElseThrow();
      int target = otherThan(sim, old);
      sim.transferLeadership(old, target);
      assertFalse(sim.propose(old).accepted(), "no proposals during a transfer");
      sim.runFor(100);
      assertEquals(target, sim.leader().orElseThrow());
      commitOne(sim);
    });
  }

  @Test
  @DisplayName("ReadIndex is confirmed by a quorum and never by a deposed leader")
  void readIndex() {
    SimParameters withoutLease =
        new SimParameters(3, 10, 1, true, NetworkFaults.NONE, 3, 0, BUDGET_MS, 1, 1, 64, 16, 0,
            true, false);
    scenario(withoutLease, sim -> {
      ProposeResult written = commitOne(sim);
      int leader = sim.leader().orElseThrow();
      long ok = sim.requestRead(leader);
      sim.runFor(50);
      ReadState confirmed =
          sim.confirmedReads(leader).stream().filter(r -> r.requestId() == ok).findFirst()
              .orElseThrow();
      assertTrue(confirmed.index() >= written.index());
      sim.isolate(leader);
      long stale = sim.requestRead(leader);
      sim.runFor(1_000);
      assertTrue(
          sim.confirmedReads(leader).stream().noneMatch(r -> r.requestId() == stale),
          "an isolated leader must not confirm a read");
    });
  }

  @Test
  @DisplayName("a leader answers reads from its lease at once, and not once the lease ran out")
  void leaseRead() {
    scenario(3, sim -> {
      ProposeResult written = commitOne(sim);
      int leader = sim.leader().orElseThrow();
      sim.runFor(50);
      long inLease = sim.requestRead(leader);
      // Confirmed synchronously: no message left the leader for it.
      ReadState confirmed =
          sim.confirmedReads(leader).stream().filter(r -> r.requestId() == inLease).findFirst()
              .orElseThrow(() -> new AssertionError("a read inside the lease was not answered"));
      assertTrue(confirmed.index() >= written.index(), "lease read before the last commit");
      sim.isolate(leader);
      // An election timeout (10 ticks) later the lease is over, whatever the old leader thinks.
      sim.runFor(10L * sim.tickMs());
      long stale = sim.requestRead(leader);
      sim.runFor(1_000);
      assertTrue(
          sim.confirmedReads(leader).stream().noneMatch(r -> r.requestId() == stale),
          "an isolated leader confirmed a read after its lease ran out");
    });
  }

  @Test
  @DisplayName("the whole group crashes and restarts without losing a committed entry")
  void wholeGroupRestarts() {
    scenario(3, sim -> {
      ProposeResult before = commitOne(sim);
      for (int id : sim.nodeIds()) {
        sim.crash(id);
      }
      sim.runFor(100);
      sim.restartAll();
      ProposeResult after = commitOne(sim);
      assertTrue(after.index() > before.index());
    });
  }

  @Test
  @DisplayName("a follower behind the compacted log catches up through InstallSnapshot")
  void laggingFollowerCatchesUpFromASnapshot() {
    SimParameters compacting =
        new SimParameters(3, 10, 1, true, NetworkFaults.NONE, 3, 0, BUDGET_MS, 1, 1, 64, 16, 5, true,
            true);
    scenario(compacting, sim -> {
      commitOne(sim);
      int leader = sim.leader().orElseThrow();
      int lagging = otherThan(sim, leader);
      sim.crash(lagging);
      ProposeResult last = null;
      for (int i = 0; i < 30; i++) {
        last = sim.propose(leader);
        sim.runFor(20);
      }
      sim.awaitApplied(last.index(), BUDGET_MS);
      assertTrue(sim.core(leader).firstIndex() > 2, "the leader compacted its log");
      sim.restart(lagging);
      sim.awaitApplied(last.index(), BUDGET_MS);
      assertTrue(sim.core(lagging).firstIndex() > 2, "it caught up from a snapshot");
    });
  }

  @Test
  @DisplayName("membership changes by joint consensus: add two voters, then remove the leader")
  void membershipChangeByJointConsensus() {
    SimParameters five =
        new SimParameters(5, 10, 1, true, NetworkFaults.NONE, 3, 0, BUDGET_MS, 1, 1, 64, 16, 0, true,
            true);
    scenario(five, sim -> {
      int leader = sim.awaitLeader(BUDGET_MS);
      ProposeResult shrink = sim.proposeConfiguration(leader, Set.of(leader), Set.of());
      assertTrue(shrink.accepted());
      sim.runFor(500);
      assertEquals(Set.of(leader), sim.core(leader).configuration().voters());
      assertFalse(sim.core(leader).configuration().joint());
      Set<Integer> others = new TreeSet<>(sim.nodeIds());
      others.remove(leader);
      ProposeResult grow = sim.proposeConfiguration(leader, others, Set.of());
      assertTrue(grow.accepted(), "the leader may hand the group to nodes other than itself");
      sim.runFor(1_000);
      int next = sim.awaitLeader(BUDGET_MS);
      assertNotEquals(leader, next, "a leader outside the new configuration steps down: " + sim.status());
      assertEquals(others, sim.core(next).configuration().voters());
      commitOne(sim);
    });
  }

  @Test
  @DisplayName("a follower that missed a membership change learns it from a snapshot")
  void snapshotCarriesTheConfiguration() {
    SimParameters compacting =
        new SimParameters(3, 10, 1, true, NetworkFaults.NONE, 3, 0, BUDGET_MS, 1, 1, 64, 16, 5, true,
            true);
    scenario(compacting, sim -> {
      int leader = sim.awaitLeader(BUDGET_MS);
      int lagging = otherThan(sim, leader);
      int third = otherThan(sim, leader, lagging);
      sim.crash(lagging);
      sim.proposeConfiguration(leader, Set.of(leader, third), Set.of(lagging));
      ProposeResult last = null;
      for (int i = 0; i < 20; i++) {
        last = sim.propose(leader);
        sim.runFor(20);
      }
      sim.awaitApplied(last.index(), BUDGET_MS);
      sim.restart(lagging);
      sim.awaitApplied(last.index(), BUDGET_MS);
      assertTrue(sim.core(lagging).firstIndex() > 2, "it caught up from a snapshot");
      assertEquals(sim.core(leader).configuration(), sim.core(lagging).configuration());
    });
  }

  @Test
  @DisplayName("the same seed replays the same run")
  void sameSeedReplaysTheSameRun() {
    long seed = 0xD5EEDL;
    Simulator first = Simulator.forSeed(seed);
    first.run();
    Simulator second = Simulator.forSeed(seed);
    second.run();
    assertEquals(first.status(), second.status());
    assertEquals(first.messagesSent(), second.messagesSent());
    assertEquals(first.committedEntries(), second.committedEntries());
  }
}
