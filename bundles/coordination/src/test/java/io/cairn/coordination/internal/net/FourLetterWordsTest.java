package io.cairn.coordination.internal.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.coordination.internal.server.ServerConfig;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The four-letter words over a raw socket, as {@code nc} sends them: the whitelist (safe words on,
 * costly ones refused with ZooKeeper's sentence), and counters that follow real client traffic.
 */
class FourLetterWordsTest {
  private ZkServerFixture fixture;
  private ZooKeeper client;

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close(5000);
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  private String ask(String word) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", fixture.address.getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(word.getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private Map<String, String> mntr() throws IOException {
    Map<String, String> values = new HashMap<>();
    for (String line : ask("mntr").split("\n")) {
      String[] pair = line.split("\t", 2);
      values.put(pair[0], pair[1]);
    }
    return values;
  }

  private ZooKeeper connect() throws Exception {
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper zk =
        new ZooKeeper(
            fixture.connectString(),
            4000,
            event -> {
              if (event.getState() == org.apache.zookeeper.Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
              }
            });
    assertTrue(connected.await(10, TimeUnit.SECONDS), "client connects");
    return zk;
  }

  @Test
  void safeWordsAnswerByDefaultCostlyOnesAreRefused() throws Exception {
    fixture = new ZkServerFixture(new ServerConfig(100, 1000, 10000, 100, 10000, false));

    assertEquals("imok", ask("ruok"));
    String srvr = ask("srvr");
    assertTrue(srvr.startsWith("Zookeeper version: 3.9.5-cairn\nLatency min/avg/max: "), srvr);
    assertTrue(srvr.contains("\nMode: standalone\nNode count: 4\n"), srvr);
    assertTrue(mntr().containsKey("zk_version"));
    String conf = ask("conf");
    assertTrue(conf.contains("clientPort=" + fixture.address.getPort() + "\n"), conf);
    assertTrue(conf.contains("tickTime=100\n"), conf);
    assertTrue(conf.contains("4lw.commands.whitelist=conf,envi,mntr,ruok,srvr\n"), conf);
    String envi = ask("envi");
    assertTrue(envi.startsWith("Environment:\nzookeeper.version=3.9.5-cairn\nhost.name="), envi);
    assertTrue(envi.contains("\njava.version=" + Runtime.version().feature()), envi);
    for (String costly : List.of("stat", "cons", "wchs", "wchc", "wchp")) {
      assertEquals(
          costly + " is not executed because it is not in the whitelist.\n", ask(costly));
    }
    assertEquals("dump is not executed because it is not in the whitelist.\n", ask("dump"));
  }

  @Test
  void mntrKeysAreZooKeepersAndCountRealTraffic() throws Exception {
    fixture = new ZkServerFixture(ZkServerFixture.fastConfig());
    client = connect();
    client.create("/w", "12345".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
        CreateMode.PERSISTENT);
    client.create("/e", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    Map<String, String> before = mntr();

    for (int i = 0; i < 20; i++) {
      client.getData("/w", false, null);
    }
    client.getData("/w", event -> { }, null);
    client.exists("/missing", event -> { });
    client.getChildren("/", event -> { });
    Map<String, String> after = mntr();

    for (String key :
        List.of(
            "zk_version", "zk_avg_latency", "zk_max_latency", "zk_min_latency",
            "zk_packets_received", "zk_packets_sent", "zk_num_alive_connections",
            "zk_outstanding_requests", "zk_server_state", "zk_znode_count", "zk_watch_count",
            "zk_ephemerals_count", "zk_approximate_data_size")) {
      assertTrue(after.containsKey(key), key + " in " + after);
    }
    assertEquals("3.9.5-cairn", after.get("zk_version"));
    assertEquals("standalone", after.get("zk_server_state"));
    long received = Long.parseLong(after.get("zk_packets_received"))
        - Long.parseLong(before.get("zk_packets_received"));
    long sent = Long.parseLong(after.get("zk_packets_sent"))
        - Long.parseLong(before.get("zk_packets_sent"));
    assertTrue(received >= 23, "23 requests received, counted " + received);
    assertTrue(sent >= 23, "23 replies sent, counted " + sent);
    // The client's connection and the one asking mntr, as ZooKeeper counts them.
    assertEquals("2", after.get("zk_num_alive_connections"));
    assertEquals("0", after.get("zk_outstanding_requests"));
    assertEquals("6", after.get("zk_znode_count"));
    assertEquals("3", after.get("zk_watch_count"));
    assertEquals("1", after.get("zk_ephemerals_count"));
    // ZooKeeper's approximateDataSize: path lengths plus data lengths over every znode.
    long expectedSize = "/".length() + "/zookeeper".length() + "/zookeeper/quota".length()
        + "/zookeeper/config".length() + "/w".length() + 5 + "/e".length();
    assertEquals(String.valueOf(expectedSize), after.get("zk_approximate_data_size"));
    assertTrue(Long.parseLong(after.get("zk_max_latency"))
        >= Long.parseLong(after.get("zk_min_latency")));
    assertTrue(Double.parseDouble(after.get("zk_avg_latency")) >= 0);
  }

  @Test
  void costlyWordsListConnectionsAndWatchesWhenWhitelisted() throws Exception {
    fixture = new ZkServerFixture(ZkServerFixture.fastConfig());
    client = connect();
    client.create("/w", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    client.getData("/w", event -> { }, null);
    client.getChildren("/w", event -> { });
    client.exists("/other", event -> { });
    String session = "0x" + Long.toHexString(client.getSessionId());

    assertEquals("1 connections watching 2 paths\nTotal watches:2\n", ask("wchs"));
    assertEquals(session + "\n\t/other\n\t/w\n", ask("wchc"));
    assertEquals("/other\n\t" + session + "\n/w\n\t" + session + "\n", ask("wchp"));
    String cons = ask("cons");
    // One line per connection, the asking one included (as ZooKeeper lists it), then a blank line.
    assertTrue(
        java.util.regex.Pattern.compile(" /127\\.0\\.0\\.1:\\d+\\[\\d+\\]\\(queued=0,recved=\\d+,"
                + "sent=\\d+,sid=" + session + ",to=4000\\)\n")
            .matcher(cons)
            .find(),
        cons);
    assertTrue(cons.endsWith(")\n\n"), cons);
    String stat = ask("stat");
    assertTrue(stat.contains("\nClients:\n /127.0.0.1:"), stat);
    assertTrue(stat.contains("\nNode count: 5\n"), stat);
  }
}
