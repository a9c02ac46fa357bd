package io.cairn.agent.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.agent.internal.config.AgentSettings;
import io.cairn.agent.internal.config.HostFacts;
import io.cairn.proto.agent.AgentMessage;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent configured with master=zk://.../mesos finds the leader's MasterInfo and registers. */
class ZkDetectionRuntimeTest {
  @TempDir File dir;
  @TempDir Path work;

  @Test
  void registersWithTheMasterNamedInZooKeeper() throws Exception {
    ZooKeeperServer server = new ZooKeeperServer(new File(dir, "snap"), new File(dir, "log"), 2000);
    ServerCnxnFactory factory =
        ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", 0), 20);
    factory.startup(server);
    String connect = "127.0.0.1:" + factory.getLocalPort();
    try (FakeMaster master = new FakeMaster();
        ZooKeeper zk = new ZooKeeper(connect, 10_000, e -> { })) {
      int port = Integer.parseInt(master.address().substring(master.address().indexOf(':') + 1));
      AgentSettings settings = AgentSettings.from(
          Map.of("master", "zk://" + connect + "/mesos", "work_dir", work.toString(),
              "http.port", "0", "hostname", "localhost"),
          work, d -> new HostFacts(1, 1024, 1024, "localhost"));
      AgentRuntime runtime = AgentRuntime.start(settings, "test");
      try {
        // The master appears after the agent started looking: it keeps retrying.
        zk.create("/mesos", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        String info = "{\"id\":\"m\",\"hostname\":\"localhost\",\"port\":" + port
            + ",\"address\":{\"hostname\":\"localhost\",\"ip\":\"127.0.0.1\",\"port\":" + port
            + "}}";
        zk.create("/mesos/json.info_", info.getBytes(StandardCharsets.UTF_8),
            ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL);
        AgentMessage register = master.await(AgentMessage::hasRegisterAgent, Duration.ofSeconds(30));
        assertEquals("localhost", register.getRegisterAgent().getAgentInfo().getHostname());
      } finally {
        runtime.close();
      }
    } finally {
      factory.shutdown();
      server.shutdown();
    }
  }
}
