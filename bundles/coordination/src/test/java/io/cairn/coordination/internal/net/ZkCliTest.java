package io.cairn.coordination.internal.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.ZooKeeperMain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** zkCli ({@code org.apache.zookeeper.ZooKeeperMain}) scripted against our server. */
class ZkCliTest {
  private ZkServerFixture fixture;

  @BeforeEach
  void start() throws Exception {
    fixture = new ZkServerFixture(ZkServerFixture.fastConfig());
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void aScriptedCliSessionCreatesSetsAndDeletes() throws Exception {
    ZooKeeperMain cli = new ZooKeeperMain(new String[] {"-server", fixture.connectString()});
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper check =
        new ZooKeeper(
            fixture.connectString(),
            4000,
            event -> {
              if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
              }
            });
    try {
      assertTrue(connected.await(10, TimeUnit.SECONDS));
      cli.executeLine("create /cli hello");
      cli.executeLine("create -s -e /cli/seq- x");
      cli.executeLine("set /cli world");
      assertEquals(1, check.getChildren("/cli", false).size(), "the sequential ephemeral exists");
      cli.executeLine("ls -s /cli");
      cli.executeLine("getAllChildrenNumber /");
      assertArrayEquals(
          "world".getBytes(StandardCharsets.UTF_8), check.getData("/cli", false, null));
      cli.executeLine("deleteall /cli");
      assertNull(check.exists("/cli", false));
    } finally {
      cli.executeLine("close");
      check.close(5000);
    }
  }
}
