package io.cairn.consensus.internal.core;

import io.cairn.env.RandomSource;
import io.cairn.env.storage.LogEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A tiny synchronous harness for unit tests: persistence completes at once, messages are delivered
 * in FIFO order until the group is quiet, and links can be cut. The seeded simulator in the
 * simulation module does the adversarial work; this one keeps unit tests readable.
 */
final class TestCluster {
  final Map<Integer, RaftCore> nodes = new TreeMap<>();
  final Map<Integer, List<LogEntry>> applied = new TreeMap<>();
  final Map<Integer, List<ReadState>> reads = new TreeMap<>();
  final Set<Long> cut = new HashSet<>();
  final List<Message> sent = new ArrayList<>();
  private final ArrayDeque<Message> inFlight = new ArrayDeque<>();

  TestCluster(int size) {
    Set<Integer> voters = new java.util.TreeSet<>();
    for (int id = 1; id <= size; id++) {
      voters.add(id);
    }
    RandomSource random = RandomSource.seeded(42);
    for (int id : voters) {
      add(RaftConfig.defaults(id, voters), random.split(), DurableState.EMPTY);
    }
  }

  void add(RaftConfig config, RandomSource random, DurableState state) {
    nodes.put(config.nodeId(), new RaftCore(config, random, state));
    applied.put(config.nodeId(), new ArrayList<>());
    reads.put(config.nodeId(), new ArrayList<>());
  }

  RaftCore node(int id) {
    return nodes.get(id);
  }

  void isolate(int id) {
    for (int other : nodes.keySet()) {
      cut.add(link(id, other));
      cut.add(link(other, id));
    }
  }

  void heal() {
    cut.clear();
  }

  /** Drains every node's Ready and delivers messages until nothing moves. */
  void settle() {
    for (int round = 0; round < 10_000; round++) {
      for (RaftCore core : nodes.values()) {
        drain(core);
      }
      if (inFlight.isEmpty()) {
        return;
      }
      Message message = inFlight.removeFirst();
      if (!cut.contains(link(message.from(), message.to()))) {
        nodes.get(message.to()).step(message);
      }
    }
    throw new AssertionError("the cluster did not settle");
  }

  void drain(RaftCore core) {
    while (core.hasReady()) {
      Ready ready = core.ready();
      inFlight.addAll(ready.sendNow());
      inFlight.addAll(ready.sendAfterPersist());
      sent.addAll(ready.sendNow());
      sent.addAll(ready.sendAfterPersist());
      core.onPersisted(ready.persistIndex(), ready.persistTerm());
      applied.get(core.nodeId()).addAll(ready.committedEntries());
      reads.get(core.nodeId()).addAll(ready.readStates());
    }
  }

  /** Ticks every node once, then settles. */
  void tickAll(int times) {
    for (int i = 0; i < times; i++) {
      for (RaftCore core : nodes.values()) {
        core.tick();
      }
      settle();
    }
  }

  /** Ticks only {@code id} until it leads (or fails). */
  void elect(int id) {
    for (int i = 0; i < 100 && node(id).role() != Role.LEADER; i++) {
      node(id).tick();
      settle();
    }
    if (node(id).role() != Role.LEADER) {
      throw new AssertionError("node " + id + " did not become leader: " + node(id).role());
    }
  }

  private static long link(int from, int to) {
    return ((long) from << 32) | to;
  }
}
