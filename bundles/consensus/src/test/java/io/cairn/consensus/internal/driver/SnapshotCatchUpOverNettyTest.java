package io.cairn.consensus.internal.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.consensus.internal.core.RaftConfig;
import io.cairn.consensus.internal.net.NettyTransport;
import io.cairn.consensus.internal.net.TransportSettings;
import io.cairn.env.RandomSource;
import io.cairn.env.storage.LogStorage;
import io.cairn.env.storage.SnapshotStore;
import io.cairn.storage.internal.RocksLogConfig;
import io.cairn.storage.internal.RocksLogStorage;
import io.cairn.storage.internal.RocksSnapshotStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real drivers on loopback — real Netty sockets, real RocksDB logs and snapshot stores in
 * temporary directories — with small snapshot thresholds: the group writes enough to compact, one
 * follower stops, the others write and compact past it, and the restarted follower catches up by a
 * chunked InstallSnapshot (its state machine is restored at an index it never applied itself) and
 * ends with the leader's state.
 */
class SnapshotCatchUpOverNettyTest {
  private static final SnapshotSettings SMALL = new SnapshotSettings(40, 1L << 30, 10, 1024, 3, 60, false);
  private static final Duration TICK = Duration.ofMillis(20);

  /** One node's parts, so it can be stopped and started again on the same directories. */
  private final class Node {
    final int id;
    final Path dir;
    InetSocketAddress address;
    NettyTransport transport;
    LogStorage log;
    SnapshotStore snapshots;
    SnapshotKvMachine machine;
    RaftDriver driver;

    Node(int id, Path dir) {
      this.id = id;
      this.dir = dir;
    }

    void bind(InetSocketAddress at) {
      transport = NettyTransport.bind(id, at, TransportSettings.defaults());
      address = transport.localAddress();
    }

    void start() {
      for (Node peer : nodes) {
        if (peer != this) {
          transport.addPeer(peer.id, peer.address);
        }
      }
      log = RocksLogStorage.open(dir.resolve("log"), RocksLogConfig.DEFAULTS);
      snapshots = RocksSnapshotStore.open(dir.resolve("snapshots"));
      machine = new SnapshotKvMachine("kv");
      driver = RaftDriver.start(new RaftDriver.Setup(
          RaftConfig.defaults(id, Set.of(1, 2, 3)), RandomSource.seeded(31 * id + restarts++),
          log, snapshots, transport, Map.of("kv", machine), TICK, ForwardingLimits.defaults(),
          SMALL));
    }

    void stop() {
      if (driver != null) {
        driver.close();
        transport.close();
        snapshots.close();
        log.close();
        driver = null;
      }
    }
  }

  private final List<Node> nodes = new ArrayList<>();
  private int restarts;

  @AfterEach
  void stopAll() {
    nodes.forEach(Node::stop);
  }

  @Test
  void aRestartedFollowerCatchesUpByInstallSnapshot(@TempDir Path temp) throws Exception {
    InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    for (int id = 1; id <= 3; id++) {
      Node node = new Node(id, temp.resolve("node" + id));
      node.bind(any);
      nodes.add(node);
    }
    nodes.forEach(Node::start);

    Node leader = awaitLeader();
    write(leader, 0, 120);
    for (Node node : nodes) {
      await("node " + node.id + " took a snapshot", () -> node.driver.status().snapshotIndex() > 0);
    }
    Node lagging = nodes.stream().filter(n -> n != leader).findFirst().orElseThrow();
    await("the follower applied everything",
        () -> lagging.driver.status().appliedIndex() >= leader.driver.status().commitIndex());
    long appliedAtStop = lagging.driver.status().appliedIndex();
    InetSocketAddress laggingAddress = lagging.address;
    lagging.stop();

    write(leader, 120, 300);
    long leaderSnapshot = leader.driver.status().snapshotIndex();
    assertTrue(leaderSnapshot > appliedAtStop + SMALL.trailingEntries() + 1,
        "the leader compacted past the stopped follower: snapshot " + leaderSnapshot
            + ", follower applied " + appliedAtStop);

    lagging.bind(laggingAddress);
    lagging.start();
    await("the follower installed a snapshot beyond what it had applied",
        () -> lagging.machine.restoredAt().stream().anyMatch(index -> index > appliedAtStop));
    write(leader, 300, 310);
    long commit = leader.driver.status().commitIndex();
    await("the follower applied the leader's commit index",
        () -> lagging.driver.status().appliedIndex() >= commit);
    assertEquals(leader.machine.values(), lagging.machine.values());
    assertEquals(310, lagging.machine.values().size());
    await("the leader reports both followers caught up", () -> {
      var followers = leader.driver.status().followers();
      return followers.size() == 2 && followers.stream().allMatch(f -> f.lag() == 0
          && f.matchIndex() == leader.driver.status().commitIndex());
    });
  }

  /** Writes keys [from, to) with 200-byte values through {@code leader}, 20 at a time. */
  private static void write(Node leader, int from, int to) throws Exception {
    String padding = "x".repeat(200);
    for (int start = from; start < to; start += 20) {
      List<CompletableFuture<?>> batch = new ArrayList<>();
      for (int key = start; key < Math.min(to, start + 20); key++) {
        CompletionStage<?> done = leader.driver.propose(
            "kv", ("k" + key + "=" + key + padding).getBytes(StandardCharsets.UTF_8));
        batch.add(done.toCompletableFuture());
      }
      CompletableFuture.allOf(batch.toArray(new CompletableFuture[0])).get(20, TimeUnit.SECONDS);
    }
  }

  private Node awaitLeader() throws InterruptedException {
    Node[] found = new Node[1];
    await("a leader", () -> {
      for (Node node : nodes) {
        if (node.driver != null && node.driver.status().leadership().local()) {
          found[0] = node;
          return true;
        }
      }
      return false;
    });
    return found[0];
  }

  /** Polls {@code condition} until it holds, failing after 30 s; never a fixed sleep. */
  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after 30 s waiting until " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }
}
