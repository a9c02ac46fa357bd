package io.cairn.simulation;

import io.cairn.consensus.internal.core.ProposeResult;
import io.cairn.env.RandomSource;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Simulated clients of a key-value register store on the replicated log, recording a history for
 * {@link LinearizabilityChecker}. Each client runs one operation at a time: a put proposed on a
 * node (acknowledged when that node applies the entry at the index and term it was given), or a
 * get served by a node's ReadIndex (answered from that node's state once it has applied the read
 * index). A put that is refused, or whose index ends up holding another entry, did not happen; a
 * put that times out has an unknown outcome; gets that fail are dropped (they change nothing).
 * Single-threaded.
 */
final class KvClients {
  static final int KEYS = 3;
  private static final long TIMEOUT_MS = 400;

  private record PendingPut(int client, int node, long index, long term, int key, long value,
      long invoked) {}

  private record PendingGet(int client, int node, int key, long invoked) {}

  private final Simulator sim;
  private final RandomSource random;
  private final long thinkMs;
  private final List<KvOperation> history = new ArrayList<>();
  private final Map<Integer, Integer> preferred = new HashMap<>();
  private final Map<Integer, PendingPut> puts = new HashMap<>();
  private final Map<Long, PendingGet> gets = new HashMap<>();
  private long order;
  private long nextValue;
  private int nextOperation;
  private long stopAt;

  KvClients(Simulator sim, RandomSource random, long thinkMs) {
    this.sim = sim;
    this.random = random;
    this.thinkMs = thinkMs;
  }

  /** Starts {@code clients} clients that issue operations until {@code until}. */
  void start(int clients, long until) {
    stopAt = until;
    for (int client = 0; client < clients; client++) {
      scheduleNext(client);
    }
  }

  private void scheduleNext(int client) {
    long at = sim.now() + random.nextLong(1, 2 * thinkMs + 1);
    if (at < stopAt) {
      sim.queue().at(at, () -> issue(client));
    }
  }

  /**
   * Like a real client, each one keeps talking to the node that last served it (a possibly stale
   * idea of the leader) and moves on when refused: to the hinted leader, or any node.
   */
  private void issue(int client) {
    List<Integer> ids = new ArrayList<>(sim.nodeIds());
    int node = preferred.computeIfAbsent(client, c -> ids.get(random.nextInt(ids.size())));
    int key = 1 + random.nextInt(KEYS);
    if (random.chance(0.6)) {
      put(client, node, key);
    } else {
      get(client, node, key);
    }
  }

  private void put(int client, int node, int key) {
    long value = ++nextValue;
    long invoked = ++order;
    ProposeResult result = sim.propose(node, encode(key, value));
    if (!result.accepted()) {
      redirect(client, result.leaderHint());
      scheduleNext(client);
      return;
    }
    int id = ++nextOperation;
    puts.put(id, new PendingPut(client, node, result.index(), result.term(), key, value, invoked));
    sim.queue().at(sim.now() + TIMEOUT_MS, () -> {
      PendingPut timedOut = puts.remove(id);
      if (timedOut != null) {
        record(timedOut, KvOperation.NEVER);
        scheduleNext(client);
      }
    });
  }

  private void get(int client, int node, int key) {
    long invoked = ++order;
    long requestId = sim.requestRead(node);
    gets.put(requestId, new PendingGet(client, node, key, invoked));
    sim.queue().at(sim.now() + TIMEOUT_MS, () -> {
      if (gets.remove(requestId) != null) {
        scheduleNext(client);
      }
    });
  }

  /** Node {@code node} applied a command: settles the put proposed there at that index. */
  void onApplied(int node, long index, long term) {
    for (Map.Entry<Integer, PendingPut> entry : List.copyOf(puts.entrySet())) {
      PendingPut put = entry.getValue();
      if (put.node() != node || put.index() != index) {
        continue;
      }
      puts.remove(entry.getKey());
      if (put.term() == term) {
        record(put, ++order);
      }
      scheduleNext(put.client());
    }
  }

  /** A read point confirmed by {@code node} is applied there: answer from its state now. */
  void onReadReady(int node, long requestId, Map<Integer, Long> state) {
    PendingGet get = gets.remove(requestId);
    if (get == null || get.node() != node) {
      return;
    }
    history.add(new KvOperation(++nextOperation, get.key(), false,
        state.getOrDefault(get.key(), 0L), get.invoked(), ++order));
    scheduleNext(get.client());
  }

  void onReadFailed(long requestId) {
    PendingGet get = gets.remove(requestId);
    if (get != null) {
      redirect(get.client(), 0);
      scheduleNext(get.client());
    }
  }

  private void redirect(int client, int leaderHint) {
    if (leaderHint != 0 && random.chance(0.8)) {
      preferred.put(client, leaderHint);
    } else {
      preferred.remove(client);
    }
  }

  private void record(PendingPut put, long returned) {
    history.add(new KvOperation(++nextOperation, put.key(), true, put.value(), put.invoked(),
        returned));
  }

  /** Every put still pending has an unknown outcome; then the history is checked. */
  void check() {
    for (PendingPut put : puts.values()) {
      record(put, KvOperation.NEVER);
    }
    puts.clear();
    String violation = LinearizabilityChecker.check(history);
    if (violation != null) {
      throw new SimulationFailure("linearizability: " + violation);
    }
  }

  int operations() {
    return history.size();
  }

  static byte[] encode(int key, long value) {
    return ByteBuffer.allocate(Integer.BYTES + Long.BYTES).putInt(key).putLong(value).array();
  }
}
