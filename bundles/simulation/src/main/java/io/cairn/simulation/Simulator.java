package io.cairn.simulation;

import io.cairn.consensus.internal.core.Message;
import io.cairn.consensus.internal.wire.SnapshotTransfer;
import io.cairn.consensus.internal.core.ProposeResult;
import io.cairn.consensus.internal.core.RaftConfig;
import io.cairn.consensus.internal.core.RaftCore;
import io.cairn.consensus.internal.core.Role;
import io.cairn.env.RandomSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole Raft group on one thread over virtual time, reproducible from one seed (in the manner of
 * TigerBeetle's VOPR). {@link #run()} is the fuzz run: a safety phase with faults (message loss,
 * duplication, reordering, symmetric and asymmetric partitions, crashes losing unsynced writes),
 * then a liveness phase with faults healed, in which the group must elect a leader and commit.
 * The other public methods form the DSL for named scenarios. Every step is checked by {@link
 * SafetyChecker}; any violation throws {@link SimulationFailure}.
 */
public final class Simulator {
  private static final Logger LOG = LoggerFactory.getLogger(Simulator.class);
  private static final int TICK_MS = 10;
  private static final int MAX_UNCOMMITTED = 64;

  private final long seed;
  private final SimParameters parameters;
  private final RandomSource random;
  private final EventQueue queue = new EventQueue();
  private final SimNetwork network;
  private final SafetyChecker checker = new SafetyChecker();
  private final Map<Integer, SimNode> nodes = new TreeMap<>();
  private final KvClients clients;
  private long nextPayload;
  private long nextReadId;

  /** A group of {@code parameters.nodes()} fresh nodes with ids 1..n. */
  public Simulator(long seed, SimParameters parameters) {
    this.seed = seed;
    this.parameters = parameters;
    this.random = RandomSource.seeded(seed);
    this.network = new SimNetwork(queue, random.split());
    this.clients = new KvClients(this, random.split(), parameters.clientEveryMs());
    Set<Integer> voters = new TreeSet<>();
    for (int id = 1; id <= parameters.nodes(); id++) {
      voters.add(id);
    }
    for (int id : voters) {
      RaftConfig config =
          new RaftConfig(
              id, voters, parameters.electionTimeoutTicks(), parameters.heartbeatTicks(),
              parameters.maxInflightAppends(), parameters.maxEntriesPerAppend(), 64 * 1024,
              MAX_UNCOMMITTED, parameters.preVoteAndCheckQuorum(),
              parameters.preVoteAndCheckQuorum());
      nodes.put(id, new SimNode(id, config, random.split(), this, parameters.snapshotEvery()));
    }
  }

  /** The fuzz run for {@code seed}, with parameters derived from it. */
  public static Simulator forSeed(long seed) {
    return new Simulator(seed, SimParameters.derive(seed));
  }

  // ---------------------------------------------------------------- fuzz run

  /** Safety phase with faults, then the liveness phase; throws {@link SimulationFailure}. */
  public void run() {
    LOG.debug("seed={} parameters={}", Long.toHexString(seed), parameters);
    network.setFaults(parameters.faults());
    long end = parameters.safetyPhaseMs();
    scheduleFaults(end);
    clients.start(4, end);
    while (now() < end) {
      runFor(250);
      checker.checkLogMatching(nodes.values());
    }
    healAll();
    awaitProgress(parameters.livenessBudgetMs());
    checker.checkLogMatching(nodes.values());
    clients.check();
  }

  private void scheduleFaults(long until) {
    long at = now() + random.nextLong(1, 2 * parameters.faultEveryMs());
    if (at >= until) {
      return;
    }
    queue.at(
        at,
        () -> {
          injectFault();
          scheduleFaults(until);
        });
  }

  private void injectFault() {
    List<Integer> ids = new ArrayList<>(nodes.keySet());
    int victim = ids.get(random.nextInt(ids.size()));
    if (random.chance(0.5)) {
      victim = leader().orElse(victim);
    }
    switch (random.nextInt(10)) {
      case 9 -> changeMembership(ids);
      case 0, 1 -> crash(victim);
      case 2 -> crashAndRestart(victim);
      case 3 -> restart(victim);
      case 4 -> randomPartition(ids);
      case 5 -> block(victim, ids.get(random.nextInt(ids.size())));
      case 6 -> isolate(victim);
      case 7 -> heal();
      default -> restartAll();
    }
  }

  /**
   * The leader (if any) proposes a random new voter set, with some of the rest as learners. Only
   * with pre-vote and check-quorum on (as in production): without them, servers left out of a
   * configuration keep starting elections in higher terms and can keep the group from electing a
   * leader at all (thesis §4.2.3, "disruptive servers"; seed 0x43574602c31208 showed it).
   */
  private void changeMembership(List<Integer> ids) {
    Optional<Integer> leader = leader();
    if (leader.isEmpty() || !parameters.preVoteAndCheckQuorum()) {
      return;
    }
    Set<Integer> voters = new TreeSet<>();
    Set<Integer> learners = new TreeSet<>();
    for (int id : ids) {
      if (random.chance(0.6)) {
        voters.add(id);
      } else if (random.chance(0.5)) {
        learners.add(id);
      }
    }
    if (voters.isEmpty()) {
      voters.add(ids.get(random.nextInt(ids.size())));
      learners.removeAll(voters);
    }
    learners.removeIf(nodes.get(leader.get()).core().configuration()::isVoter);
    proposeConfiguration(leader.get(), voters, learners);
  }

  /** A crash (losing unsynced writes) followed by a quick restart. */
  private void crashAndRestart(int victim) {
    crash(victim);
    queue.at(now() + random.nextLong(1, 60), () -> restart(victim));
  }

  private void randomPartition(List<Integer> ids) {
    heal();
    Set<Integer> side = new TreeSet<>();
    for (int id : ids) {
      if (random.chance(0.5)) {
        side.add(id);
      }
    }
    for (int a : ids) {
      for (int b : ids) {
        if (side.contains(a) != side.contains(b)) {
          network.block(a, b);
        }
      }
    }
  }

  private void healAll() {
    heal();
    network.setFaults(NetworkFaults.NONE);
    restartAll();
  }

  /**
   * Liveness: within {@code budgetMs} a leader must be elected and commit a new entry that every
   * node then applies.
   */
  private void awaitProgress(long budgetMs) {
    long deadline = now() + budgetMs;
    ProposeResult proposed = null;
    int proposer = 0;
    while (now() < deadline) {
      runFor(TICK_MS);
      if (proposed != null && superseded(proposer, proposed)) {
        proposed = null;
      }
      Optional<Integer> current = leader();
      if (proposed == null && current.isPresent()) {
        ProposeResult result = propose(current.get());
        if (result.accepted()) {
          proposed = result;
          proposer = current.get();
        }
      }
      if (proposed != null && allApplied(proposed.index(), nodes.get(proposer))) {
        return;
      }
    }
    throw new SimulationFailure(
        "liveness: no leader committed and replicated an entry within " + budgetMs
            + " ms after healing (proposer=" + proposer + " proposed=" + proposed + ") "
            + status());
  }

  /**
   * The proposer lost office before its entry reached everyone: the entry may be gone, or only
   * the next leader may finish it, so the client proposes again to whoever leads now.
   */
  private boolean superseded(int proposer, ProposeResult proposed) {
    RaftCore core = nodes.get(proposer).core();
    return core == null || core.role() != Role.LEADER || core.term() != proposed.term()
        || core.termAt(proposed.index()) != proposed.term();
  }

  /** Every member of the leader's configuration has applied {@code index}. */
  private boolean allApplied(long index, SimNode leader) {
    if (!leader.alive()) {
      return false;
    }
    for (int member : leader.core().configuration().members()) {
      SimNode node = nodes.get(member);
      if (!node.alive() || node.appliedIndex() < index) {
        return false;
      }
    }
    return true;
  }

  /** One line per node, for failure messages. */
  public String status() {
    StringBuilder out = new StringBuilder();
    for (SimNode node : nodes.values()) {
      RaftCore core = node.core();
      out.append("[node ").append(node.id());
      if (core == null) {
        out.append(" down]");
        continue;
      }
      out.append(' ').append(core.role()).append(" term=").append(core.term())
          .append(" leader=").append(core.leaderId()).append(" last=").append(core.lastIndex())
          .append(" commit=").append(core.commitIndex()).append(" applied=")
          .append(node.appliedIndex()).append(" voters=").append(core.configuration().voters());
      if (core.configuration().joint()) {
        out.append(" outgoing=").append(core.configuration().outgoing());
      }
      for (var follower : core.followers()) {
        out.append(" f").append(follower.nodeId()).append('=').append(follower.state())
            .append(':').append(follower.matchIndex()).append('/').append(follower.nextIndex());
      }
      out.append(']');
    }
    return out.toString();
  }

  // ---------------------------------------------------------------- scenario DSL

  public long now() {
    return queue.now();
  }

  /** Advances virtual time by {@code ms}, running every event due. */
  public void runFor(long ms) {
    queue.runUntil(now() + ms);
  }

  public void crash(int id) {
    nodes.get(id).crash();
  }

  public void restart(int id) {
    nodes.get(id).restart();
  }

  public void restartAll() {
    nodes.values().forEach(SimNode::restart);
  }

  /** Blocks messages from {@code from} to {@code to} only (an asymmetric partition). */
  public void block(int from, int to) {
    if (from != to) {
      network.block(from, to);
    }
  }

  /** Cuts {@code id} off from every other node in both directions. */
  public void isolate(int id) {
    for (int other : nodes.keySet()) {
      block(id, other);
      block(other, id);
    }
  }

  public void heal() {
    network.heal();
  }

  public void setFaults(NetworkFaults faults) {
    network.setFaults(faults);
  }

  /** Scenario hook: node {@code id} crashes after its next fsync, before sending what waited. */
  public void crashAfterNextSync(int id) {
    nodes.get(id).crashAfterNextSync();
  }

  /** The live leader with the highest term, if any. */
  public Optional<Integer> leader() {
    int best = 0;
    long bestTerm = -1;
    for (SimNode node : nodes.values()) {
      if (node.alive() && node.core().role() == Role.LEADER && node.core().term() > bestTerm) {
        best = node.id();
        bestTerm = node.core().term();
      }
    }
    return best == 0 ? Optional.empty() : Optional.of(best);
  }

  /** Runs until some node leads, or fails after {@code budgetMs}. */
  public int awaitLeader(long budgetMs) {
    long deadline = now() + budgetMs;
    while (now() < deadline) {
      Optional<Integer> leader = leader();
      if (leader.isPresent()) {
        return leader.get();
      }
      runFor(TICK_MS);
    }
    throw new SimulationFailure("no leader within " + budgetMs + " ms: " + status());
  }

  /** Proposes a fresh unique payload on node {@code id}, if it is alive. */
  public ProposeResult propose(int id) {
    SimNode node = nodes.get(id);
    if (!node.alive()) {
      return new ProposeResult(false, 0, 0, 0, ProposeResult.Rejection.NOT_LEADER);
    }
    return node.propose(KvClients.encode(0, ++nextPayload));
  }

  /** Node {@code id} proposes a membership change by joint consensus, if it is alive. */
  public ProposeResult proposeConfiguration(int id, Set<Integer> voters, Set<Integer> learners) {
    SimNode node = nodes.get(id);
    if (!node.alive()) {
      return new ProposeResult(false, 0, 0, 0, ProposeResult.Rejection.NOT_LEADER);
    }
    return node.proposeConfiguration(voters, learners);
  }

  /** Asks node {@code id} for a ReadIndex read point; returns the request id. */
  public long requestRead(int id) {
    long requestId = ++nextReadId;
    SimNode node = nodes.get(id);
    if (node.alive()) {
      checker.onReadRequested(requestId);
      node.requestRead(requestId);
    }
    return requestId;
  }

  /**
   * Runs until every live member has applied {@code index}, or fails after {@code budgetMs}.
   * Nodes removed from the configuration are not waited for.
   */
  public void awaitApplied(long index, long budgetMs) {
    long deadline = now() + budgetMs;
    while (now() < deadline) {
      if (allLiveApplied(index)) {
        return;
      }
      runFor(TICK_MS);
    }
    throw new SimulationFailure("index " + index + " not applied within " + budgetMs + " ms: "
        + status());
  }

  /** Every live member of the leader's configuration (all live nodes without a leader). */
  private boolean allLiveApplied(long index) {
    Optional<Integer> leader = leader();
    Collection<Integer> ids =
        leader.isPresent() ? nodes.get(leader.get()).core().configuration().members()
            : nodes.keySet();
    for (int id : ids) {
      SimNode node = nodes.get(id);
      if (node.alive() && node.appliedIndex() < index) {
        return false;
      }
    }
    return true;
  }

  public void transferLeadership(int from, int to) {
    nodes.get(from).transferLeadership(to);
  }

  /** Read access to a live node's core, for assertions in scenarios. */
  public RaftCore core(int id) {
    return nodes.get(id).core();
  }

  public long appliedIndex(int id) {
    return nodes.get(id).appliedIndex();
  }

  /** Read points confirmed on node {@code id} since it started. */
  public List<io.cairn.consensus.internal.core.ReadState> confirmedReads(int id) {
    return nodes.get(id).confirmedReads();
  }

  /** Runs the log-matching check now. */
  public void checkLogs() {
    checker.checkLogMatching(nodes.values());
  }

  public long committedEntries() {
    return checker.committedCount();
  }

  /** Snapshots installed from a leader (InstallSnapshot, Raft §7) on every node of the run. */
  public long snapshotsInstalled() {
    return nodes.values().stream().mapToLong(SimNode::snapshotsInstalled).sum();
  }

  public long elections() {
    return checker.elections();
  }

  public long readsConfirmed() {
    return checker.readsConfirmed();
  }

  public long messagesSent() {
    return network.sent();
  }

  public Collection<Integer> nodeIds() {
    return nodes.keySet();
  }

  // ---------------------------------------------------------------- for nodes

  /** Proposes a client's command on node {@code id}, if it is alive. */
  ProposeResult propose(int id, byte[] command) {
    SimNode node = nodes.get(id);
    if (!node.alive()) {
      return new ProposeResult(false, 0, 0, 0, ProposeResult.Rejection.NOT_LEADER);
    }
    return node.propose(command);
  }

  /** Whether nodes keep their log in storage-engine's SimLogStorage (else in SimDurableLog). */
  boolean engineStorage() {
    return parameters.engineStorage();
  }

  boolean leaseReads() {
    return parameters.leaseReads();
  }

  KvClients clients() {
    return clients;
  }

  /** Client operations recorded for the linearizability check. */
  public int clientOperations() {
    return clients.operations();
  }

  EventQueue queue() {
    return queue;
  }

  SafetyChecker checker() {
    return checker;
  }

  int tickMs() {
    return TICK_MS;
  }

  /** Mostly fast syncs, with an occasional slow one (a busy disk) that widens crash windows. */
  long diskDelayMs() {
    if (random.chance(0.1)) {
      return random.nextLong(1, 60);
    }
    return random.nextLong(1, parameters.maxDiskDelayMs() + 1);
  }

  /** Sends a chunk of a snapshot transfer, or its answer, under the network's faults. */
  void send(SnapshotTransfer transfer) {
    network.send(transfer.from(), transfer.to(), transfer,
        delivered -> nodes.get(delivered.to()).deliver(delivered));
  }

  void send(Message message) {
    network.send(message, delivered -> nodes.get(delivered.to()).deliver(delivered));
  }

  void crashNode(int id) {
    crash(id);
  }
}
