package io.cairn.coordination.internal.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.coordination.internal.server.Introspection;
import io.cairn.coordination.internal.server.ShellOperator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shell's writes seen by a real ZooKeeper 3.9 client: they are ordinary requests of the
 * node's operator session, so they fire the client's watches and the client sees their data and
 * versions; the shell's views list the client's session and watches.
 */
class OperatorWithRealClientTest {
  private ZkServerFixture fixture;
  private ShellOperator operator;
  private ZooKeeper client;

  @BeforeEach
  void start() throws Exception {
    fixture = new ZkServerFixture(ZkServerFixture.fastConfig());
    operator =
        new ShellOperator(new Introspection(fixture.server), fixture.server.operatorSession());
    CountDownLatch connected = new CountDownLatch(1);
    client =
        new ZooKeeper(
            fixture.connectString(),
            4000,
            event -> {
              if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
              }
            });
    assertTrue(connected.await(10, TimeUnit.SECONDS), "client connects");
  }

  @AfterEach
  void stop() throws Exception {
    client.close(5000);
    fixture.server.closeOperatorSession();
    fixture.close();
  }

  @Test
  void shellWritesFireTheClientsWatchesLikeAnyClientWrite() throws Exception {
    BlockingQueue<WatchedEvent> events = new LinkedBlockingQueue<>();
    client.create("/app", "v0".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
        CreateMode.PERSISTENT);
    client.getData("/app", events::add, null);
    client.addWatch("/app", events::add, AddWatchMode.PERSISTENT_RECURSIVE);

    operator.set("/app", "v1".getBytes(StandardCharsets.UTF_8), 0);
    operator.create("/app/child", new byte[0], false, false);
    operator.delete("/app", -1, true);

    List<String> seen = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      WatchedEvent event = events.poll(10, TimeUnit.SECONDS);
      assertTrue(event != null, "event " + i + " after " + seen);
      seen.add(event.getType() + " " + event.getPath());
    }
    // The one-shot data watch and the recursive watch both see the set; then the recursive one
    // sees the create and the two deletes (children first).
    assertEquals(
        List.of(
            "NodeDataChanged /app",
            "NodeDataChanged /app",
            "NodeCreated /app/child",
            "NodeDeleted /app/child",
            "NodeDeleted /app"),
        seen);
    assertEquals(null, client.exists("/app", false));
  }

  @Test
  void theClientSeesTheShellsDataAndVersionsAndTheShellSeesTheClient() throws Exception {
    operator.create("/cfg", "a".getBytes(StandardCharsets.UTF_8), false, false);
    operator.set("/cfg", "b".getBytes(StandardCharsets.UTF_8), 0);
    Stat stat = new Stat();

    byte[] data = client.getData("/cfg", event -> { }, stat);

    assertEquals("b", new String(data, StandardCharsets.UTF_8));
    assertEquals(1, stat.getVersion());
    Introspection.WatchInfo watch = operator.watches().get(0);
    assertEquals("/cfg", watch.path());
    assertEquals(client.getSessionId(), watch.sessionId());
    assertEquals("data", watch.kinds());
    Introspection.SessionInfo session =
        operator.sessions().stream()
            .filter(s -> s.id() == client.getSessionId())
            .findFirst()
            .orElseThrow();
    assertEquals(4000, session.timeoutMs());
    assertTrue(session.holder().startsWith("node 1 (this node, /127.0.0.1:"), session.holder());
  }
}
