package io.cairn.itests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three real Cairn processes ({@code ./cairn start --nodes 3}, ports shifted by 3000) form one
 * Raft group and serve the ZooKeeper protocol on every node. The unmodified Apache ZooKeeper
 * client writes through any server (followers forward to the leader), reads its writes back from
 * each server after {@code sync}, keeps writing after the leader is killed with {@code kill -9},
 * and the killed node, started again, catches up. A leader cut off from the majority (the other two
 * processes frozen with SIGSTOP) steps down and acknowledges nothing; when they are back the group
 * heals by itself. Waits are deadlines, never sleeps; every node is stopped (and continued first,
 * should a test have failed while one was frozen) whatever happened.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThreeNodeClusterIT {
  private static final Logger LOG = LoggerFactory.getLogger(ThreeNodeClusterIT.class);
  private static final Path DATA = Path.of("target/three-node-it").toAbsolutePath();
  private static final int OFFSET = 3000;
  private static final int NODES = 3;
  private static final String ALL = "127.0.0.1:5181,127.0.0.1:5191,127.0.0.1:5201";
  private static final int SESSION_TIMEOUT_MS = 30_000;
  private static final long FAILOVER_DEADLINE_S = 20;

  @BeforeAll
  static void startThreeNodes() throws Exception {
    LauncherIT.cairnIn(DATA, OFFSET, "stop");
    LauncherIT.deleteRecursively(DATA);
    LauncherIT.Run start = LauncherIT.cairnIn(DATA, OFFSET, "start", "--nodes", "3");
    assertEquals(0, start.exitCode(), start.toString());
    for (int node = 1; node <= NODES; node++) {
      assertTrue(start.out().contains("zk=" + server(node)), start.out());
    }
  }

  @AfterAll
  static void stopEverything() throws Exception {
    for (int node = 1; node <= NODES; node++) {
      if (Files.exists(DATA.resolve("node-" + node + "/cairn.pid"))) {
        signal(node, "CONT");
      }
    }
    LauncherIT.Run stop = LauncherIT.cairnIn(DATA, OFFSET, "stop");
    if (stop.exitCode() != 0) {
      LOG.warn("cairn stop exited {}: {}", stop.exitCode(), stop);
    }
  }

  private static String server(int node) {
    return "127.0.0.1:" + (2181 + OFFSET + 10 * (node - 1));
  }

  private static ZooKeeper connect(String servers) throws Exception {
    return connect(servers, SESSION_TIMEOUT_MS);
  }

  private static ZooKeeper connect(String servers, int sessionTimeoutMs) throws Exception {
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper zk = new ZooKeeper(servers, sessionTimeoutMs, event -> {
      if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
        connected.countDown();
      }
    });
    if (!connected.await(30, TimeUnit.SECONDS)) {
      zk.close();
      throw new AssertionError("no ZooKeeper session with " + servers + " within 30 s");
    }
    return zk;
  }

  /** {@code sync} (linearizable here: ReadIndex), waited for with a deadline. */
  private static void sync(ZooKeeper zk, String path) throws Exception {
    CompletableFuture<Integer> done = new CompletableFuture<>();
    zk.sync(path, (rc, p, ctx) -> done.complete(rc), null);
    assertEquals(KeeperException.Code.OK.intValue(), done.get(30, TimeUnit.SECONDS),
        "sync on " + path);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** The node whose zk endpoint answers {@code srvr} with {@code Mode: leader}, within 20 s. */
  private static int awaitLeader(List<Integer> candidates) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(FAILOVER_DEADLINE_S);
    while (System.nanoTime() < end) {
      for (int node : candidates) {
        if (srvr(node).contains("Mode: leader")) {
          return node;
        }
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
    throw new AssertionError("no leader among nodes " + candidates + " within 20 s");
  }

  private static String srvr(int node) {
    String[] hostPort = server(node).split(":");
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 2000);
      socket.setSoTimeout(2000);
      socket.getOutputStream().write("srvr".getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      LOG.debug("srvr on node={} failed: {}", node, e.toString());
      return "";
    }
  }

  /** Sends {@code kill -<name>} to node's process (STOP freezes it, CONT resumes it). */
  private static void signal(int node, String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(pid(node)))
        .redirectErrorStream(true).start();
    String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, kill.waitFor(), "kill -" + name + " of node " + node + ": " + out);
  }

  private static long pid(int node) throws IOException {
    return Long.parseLong(Files.readString(DATA.resolve("node-" + node + "/cairn.pid")).strip());
  }

  /**
   * Creates {@code path}, retrying through connection loss until the deadline: a create whose
   * connection was lost may have been committed, so finding the node afterwards counts.
   */
  private static void createWithRetry(ZooKeeper zk, String path, byte[] data, long deadlineNanos)
      throws Exception {
    while (true) {
      try {
        zk.create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        return;
      } catch (KeeperException.NodeExistsException e) {
        assertArrayEquals(data, zk.getData(path, false, null), "a retried create of " + path);
        return;
      } catch (KeeperException.ConnectionLossException e) {
        if (System.nanoTime() > deadlineNanos) {
          throw new AssertionError("create " + path + " did not succeed before the deadline", e);
        }
        LOG.info("create {} lost its connection; retrying", path);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      }
    }
  }

  @Test
  @Order(1)
  void writesThroughAnyServerAreReadBackFromEachServerAfterSync() throws Exception {
    try (ZooKeeper zk = connect(ALL)) {
      zk.create("/cluster", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      for (int i = 0; i < 10; i++) {
        zk.create("/cluster/n" + i, utf8("v" + i), ZooDefs.Ids.OPEN_ACL_UNSAFE,
            CreateMode.PERSISTENT);
      }
    }
    for (int node = 1; node <= NODES; node++) {
      try (ZooKeeper pinned = connect(server(node))) {
        // A write through this very server: on a follower it is forwarded to the leader.
        pinned.create("/cluster/by-" + node, utf8("w" + node), ZooDefs.Ids.OPEN_ACL_UNSAFE,
            CreateMode.PERSISTENT);
        sync(pinned, "/cluster");
        for (int i = 0; i < 10; i++) {
          assertArrayEquals(utf8("v" + i), pinned.getData("/cluster/n" + i, false, null),
              "node " + node + " /cluster/n" + i);
        }
        for (int other = 1; other < node; other++) {
          assertArrayEquals(utf8("w" + other), pinned.getData("/cluster/by-" + other, false, null),
              "node " + node + " reads node " + other + "'s write");
        }
      }
    }
  }

  @Test
  @Order(2)
  void aSessionHeldByAFollowerIsKeptAliveAndItsEphemeralOutlivesSeveralTimeouts()
      throws Exception {
    int leader = awaitLeader(List.of(1, 2, 3));
    int follower = leader == 1 ? 2 : 1;
    // 4 s is the shortest timeout the server grants; the leader must not expire the session
    // although the client talks only to a follower (the follower touches it through the log).
    try (ZooKeeper pinned = connect(server(follower), 4000); ZooKeeper observer = connect(ALL)) {
      pinned.create("/cluster-ephemeral", utf8("e"), ZooDefs.Ids.OPEN_ACL_UNSAFE,
          CreateMode.EPHEMERAL);
      CountDownLatch deleted = new CountDownLatch(1);
      sync(observer, "/cluster-ephemeral");
      assertTrue(observer.exists("/cluster-ephemeral", event -> {
        if (event.getType() == Watcher.Event.EventType.NodeDeleted) {
          deleted.countDown();
        }
      }) != null, "the observer sees the ephemeral");
      assertFalse(deleted.await(3 * 4000 + 2000, TimeUnit.MILLISECONDS),
          "the ephemeral of a live session on a follower was deleted (session expired)");
      pinned.close();
      assertTrue(deleted.await(10, TimeUnit.SECONDS), "closing the session deletes it");
    }
  }

  @Test
  @Order(3)
  void writesContinueAfterTheLeaderIsKilledAndTheRestartedNodeCatchesUp() throws Exception {
    List<Integer> all = List.of(1, 2, 3);
    int leader = awaitLeader(all);
    List<Integer> survivors = new ArrayList<>(all);
    survivors.remove(Integer.valueOf(leader));
    String survivorServers = server(survivors.get(0)) + "," + server(survivors.get(1));
    LOG.info("leader node={}; killing it with kill -9", leader);

    try (ZooKeeper everywhere = connect(ALL); ZooKeeper onSurvivors = connect(survivorServers)) {
      createWithRetry(everywhere, "/cluster/before-kill", utf8("b"),
          System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
      long killed = pid(leader);
      ProcessHandle process = ProcessHandle.of(killed).orElseThrow();
      assertTrue(process.destroyForcibly(), "kill -9 of node " + leader);
      process.onExit().get(30, TimeUnit.SECONDS);
      long killedAt = System.nanoTime();

      long deadline = killedAt + TimeUnit.SECONDS.toNanos(FAILOVER_DEADLINE_S);
      createWithRetry(onSurvivors, "/cluster/after-kill", utf8("a"), deadline);
      LOG.info("first write after the kill took {} ms",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));
      createWithRetry(everywhere, "/cluster/after-kill-2", utf8("a2"), deadline);
      int next = awaitLeader(survivors);
      assertNotEquals(leader, next);
      for (int i = 0; i < 20; i++) {
        createWithRetry(onSurvivors, "/cluster/while-down-" + i, utf8("d" + i), deadline);
      }
    }

    LauncherIT.Run restart = LauncherIT.cairnIn(DATA, OFFSET, "start");
    assertEquals(0, restart.exitCode(), restart.toString());
    assertTrue(restart.out().contains("node=" + leader + " ready in"), restart.out());

    try (ZooKeeper rejoined = connect(server(leader))) {
      sync(rejoined, "/cluster");
      assertArrayEquals(utf8("d19"), rejoined.getData("/cluster/while-down-19", false, null),
          "the restarted node caught up with the writes made while it was down");
      assertArrayEquals(utf8("a"), rejoined.getData("/cluster/after-kill", false, null));
      assertEquals(10 + NODES + 3 + 20, rejoined.getChildren("/cluster", false).size());
      rejoined.create("/cluster/from-rejoined", utf8("r"), ZooDefs.Ids.OPEN_ACL_UNSAFE,
          CreateMode.PERSISTENT);
    }
    for (int node : survivors) {
      try (ZooKeeper pinned = connect(server(node))) {
        sync(pinned, "/cluster");
        assertArrayEquals(utf8("r"), pinned.getData("/cluster/from-rejoined", false, null));
      }
    }
  }

  @Test
  @Order(4)
  void aLeaderCutOffFromTheMajorityStepsDownDoesNoWorkAndTheGroupHealsWhenTheMajorityIsBack()
      throws Exception {
    List<Integer> all = List.of(1, 2, 3);
    int leader = awaitLeader(all);
    List<Integer> majority = new ArrayList<>(all);
    majority.remove(Integer.valueOf(leader));
    try (ZooKeeper onLeader = connect(server(leader))) {
      createWithRetry(onLeader, "/cluster/before-isolation", utf8("i"),
          System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
      CompletableFuture<Integer> isolatedWrite = new CompletableFuture<>();
      try {
        for (int node : majority) {
          signal(node, "STOP");
        }
        LOG.info("nodes {} frozen; node {} is a minority of one", majority, leader);
        // Check-quorum: a leader that hears from no majority steps down.
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(FAILOVER_DEADLINE_S);
        while (srvr(leader).contains("Mode: leader")) {
          assertTrue(System.nanoTime() < end,
              "node " + leader + " still leads 20 s after losing its majority");
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        onLeader.create("/cluster/during-isolation", utf8("x"), ZooDefs.Ids.OPEN_ACL_UNSAFE,
            CreateMode.PERSISTENT, (rc, path, ctx, name) -> isolatedWrite.complete(rc), null);
        // No quorum, no work: the write is not acknowledged (an error answer is allowed).
        try {
          int rc = isolatedWrite.get(5, TimeUnit.SECONDS);
          assertNotEquals(KeeperException.Code.OK.intValue(), rc,
              "a write was acknowledged by a node without a majority");
        } catch (TimeoutException expected) {
          LOG.info("the isolated write is pending, as it should be");
        }
      } finally {
        for (int node : majority) {
          signal(node, "CONT");
        }
      }
      int healed = awaitLeader(all);
      LOG.info("healed: node {} leads", healed);
      createWithRetry(onLeader, "/cluster/after-heal", utf8("h"),
          System.nanoTime() + TimeUnit.SECONDS.toNanos(FAILOVER_DEADLINE_S));
    }
    for (int node : all) {
      try (ZooKeeper pinned = connect(server(node))) {
        sync(pinned, "/cluster");
        assertArrayEquals(utf8("h"), pinned.getData("/cluster/after-heal", false, null),
            "node " + node + " after the heal");
      }
    }
  }
}
