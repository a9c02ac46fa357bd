package io.cairn.coordination.internal.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real Apache ZooKeeper 3.9 Java client against our server on a loopback port. */
class RealZooKeeperClientTest {
  private static final byte[] V1 = "v1".getBytes(StandardCharsets.UTF_8);
  private static final byte[] V2 = "v2".getBytes(StandardCharsets.UTF_8);

  private ZkServerFixture fixture;
  private final List<ZooKeeper> clients = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    fixture = new ZkServerFixture(ZkServerFixture.fastConfig());
  }

  @AfterEach
  void stop() throws Exception {
    for (ZooKeeper client : clients) {
      client.close(5000);
    }
    fixture.close();
  }

  private ZooKeeper connect(Watcher watcher) throws Exception {
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper client =
        new ZooKeeper(
            fixture.connectString(),
            4000,
            event -> {
              if (event.getState() == Watcher.Event.KeeperState.SyncConnected
                  && event.getType() == Watcher.Event.EventType.None) {
                connected.countDown();
              }
              if (watcher != null) {
                watcher.process(event);
              }
            });
    clients.add(client);
    assertTrue(connected.await(10, TimeUnit.SECONDS), "client connects");
    return client;
  }

  private ZooKeeper connect() throws Exception {
    return connect(null);
  }

  @Test
  void createGetSetDeleteFollowZooKeeperStatRules() throws Exception {
    ZooKeeper zk = connect();
    assertEquals("/a", zk.create("/a", V1, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
    Stat stat = new Stat();
    assertArrayEquals(V1, zk.getData("/a", false, stat));
    assertEquals(0, stat.getVersion());
    assertEquals(stat.getCzxid(), stat.getMzxid());
    assertEquals(stat.getCzxid(), stat.getPzxid());
    assertEquals(2, stat.getDataLength());
    Stat updated = zk.setData("/a", V2, 0);
    assertEquals(1, updated.getVersion());
    assertTrue(updated.getMzxid() > stat.getMzxid());
    assertThrows(KeeperException.BadVersionException.class, () -> zk.setData("/a", V1, 0));
    zk.create("/a/b", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    assertNull(zk.getData("/a/b", false, null));
    assertThrows(KeeperException.NotEmptyException.class, () -> zk.delete("/a", -1));
    zk.delete("/a/b", -1);
    Stat parent = zk.exists("/a", false);
    assertEquals(2, parent.getCversion(), "cversion counts the create and the delete");
    assertEquals(0, parent.getNumChildren());
    zk.delete("/a", 1);
    assertNull(zk.exists("/a", false));
    assertThrows(KeeperException.NoNodeException.class, () -> zk.getData("/a", false, null));
    assertThrows(
        KeeperException.NodeExistsException.class,
        () -> zk.create("/zookeeper", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
    assertTrue(zk.getChildren("/", false).contains("zookeeper"));
  }

  @Test
  void sequentialEphemeralsVanishWhenTheSessionCloses() throws Exception {
    ZooKeeper owner = connect();
    ZooKeeper observer = connect();
    owner.create("/q", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      created.add(
          owner.create("/q/n-", V1, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL));
    }
    assertEquals(List.of("/q/n-0000000000", "/q/n-0000000001", "/q/n-0000000002"), created);
    Stat stat = observer.exists("/q/n-0000000001", false);
    assertEquals(owner.getSessionId(), stat.getEphemeralOwner());
    assertEquals(created, owner.getEphemerals("/q"));
    assertThrows(
        KeeperException.NoChildrenForEphemeralsException.class,
        () ->
            owner.create(
                "/q/n-0000000000/x", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
    BlockingQueue<WatchedEvent> events = new LinkedBlockingQueue<>();
    observer.getChildren("/q", events::add);
    owner.close();
    clients.remove(owner);
    WatchedEvent event = events.poll(10, TimeUnit.SECONDS);
    assertEquals(Watcher.Event.EventType.NodeChildrenChanged, event.getType());
    assertEquals(List.of(), observer.getChildren("/q", false));
    String next =
        observer.create(
            "/q/n-", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL);
    assertEquals("/q/n-0000000003", next, "the counter counts creates, not deletes");
  }

  @Test
  void oneShotAndPersistentWatchesFireLikeZooKeeper() throws Exception {
    ZooKeeper watcher = connect();
    ZooKeeper writer = connect();
    BlockingQueue<WatchedEvent> events = new LinkedBlockingQueue<>();
    assertNull(watcher.exists("/w", events::add));
    writer.create("/w", V1, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    assertEvent(events, Watcher.Event.EventType.NodeCreated, "/w");
    watcher.getData("/w", events::add, null);
    watcher.getChildren("/w", events::add);
    writer.setData("/w", V2, -1);
    assertEvent(events, Watcher.Event.EventType.NodeDataChanged, "/w");
    writer.create("/w/c", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    assertEvent(events, Watcher.Event.EventType.NodeChildrenChanged, "/w");
    writer.setData("/w", V1, -1);
    assertNull(events.poll(), "one-shot watches fired once");

    BlockingQueue<WatchedEvent> recursive = new LinkedBlockingQueue<>();
    watcher.addWatch("/w", recursive::add, AddWatchMode.PERSISTENT_RECURSIVE);
    writer.create("/w/c/d", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    assertEvent(recursive, Watcher.Event.EventType.NodeCreated, "/w/c/d");
    writer.setData("/w/c", V1, -1);
    assertEvent(recursive, Watcher.Event.EventType.NodeDataChanged, "/w/c");
    writer.delete("/w/c/d", -1);
    assertEvent(recursive, Watcher.Event.EventType.NodeDeleted, "/w/c/d");
    watcher.removeAllWatches("/w", Watcher.WatcherType.Any, false);
    assertEvent(recursive, Watcher.Event.EventType.PersistentWatchRemoved, "/w");
    writer.setData("/w", V2, -1);
    CountDownLatch synced = new CountDownLatch(1);
    watcher.sync("/w", (rc, path, ctx) -> synced.countDown(), null);
    assertTrue(synced.await(10, TimeUnit.SECONDS));
    assertNull(recursive.poll(), "removed persistent watch stays quiet");
    assertThrows(
        KeeperException.NoWatcherException.class,
        () -> watcher.removeAllWatches("/w", Watcher.WatcherType.Any, false));
  }

  private static Watcher nodeEventsTo(BlockingQueue<WatchedEvent> events) {
    return event -> {
      if (event.getType() != Watcher.Event.EventType.None) {
        events.add(event);
      }
    };
  }

  private static void assertEvent(
      BlockingQueue<WatchedEvent> events, Watcher.Event.EventType type, String path)
      throws InterruptedException {
    WatchedEvent event = events.poll(10, TimeUnit.SECONDS);
    assertEquals(type, event == null ? null : event.getType(), "event type for " + path);
    assertEquals(path, event.getPath());
  }

  @Test
  void multiIsAllOrNothingWithPerOpResults() throws Exception {
    ZooKeeper zk = connect();
    List<OpResult> results =
        zk.multi(
            List.of(
                Op.create("/m", V1, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                Op.setData("/m", V2, 0),
                Op.check("/m", 1)));
    assertEquals(3, results.size());
    assertEquals("/m", ((OpResult.CreateResult) results.get(0)).getPath());
    assertEquals(1, ((OpResult.SetDataResult) results.get(1)).getStat().getVersion());
    KeeperException failure =
        assertThrows(
            KeeperException.class,
            () ->
                zk.multi(
                    List.of(
                        Op.create("/m2", V1, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                        Op.check("/m", 7),
                        Op.delete("/m", -1))));
    assertEquals(KeeperException.Code.BADVERSION, failure.code());
    List<OpResult> failed = failure.getResults();
    assertEquals(0, ((OpResult.ErrorResult) failed.get(0)).getErr());
    assertEquals(-103, ((OpResult.ErrorResult) failed.get(1)).getErr());
    assertEquals(-2, ((OpResult.ErrorResult) failed.get(2)).getErr());
    assertNull(zk.exists("/m2", false), "nothing of a failed multi is applied");
    Stat stat = zk.exists("/m", false);
    assertEquals(stat.getCzxid(), stat.getMzxid(), "all ops of a multi share one zxid");
  }

  @Test
  void aclsAuthAndBadInputGetZooKeeperErrorCodes() throws Exception {
    ZooKeeper zk = connect();
    assertThrows(
        KeeperException.InvalidACLException.class,
        () -> zk.create("/s", null, ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT));
    String digest = DigestAuthenticationProvider.generateDigest("alice:secret");
    List<ACL> aliceOnly = acl(new ACL(ZooDefs.Perms.ALL, new Id("digest", digest)));
    zk.create("/s", V1, aliceOnly, CreateMode.PERSISTENT);
    assertThrows(KeeperException.NoAuthException.class, () -> zk.getData("/s", false, null));
    ZooKeeper alice = connect();
    alice.addAuthInfo("digest", "alice:secret".getBytes(StandardCharsets.UTF_8));
    assertArrayEquals(V1, alice.getData("/s", false, null));
    alice.create("/s/c", null, ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
    assertEquals(digest, alice.getACL("/s/c", new Stat()).get(0).getId().getId());
    assertTrue(alice.whoAmI().stream().anyMatch(info -> info.getUser().equals("alice")));
    assertThrows(
        KeeperException.NoAuthException.class,
        () -> zk.setACL("/s", ZooDefs.Ids.OPEN_ACL_UNSAFE, -1));
    List<ACL> ipAcl = acl(new ACL(ZooDefs.Perms.ALL, new Id("ip", "127.0.0.0/8")));
    zk.create("/ip", null, ipAcl, CreateMode.PERSISTENT);
    zk.getData("/ip", false, null);
    assertThrows(
        KeeperException.InvalidACLException.class,
        () ->
            zk.create("/bad", null, acl(new ACL(31, new Id("nope", "x"))), CreateMode.PERSISTENT));
    assertThrows(
        KeeperException.NoNodeException.class,
        () ->
            zk.create("/missing/child", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
  }

  /** A mutable list: the client's validateACL calls contains(null), which List.of rejects. */
  private static List<ACL> acl(ACL entry) {
    List<ACL> list = new ArrayList<>();
    list.add(entry);
    return list;
  }

  @Test
  void containersTtlSyncAndCountsWork() throws Exception {
    ZooKeeper zk = connect();
    zk.create("/c", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
    zk.create("/c/x", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    assertEquals(0, zk.exists("/c", false).getEphemeralOwner());
    assertEquals(1, zk.getAllChildrenNumber("/c"));
    zk.delete("/c/x", -1);
    Stat ttlStat = new Stat();
    zk.create("/t", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, ttlStat, 1);
    assertEquals(0, ttlStat.getEphemeralOwner());
    BlockingQueue<WatchedEvent> events = new LinkedBlockingQueue<>();
    zk.exists("/c", events::add);
    zk.exists("/t", events::add);
    java.util.Set<String> reaped = new java.util.TreeSet<>();
    for (int i = 0; i < 2; i++) {
      WatchedEvent event = events.poll(10, TimeUnit.SECONDS);
      assertEquals(Watcher.Event.EventType.NodeDeleted, event == null ? null : event.getType());
      reaped.add(event.getPath());
    }
    assertEquals(java.util.Set.of("/c", "/t"), reaped, "empty container and expired TTL reaped");
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderAndReadsSeeEarlierWrites() throws Exception {
    ZooKeeper zk = connect();
    zk.create("/pipe", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    int count = 300;
    List<Integer> order = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Integer> codes = java.util.Collections.synchronizedList(new ArrayList<>());
    CountDownLatch done = new CountDownLatch(count * 2);
    for (int i = 0; i < count; i++) {
      int expectedVersion = i;
      zk.setData(
          "/pipe",
          V1,
          expectedVersion,
          (rc, path, ctx, stat) -> {
            order.add(expectedVersion);
            codes.add(rc);
            done.countDown();
          },
          null);
      zk.getData(
          "/pipe",
          false,
          (rc, path, ctx, data, stat) -> {
            codes.add(stat.getVersion() == expectedVersion + 1 ? rc : -999);
            done.countDown();
          },
          null);
    }
    assertTrue(done.await(20, TimeUnit.SECONDS));
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      expected.add(i);
    }
    assertEquals(expected, order, "conditional writes applied and answered in send order");
    assertTrue(codes.stream().allMatch(rc -> rc == 0), "every read saw the write before it");
  }

  @Test
  void aReconnectKeepsTheSessionTheEphemeralsAndTheWatches() throws Exception {
    BlockingQueue<WatchedEvent> states = new LinkedBlockingQueue<>();
    ZooKeeper zk =
        connect(
            event -> {
              if (event.getType() == Watcher.Event.EventType.None) {
                states.add(event);
              }
            });
    ZooKeeper writer = connect();
    states.clear();
    zk.create("/r", V1, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    BlockingQueue<WatchedEvent> dataEvents = new LinkedBlockingQueue<>();
    BlockingQueue<WatchedEvent> treeEvents = new LinkedBlockingQueue<>();
    // Watchers also receive connection-state events (type None); keep only node events. Two
    // distinct watcher objects, because the client delivers one event per watcher object.
    zk.getData("/r", nodeEventsTo(dataEvents), null);
    zk.addWatch("/", nodeEventsTo(treeEvents), AddWatchMode.PERSISTENT_RECURSIVE);
    long session = zk.getSessionId();
    zk.getTestable().closeSocket();
    assertEquals(
        Watcher.Event.KeeperState.Disconnected, states.poll(10, TimeUnit.SECONDS).getState());
    assertEquals(
        Watcher.Event.KeeperState.SyncConnected, states.poll(10, TimeUnit.SECONDS).getState());
    assertEquals(session, zk.getSessionId());
    writer.setData("/r", V2, -1);
    assertEvent(dataEvents, Watcher.Event.EventType.NodeDataChanged, "/r");
    assertEvent(treeEvents, Watcher.Event.EventType.NodeDataChanged, "/r");
    assertEquals(session, writer.exists("/r", false).getEphemeralOwner());
  }

  @Test
  void aPingingClientOutlivesItsSessionTimeout() throws Exception {
    CountDownLatch expired = new CountDownLatch(1);
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper zk =
        new ZooKeeper(
            fixture.connectString(),
            1000,
            event -> {
              if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
              } else if (event.getState() == Watcher.Event.KeeperState.Expired) {
                expired.countDown();
              }
            });
    clients.add(zk);
    assertTrue(connected.await(10, TimeUnit.SECONDS));
    zk.create("/alive", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    assertEquals(1000, zk.getSessionTimeout());
    // Idle for 2.5 session timeouts: only the client's pings keep the session alive.
    assertFalse(expired.await(2500, TimeUnit.MILLISECONDS), "pings keep the session");
    assertEquals(zk.getSessionId(), zk.exists("/alive", false).getEphemeralOwner());
  }

  @Test
  void syncAndReadSeeAnotherClientsWrite() throws Exception {
    ZooKeeper writer = connect();
    ZooKeeper reader = connect();
    writer.create("/sync", V1, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    CountDownLatch synced = new CountDownLatch(1);
    reader.sync("/sync", (rc, path, ctx) -> synced.countDown(), null);
    assertTrue(synced.await(10, TimeUnit.SECONDS));
    assertArrayEquals(V1, reader.getData("/sync", false, null));
    assertNotEquals(0L, reader.getSessionId());
  }
}
