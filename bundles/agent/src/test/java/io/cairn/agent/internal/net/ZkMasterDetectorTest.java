package io.cairn.agent.internal.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.agent.internal.config.MasterAddresses;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The leader lookup against a real Apache ZooKeeper server on loopback. */
class ZkMasterDetectorTest {
  static final String INFO = "{\"id\":\"m1\",\"pid\":\"master@10.0.0.9:5050\",\"port\":5050,"
      + "\"hostname\":\"m1.example\",\"address\":{\"hostname\":\"m1.example\",\"ip\":\"127.0.0.1\","
      + "\"port\":%d},\"version\":\"1.11.0\"}";

  @TempDir File dir;
  ServerCnxnFactory factory;
  ZooKeeperServer server;
  String connect;

  @BeforeEach
  void startServer() throws Exception {
    server = new ZooKeeperServer(new File(dir, "snap"), new File(dir, "log"), 2000);
    factory = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", 0), 20);
    factory.startup(server);
    connect = "127.0.0.1:" + factory.getLocalPort();
  }

  @AfterEach
  void stopServer() {
    factory.shutdown();
    server.shutdown();
  }

  MasterAddresses.ZkUrl url() {
    return MasterAddresses.parse("zk://127.0.0.1:1," + connect + "/mesos").zk().orElseThrow();
  }

  @Test
  void findsTheLowestSequenceAndFollowsItsAddress() throws Exception {
    assertEquals(Optional.empty(), ZkMasterDetector.leader(url(), Duration.ofSeconds(5)),
        "no /mesos yet");
    try (ZooKeeper zk = new ZooKeeper(connect, 10_000, e -> { })) {
      zk.create("/mesos", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      assertEquals(Optional.empty(), ZkMasterDetector.leader(url(), Duration.ofSeconds(5)));
      zk.create("/mesos/log_replicas", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE,
          CreateMode.PERSISTENT);
      zk.create("/mesos/json.info_", String.format(INFO, 5051).getBytes(StandardCharsets.UTF_8),
          ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL);
      zk.create("/mesos/json.info_", String.format(INFO, 5052).getBytes(StandardCharsets.UTF_8),
          ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL);
      InetSocketAddress leader =
          ZkMasterDetector.leader(url(), Duration.ofSeconds(5)).orElseThrow();
      assertEquals("127.0.0.1", leader.getHostString());
      assertEquals(5051, leader.getPort());
    }
  }

  @Test
  void parsesMasterInfoJsonShapes() {
    assertEquals(InetSocketAddress.createUnresolved("127.0.0.1", 7),
        ZkMasterDetector.masterAddress(String.format(INFO, 7)).orElseThrow());
    assertEquals(InetSocketAddress.createUnresolved("h", 5050), ZkMasterDetector.masterAddress(
        "{ \"hostname\": \"h\", \"port\": 5050 }").orElseThrow());
    assertEquals(InetSocketAddress.createUnresolved("10.1.1.1", 5050),
        ZkMasterDetector.masterAddress("{\"pid\":\"master@10.1.1.1:5050\"}").orElseThrow());
    assertTrue(ZkMasterDetector.masterAddress("{}").isEmpty());
    assertEquals(Optional.of("json.info_0000000002"), ZkMasterDetector.lowestSequence(
        List.of("log_replicas", "json.info_0000000010", "json.info_0000000002", "info_1")));
  }
}
