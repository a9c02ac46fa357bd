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

  static io.cairn.marathon.internal.core.Instance instance(int i) {
    return new io.cairn.marathon.internal.core.Instance("a.instance-" + i + "._app.1", "/a",
        "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z", "agent-1", "h1", Map.of(),
        List.of(31000 + i), "TASK_STAGING", null, 1000, 0, false, 0);
  }

  @Test
  void instanceWritesGoAsMultiTransactionsAndARetriedOneIsHarmless() throws Exception {
    ZkStateStore store = new ZkStateStore(curator, "/marathon");
    List<Effects.Write> puts = new java.util.ArrayList<>();
    for (int i = 0; i < ZkStateStore.MULTI_OPS_MAX + 100; i++) {
      puts.add(new Effects.PutInstance(instance(i)));
    }
    store.write(puts);
    assertEquals(2, store.transactions(), "600 creates: a transaction of 500 and one of 100");
    assertEquals(puts.size(), store.load().instances().size());

    // The same writes again (a retry after a lost connection): the first transaction fails on an
    // existing node and is replayed write by write; nothing changes, nothing fails.
    store.write(puts.subList(0, 50));
    assertEquals(2, store.transactions());
    assertEquals(puts.size(), store.load().instances().size());

    // A launch and the end of the same task in one run, deletes of gone tasks, an app write in
    // the middle: applied in order.
    AppDefinition app = app("{'id':'/a','cmd':'x'}").withVersion("2026-01-01T00:00:00.000Z",
        new AppDefinition.VersionInfo("2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z"));
    List<Effects.Write> mixed = new java.util.ArrayList<>();
    mixed.add(new Effects.PutInstance(instance(10_000)));
    mixed.add(new Effects.DeleteInstance(instance(10_000).taskId()));
    mixed.add(new Effects.PutApp(app));
    for (int i = 0; i < 10; i++) {
      mixed.add(new Effects.DeleteInstance(instance(i).taskId()));
    }
    store.write(mixed);
    assertEquals(4, store.transactions(), "two runs of instance writes around the app write");
    assertEquals(puts.size() - 10, store.load().instances().size());
    assertEquals(null, curator.checkExists().forPath("/marathon/state/instances/"
        + instance(10_000).taskId()));
    store.write(mixed); // every delete of the retry finds nothing: replayed, idempotent
    assertEquals(puts.size() - 10, store.load().instances().size());
    assertEquals(List.of(app), store.load().apps());
  }
}
