package io.cairn.itests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole path of a ZooKeeper request in a real Cairn: a node started by {@code ./cairn start}
 * (Karaf, the node's Raft member over RocksDB, the coordination bundle) answers the unmodified
 * Apache ZooKeeper client on its zk endpoint — and keeps the data across a restart, because the
 * tree is rebuilt from the replicated log. Ports are shifted by 2000.
 */
class ZooKeeperApiIT {
  private static final Path DATA = Path.of("target/zookeeper-it").toAbsolutePath();
  private static final String CONNECT = "127.0.0.1:4181";

  @BeforeAll
  static void start() throws Exception {
    LauncherIT.cairnIn(DATA, 2000, "stop");
    LauncherIT.deleteRecursively(DATA);
    LauncherIT.Run start = LauncherIT.cairnIn(DATA, 2000, "start", "--nodes", "1");
    assertEquals(0, start.exitCode(), start.toString());
    assertTrue(start.out().contains("zk=" + CONNECT), start.out());
  }

  @AfterAll
  static void stop() throws Exception {
    LauncherIT.cairnIn(DATA, 2000, "stop");
  }

  private static ZooKeeper connect() throws Exception {
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper zk = new ZooKeeper(CONNECT, 10_000, event -> {
      if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
        connected.countDown();
      }
    });
    if (!connected.await(60, TimeUnit.SECONDS)) {
      zk.close();
      throw new AssertionError("no ZooKeeper session with " + CONNECT + " within 60 s");
    }
    return zk;
  }

  @Test
  void theRealZooKeeperClientCreatesReadsWatchesAndKeepsDataAcrossARestart() throws Exception {
    byte[] app = "{\"id\":\"/ocfweb/web\",\"instances\":3}".getBytes(StandardCharsets.UTF_8);
    try (ZooKeeper zk = connect()) {
      zk.create("/marathon", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      zk.create("/marathon/app", app, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      String first = zk.create("/marathon/leader-", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE,
          CreateMode.EPHEMERAL_SEQUENTIAL);
      assertEquals("/marathon/leader-0000000001", first);

      CountDownLatch changed = new CountDownLatch(1);
      Stat stat = new Stat();
      assertArrayEquals(app, zk.getData("/marathon/app", event -> changed.countDown(), stat));
      zk.setData("/marathon/app", new byte[] {1}, stat.getVersion());
      assertTrue(changed.await(10, TimeUnit.SECONDS), "the data watch fired");
      assertThrows(KeeperException.BadVersionException.class,
          () -> zk.setData("/marathon/app", new byte[] {2}, stat.getVersion()));
      assertThrows(KeeperException.NodeExistsException.class, () -> zk.create("/marathon",
          new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
      assertEquals(List.of("app", "leader-0000000001"),
          zk.getChildren("/marathon", false).stream().sorted().toList());
    }

    LauncherIT.Run stop = LauncherIT.cairnIn(DATA, 2000, "stop");
    assertEquals(0, stop.exitCode(), stop.toString());
    LauncherIT.Run again = LauncherIT.cairnIn(DATA, 2000, "start");
    assertEquals(0, again.exitCode(), again.toString());

    try (ZooKeeper zk = connect()) {
      zk.sync("/marathon", (rc, path, ctx) -> { }, null);
      assertArrayEquals(new byte[] {1}, zk.getData("/marathon/app", false, null),
          "the tree was rebuilt from the replicated log");
      assertNull(zk.exists("/marathon/leader-0000000001", false),
          "the ephemeral died with its session");
    }
  }
}
