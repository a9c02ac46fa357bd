package io.cairn.marathon.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.env.RandomSource;
import io.cairn.marathon.internal.core.DeploymentPlan;
import io.cairn.marathon.internal.core.Effects;
import io.cairn.marathon.internal.core.MarathonCore;
import io.cairn.marathon.internal.model.AppDefinition;
import io.cairn.marathon.internal.model.AppJson;
import io.cairn.marathon.internal.model.AppParser;
import io.cairn.proto.mesos.v1.Protos.AgentID;
import io.cairn.proto.mesos.v1.Protos.FrameworkID;
import io.cairn.proto.mesos.v1.Protos.Offer;
import io.cairn.proto.mesos.v1.Protos.OfferID;
import io.cairn.proto.mesos.v1.Protos.Resource;
import io.cairn.proto.mesos.v1.Protos.Value;
import java.io.File;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state store against a real ZooKeeper server on loopback through Curator: what one leader
 * wrote, a new leader loads, and its core resumes the running deployment.
 */
class ZkStateStoreTest {
  @TempDir File dir;
  private ServerCnxnFactory factory;
  private ZooKeeperServer server;
  private CuratorFramework curator;

  @BeforeEach
  void start() throws Exception {
    server = new ZooKeeperServer(new File(dir, "snap"), new File(dir, "log"), 2000);
    factory = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", 0), 20);
    factory.startup(server);
    curator = CuratorFrameworkFactory.newClient("127.0.0.1:" + factory.getLocalPort(),
        new RetryOneTime(100));
    curator.start();
    curator.blockUntilConnected();
  }

  @AfterEach
  void stop() {
    curator.close();
    factory.shutdown();
    server.shutdown();
  }

  static AppDefinition app(String json) throws Exception {
    return AppParser.parse(AppJson.MAPPER.readTree(json.replace('\'', '"')), "/");
  }

  static Offer offer() {
    return Offer.newBuilder().setId(OfferID.newBuilder().setValue("o1"))
        .setFrameworkId(FrameworkID.newBuilder().setValue("fw"))
        .setAgentId(AgentID.newBuilder().setValue("a1")).setHostname("h1")
        .addResources(Resource.newBuilder().setName("cpus").setType(Value.Type.SCALAR)
            .setScalar(Value.Scalar.newBuilder().setValue(4)))
        .addResources(Resource.newBuilder().setName("mem").setType(Value.Type.SCALAR)
            .setScalar(Value.Scalar.newBuilder().setValue(1024)))
        .addResources(Resource.newBuilder().setName("ports").setType(Value.Type.RANGES)
            .setRanges(Value.Ranges.newBuilder().addRange(Value.Range.newBuilder()
                .setBegin(31000).setEnd(31010)))).build();
  }

  @Test
  void aNewLeaderLoadsAppsVersionsDeploymentsAndInstances() throws Exception {
    ZkStateStore store = new ZkStateStore(curator, "/marathon");
    MarathonCore leader = new MarathonCore(MarathonCore.Settings.defaults(),
        RandomSource.seeded(1));
    Map<String, AppDefinition> target = new TreeMap<>();
    target.put("/ocfweb/web", app("{'id':'/ocfweb/web','cmd':'x','instances':2,'cpus':0.1,"
        + "'mem':16,'healthChecks':[{'protocol':'MESOS_HTTP'}]}"));
    DeploymentPlan plan = leader.deploy(new MarathonCore.Change(target, Set.of(), false), 1000);
    leader.offers(List.of(offer()), 2000);
    Effects effects = leader.drain();
    assertEquals(1, effects.accepts().size());
    store.write(effects.writes());
    store.frameworkId("fw-1");
    assertTrue(curator.checkExists().forPath("/marathon/state/apps/ocfweb_web") != null);

    ZkStateStore.Loaded loaded = new ZkStateStore(curator, "/marathon").load();
    assertEquals(List.of(leader.apps().get("/ocfweb/web")), loaded.apps());
    assertEquals(1, loaded.versions().get("/ocfweb/web").size());
    assertEquals(List.of(plan.id()), loaded.deployments().stream().map(DeploymentPlan::id)
        .toList());
    assertEquals(Set.copyOf(leader.instances()), Set.copyOf(loaded.instances()));
    assertEquals("fw-1", loaded.frameworkId());

    MarathonCore next = new MarathonCore(MarathonCore.Settings.defaults(),
        RandomSource.seeded(2));
    next.restore(loaded.apps(), loaded.versions(), loaded.deployments(), loaded.instances());
    assertEquals(leader.deployments(), next.deployments());
    next.subscribed(3000);
    Effects resumed = next.drain();
    assertEquals(2, resumed.reconcile().size(), "the new leader reconciles the stored tasks");
    assertEquals(Map.of(), next.queue(3000), "both instances are known: nothing relaunched");
  }

  @Test
  void deletesAreIdempotentAndRemoveVersions() throws Exception {
    ZkStateStore store = new ZkStateStore(curator, "/marathon");
    AppDefinition app = app("{'id':'/a','cmd':'x'}").withVersion("2026-01-01T00:00:00.000Z",
        new AppDefinition.VersionInfo("2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z"));
    store.write(List.of(new Effects.PutApp(app), new Effects.DeleteApp("/a"),
        new Effects.DeleteApp("/a"), new Effects.DeleteInstance("nope")));
    assertEquals(List.of(), store.load().apps());
    assertEquals(null, curator.checkExists().forPath("/marathon/state/app-versions/a"));
  }
}
