package io.cairn.master.internal.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import io.cairn.proto.mesos.v1.Protos.Address;
import io.cairn.proto.mesos.v1.Protos.MasterInfo;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MasterInfo znode against a real (Apache) ZooKeeper server on loopback: created as an
 * ephemeral sequential {@code json.info_} child with Mesos's JSON, withdrawn with leadership.
 */
class MasterInfoZnodeTest {
  @TempDir File dir;
  private ServerCnxnFactory factory;
  private ZooKeeperServer server;
  private String address;

  @BeforeEach
  void startServer() throws Exception {
    server = new ZooKeeperServer(new File(dir, "snap"), new File(dir, "log"), 2000);
    factory = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", 0), 20);
    factory.startup(server);
    address = "127.0.0.1:" + factory.getLocalPort();
  }

  @AfterEach
  void stopServer() {
    factory.shutdown();
    server.shutdown();
  }

  @Test
  void publishedWhileLeadingAndWithdrawnAfter() throws Exception {
    MasterInfo info = MasterInfo.newBuilder().setId("abc").setIp(16777343).setPort(5050)
        .setHostname("localhost").setPid("master@127.0.0.1:5050").setVersion("1.11.0")
        .setAddress(Address.newBuilder().setHostname("localhost").setIp("127.0.0.1")
            .setPort(5050)).build();
    try (MasterInfoZnode znode = new MasterInfoZnode("/mesos");
         ZooKeeper reader = new ZooKeeper(address, 10_000, e -> { })) {
      znode.setMasterInfo(Optional.of(info));
      znode.setServer(Optional.of(address));
      awaitTrue(() -> znode.created().isPresent(), "znode created");
      String created = znode.created().orElseThrow();
      assertTrue(created.startsWith("/mesos/json.info_"), created);
      List<String> children = reader.getChildren("/mesos", false);
      assertEquals(1, children.size());
      String json = new String(reader.getData(created, false, null), StandardCharsets.UTF_8);
      assertTrue(json.contains("\"hostname\":\"localhost\""), json);
      MasterInfo.Builder parsed = MasterInfo.newBuilder();
      JsonFormat.parser().merge(json, parsed);
      assertEquals(info, parsed.build());
      assertTrue(reader.exists(created, false).getEphemeralOwner() != 0, "ephemeral");

      znode.setMasterInfo(Optional.empty());
      awaitTrue(() -> {
        try {
          return reader.getChildren("/mesos", false).isEmpty();
        } catch (Exception e) {
          return false;
        }
      }, "znode withdrawn");
    }
  }

  private static void awaitTrue(BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, what + " within 15 s");
      Thread.sleep(20);
    }
  }
}
