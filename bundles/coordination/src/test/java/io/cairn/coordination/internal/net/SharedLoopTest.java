package io.cairn.coordination.internal.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/**
 * The listener on a loop it does not own, as on a master node where it shares the raft
 * transport's loop: the real client works through it, and closing the listener leaves the loop
 * (and whatever else runs on it) alone.
 */
class SharedLoopTest {
  private static final byte[] VALUE = "on the shared loop".getBytes(StandardCharsets.UTF_8);

  @Test
  void aListenerOnASharedLoopServesClientsAndLeavesTheLoopRunningWhenClosed() throws Exception {
    EventLoopGroup shared = Epoll.isAvailable() ? new EpollEventLoopGroup(1)
        : new NioEventLoopGroup(1);
    try {
      try (ZkServerFixture fixture = new ZkServerFixture(ZkServerFixture.fastConfig(), shared)) {
        assertTrue(fixture.netty.sharesLoop());
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper client = new ZooKeeper(fixture.connectString(), 4000, event -> {
          if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
            connected.countDown();
          }
        });
        try {
          assertTrue(connected.await(10, TimeUnit.SECONDS), "client connected");
          assertEquals("/shared", client.create("/shared", VALUE, ZooDefs.Ids.OPEN_ACL_UNSAFE,
              CreateMode.PERSISTENT));
          assertArrayEquals(VALUE, client.getData("/shared", false, null));
        } finally {
          client.close();
        }
      }
      assertFalse(shared.isShuttingDown(), "closing the listener must not stop a shared loop");
      assertEquals(42, shared.next().submit(() -> 42).get(5, TimeUnit.SECONDS));
    } finally {
      shared.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }
  }
}
