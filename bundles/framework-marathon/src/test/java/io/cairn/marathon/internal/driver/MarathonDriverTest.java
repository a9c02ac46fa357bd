package io.cairn.marathon.internal.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.cairn.env.Clock;
import io.cairn.framework.Leadership;
import io.cairn.framework.SchedulerDriver;
import io.cairn.marathon.internal.core.MarathonCore;
import io.cairn.marathon.internal.model.AppDefinition;
import io.cairn.marathon.internal.model.AppJson;
import io.cairn.marathon.internal.model.AppParser;
import io.cairn.marathon.internal.store.ZkStateStore;
import io.cairn.proto.mesos.v1.Protos.AgentID;
import io.cairn.proto.mesos.v1.Protos.ExecutorID;
import io.cairn.proto.mesos.v1.Protos.Filters;
import io.cairn.proto.mesos.v1.Protos.FrameworkID;
import io.cairn.proto.mesos.v1.Protos.Offer;
import io.cairn.proto.mesos.v1.Protos.OfferID;
import io.cairn.proto.mesos.v1.Protos.Resource;
import io.cairn.proto.mesos.v1.Protos.TaskID;
import io.cairn.proto.mesos.v1.Protos.TaskInfo;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import io.cairn.proto.mesos.v1.Protos.TaskStatus;
import io.cairn.proto.mesos.v1.Protos.Value;
import io.cairn.proto.mesos.v1.scheduler.Protos.Call;
import java.io.File;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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
 * The driver's pipelined persistence against a real ZooKeeper server through Curator: every
 * ACCEPT leaves only after the instances it launches are in ZooKeeper (checked by the master side
 * at the moment the ACCEPT arrives), launches of one offer batch are stored as {@code multi}
 * transactions, an API call answers after its writes are stored, and a new leader loading the
 * store knows every launched task.
 */
class MarathonDriverTest {
  @TempDir File dir;
  private ServerCnxnFactory factory;
  private ZooKeeperServer server;
  private CuratorFramework curator;
  private MarathonDriver driver;

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
    if (driver != null) {
      driver.close();
    }
    curator.close();
    factory.shutdown();
    server.shutdown();
  }

  /** A master that checks, when an ACCEPT arrives, that its tasks are stored already. */
  final class CheckingMaster implements SchedulerDriver {
    final List<String> launched = new CopyOnWriteArrayList<>();
    final List<String> violations = new CopyOnWriteArrayList<>();
    final List<String> declined = new CopyOnWriteArrayList<>();
    final List<String> killed = new CopyOnWriteArrayList<>();
    volatile boolean killsExpected;

    @Override
    public Optional<FrameworkID> frameworkId() {
      return Optional.of(FrameworkID.newBuilder().setValue("fw-test").build());
    }

    @Override
    public CompletionStage<Void> accept(Collection<OfferID> offerIds,
        List<Offer.Operation> operations, Filters filters) {
      for (Offer.Operation operation : operations) {
        for (TaskInfo task : operation.getLaunch().getTaskInfosList()) {
          String id = task.getTaskId().getValue();
          try {
            if (curator.checkExists().forPath("/marathon/state/instances/" + id) == null) {
              violations.add("ACCEPT launches " + id + " before it is stored");
            }
          } catch (Exception e) {
            violations.add("could not read ZooKeeper: " + e);
          }
          launched.add(id);
        }
      }
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> decline(Collection<OfferID> offerIds, Filters filters) {
      offerIds.forEach(id -> declined.add(id.getValue()));
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> revive(Collection<String> roles) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> suppress(Collection<String> roles) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> kill(TaskID taskId, AgentID agentId) {
      if (killsExpected) {
        killed.add(taskId.getValue());
      } else {
        violations.add("unexpected KILL of " + taskId.getValue());
      }
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> acknowledge(AgentID agentId, TaskID taskId, ByteString uuid) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> reconcile(List<Call.Reconcile.Task> tasks) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> message(AgentID agentId, ExecutorID executorId, byte[] data) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> teardown() {
      return CompletableFuture.completedFuture(null);
    }
  }

  static Offer offer(int agent) {
    return Offer.newBuilder().setId(OfferID.newBuilder().setValue("o-" + agent))
        .setFrameworkId(FrameworkID.newBuilder().setValue("fw-test"))
        .setAgentId(AgentID.newBuilder().setValue("agent-" + agent)).setHostname("h" + agent)
        .addResources(scalar("cpus", 8)).addResources(scalar("mem", 8192))
        .addResources(Resource.newBuilder().setName("ports").setType(Value.Type.RANGES)
            .setRanges(Value.Ranges.newBuilder().addRange(Value.Range.newBuilder()
                .setBegin(31000).setEnd(31100)))).build();
  }

  static Resource scalar(String name, double value) {
    return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
  }

  static void await(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    io.cairn.marathon.internal.Await.await(condition, Duration.ofSeconds(20), what);
  }

  @Test
  void everyAcceptLeavesAfterItsInstancesAreStoredAndANewLeaderKnowsThemAll() throws Exception {
    ZkStateStore store = new ZkStateStore(curator, "/marathon");
    driver = new MarathonDriver(Clock.system(), MarathonCore.Settings.defaults(), () -> store, 1);
    CheckingMaster master = new CheckingMaster();
    driver.leadership(Leadership.leader("127.0.0.1:1"));
    driver.subscribed(master);
    await(driver::isSubscribed, "the subscription");

    AppDefinition app = AppParser.parse(AppJson.MAPPER.readTree("{\"id\":\"/web\",\"cmd\":"
        + "\"sleep 100\",\"instances\":40,\"cpus\":0.1,\"mem\":16}"), "/");
    driver.call(core -> core.deploy(new MarathonCore.Change(Map.of(app.id(), app), Set.of(),
        false), 1_000)).get(20, TimeUnit.SECONDS);
    assertNotNull(curator.checkExists().forPath("/marathon/state/apps/web"),
        "the API call answers after its writes are stored");

    // Offers arrive in several batches while earlier batches are still being stored.
    for (int round = 0; round < 4; round++) {
      List<Offer> offers = new ArrayList<>();
      for (int agent = round * 2; agent < round * 2 + 2; agent++) {
        offers.add(offer(agent));
      }
      driver.offers(master, offers);
    }
    await(() -> master.launched.size() == 40, "40 launches (" + master.launched.size() + ")");
    assertEquals(List.of(), master.violations);
    assertTrue(store.transactions() >= 1, "launches are stored as multi transactions");
    assertEquals(40, Set.copyOf(master.launched).size());

    for (String id : master.launched) {
      driver.update(master, TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue(id))
          .setAgentId(AgentID.newBuilder().setValue("agent-0"))
          .setState(TaskState.TASK_RUNNING).build());
    }
    await(this::noDeployments, "the deployment to finish");

    // Reads answer from memory; the deletion of the finished plan is stored soon after.
    await(() -> {
      try {
        return store.load().deployments().isEmpty();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }, "the finished deployment to leave the store");
    ZkStateStore.Loaded loaded = new ZkStateStore(curator, "/marathon").load();
    assertEquals(Set.copyOf(master.launched), loaded.instances().stream()
        .map(i -> i.taskId()).collect(java.util.stream.Collectors.toSet()),
        "a new leader would know every launched task");
  }

  @Test
  void cachedReadsAreReusedWhileTheCoreIsUnchangedAndSeeAcknowledgedWrites() throws Exception {
    ZkStateStore store = new ZkStateStore(curator, "/marathon");
    driver = new MarathonDriver(Clock.system(), MarathonCore.Settings.defaults(), () -> store, 1);
    MarathonDriver.Reads<List<String>> appIds = driver.reads(core -> List.copyOf(
        core.apps().keySet()));
    java.util.concurrent.ExecutionException notLeader = org.junit.jupiter.api.Assertions
        .assertThrows(java.util.concurrent.ExecutionException.class,
            () -> appIds.get().get(5, TimeUnit.SECONDS));
    assertTrue(notLeader.getCause() instanceof MarathonDriver.NotLeader);
    driver.leadership(Leadership.leader("127.0.0.1:1"));
    driver.subscribed(new CheckingMaster());
    await(driver::isSubscribed, "the subscription");

    List<String> first = appIds.get().get(5, TimeUnit.SECONDS);
    assertEquals(List.of(), first);
    org.junit.jupiter.api.Assertions.assertSame(first, appIds.get().get(5, TimeUnit.SECONDS),
        "unchanged core: the same value, no trip to the loop");
    AppDefinition app = AppParser.parse(AppJson.MAPPER.readTree("{\"id\":\"/x\",\"cmd\":"
        + "\"sleep 100\",\"cpus\":0.1,\"mem\":16}"), "/");
    driver.call(core -> core.deploy(new MarathonCore.Change(Map.of(app.id(), app), Set.of(),
        false), 1_000)).get(20, TimeUnit.SECONDS);
    List<String> second = appIds.get().get(5, TimeUnit.SECONDS);
    assertEquals(List.of("/x"), second, "a read after an acknowledged write sees it");
    org.junit.jupiter.api.Assertions.assertSame(second, appIds.get().get(5, TimeUnit.SECONDS));

    driver.leadership(Leadership.standby("127.0.0.1:2", true));
    java.util.concurrent.ExecutionException lost = org.junit.jupiter.api.Assertions.assertThrows(
        java.util.concurrent.ExecutionException.class, () -> appIds.get().get(5,
            TimeUnit.SECONDS));
    assertTrue(lost.getCause() instanceof MarathonDriver.NotLeader, "no stale answers after"
        + " losing leadership");
  }

  /** An app definition from JSON written with single quotes (for readability in Java strings). */
  private static AppDefinition app(String singleQuotedJson) throws Exception {
    return AppParser.parse(AppJson.MAPPER.readTree(singleQuotedJson.replace('\'', '"')), "/");
  }

  /** A JDK HTTP server on a free loopback port, not yet started: a task's probe endpoint. */
  private static com.sun.net.httpserver.HttpServer loopbackHttp() throws java.io.IOException {
    return com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
  }

  @Test
  void aDeploymentWaitsUntilTheReadinessEndpointOfItsTaskAnswersReady() throws Exception {
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    com.sun.net.httpserver.HttpServer http = loopbackHttp();
    http.createContext("/ready", exchange -> {
      int n = calls.incrementAndGet();
      byte[] body = (n < 2 ? "warming up" : "ok").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain");
      exchange.sendResponseHeaders(n < 2 ? 503 : 200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    http.start();
    try {
      int port = http.getAddress().getPort();
      AppDefinition app = app("{'id':'/ready','cmd':"
          + "'x','cpus':0.1,'mem':16,'portDefinitions':[{'port':0,'name':'http-api'}],"
          + "'readinessChecks':[{'path':'/ready','portName':'http-api','intervalSeconds':1,"
          + "'timeoutSeconds':2,'preserveLastResponse':true}]}");
      CheckingMaster master = runOneTask(app, port);
      await(() -> calls.get() >= 1, "the first readiness probe");
      await(this::noDeployments, "the deployment to finish once the task is ready");
      assertTrue(calls.get() >= 2, "503 first, then 200: " + calls.get() + " probes");
      io.cairn.marathon.internal.core.ReadinessResult result = driver.call(
          core -> core.readinessResults("/ready").get(0)).get(5, TimeUnit.SECONDS);
      assertTrue(result.ready());
      assertEquals(200, result.status());
      assertEquals("ok", result.body(), "preserveLastResponse keeps the body");
      assertEquals(List.of(), master.violations);
    } finally {
      http.stop(0);
    }
  }

  @Test
  void theLeaderProbesHttpAndTcpHealthChecksAndKillsATaskThatKeepsFailing() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean up = new java.util.concurrent.atomic.AtomicBoolean(
        true);
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    com.sun.net.httpserver.HttpServer http = loopbackHttp();
    http.createContext("/health", exchange -> {
      calls.incrementAndGet();
      exchange.sendResponseHeaders(up.get() ? 200 : 500, -1);
      exchange.close();
    });
    http.start();
    try {
      int port = http.getAddress().getPort();
      AppDefinition app = app("{'id':'/hc','cmd':'x',"
          + "'cpus':0.1,'mem':16,'healthChecks':[{'protocol':'HTTP','path':'/health',"
          + "'gracePeriodSeconds':0,'intervalSeconds':1,'timeoutSeconds':1,"
          + "'maxConsecutiveFailures':2},{'protocol':'TCP','gracePeriodSeconds':0,"
          + "'intervalSeconds':1,'timeoutSeconds':1}]}");
      CheckingMaster master = runOneTask(app, port);
      String taskId = master.launched.get(0);
      java.util.function.Supplier<io.cairn.marathon.internal.core.Instance> instance = () -> {
        try {
          return driver.call(core -> core.instancesOf("/hc").stream()
              .filter(i -> i.taskId().equals(taskId)).findFirst().orElseThrow())
              .get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      };
      await(() -> Boolean.TRUE.equals(instance.get().health(app)),
          "both checks (HTTP 200, TCP connect) to pass");
      assertTrue(driver.call(core -> core.deployments().isEmpty()).get(5, TimeUnit.SECONDS),
          "healthy: the deployment is done");
      assertTrue(calls.get() >= 1);

      master.killsExpected = true;
      up.set(false);
      await(() -> Boolean.FALSE.equals(instance.get().health(app)), "HTTP 500 to flip health");
      io.cairn.marathon.internal.core.HealthResult failing = instance.get().healthResults()
          .get(0);
      assertTrue(failing.lastFailureCause().contains("HTTP 500"), failing.toString());
      assertTrue(instance.get().healthResults().get(1).alive(), "the TCP check still passes");
      await(() -> master.killed.contains(taskId), "the kill after 2 consecutive failures");
      assertEquals(List.of(), master.violations);
    } finally {
      http.stop(0);
    }
  }

  @Test
  void httpsHealthChecksTrustAnyCertificateAsMarathonsDo() throws Exception {
    // A self-signed certificate for another host name: neither the issuer nor the name is checked.
    File keystore = new File(dir, "task.p12");
    Process keytool = new ProcessBuilder(System.getProperty("java.home") + "/bin/keytool",
        "-genkeypair", "-alias", "task", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=not-this-host", "-storetype", "PKCS12", "-keystore",
        keystore.getAbsolutePath(), "-storepass", "changeit", "-keypass", "changeit")
        .redirectErrorStream(true).start();
    String keytoolOutput = new String(keytool.getInputStream().readAllBytes(),
        java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, keytoolOutput);
    java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
    try (java.io.InputStream in = new java.io.FileInputStream(keystore)) {
      keys.load(in, "changeit".toCharArray());
    }
    javax.net.ssl.KeyManagerFactory managers = javax.net.ssl.KeyManagerFactory.getInstance(
        javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
    managers.init(keys, "changeit".toCharArray());
    javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
    tls.init(managers.getKeyManagers(), null, null);
    com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(
        new InetSocketAddress("127.0.0.1", 0), 0);
    https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    https.createContext("/", exchange -> {
      calls.incrementAndGet();
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    https.start();
    try {
      int port = https.getAddress().getPort();
      AppDefinition app = app("{'id':'/tls','cmd':'x',"
          + "'cpus':0.1,'mem':16,'healthChecks':[{'protocol':'HTTPS','gracePeriodSeconds':0,"
          + "'intervalSeconds':1,'timeoutSeconds':1}]}");
      CheckingMaster master = runOneTask(app, port);
      await(this::noDeployments, "the HTTPS check to pass and the deployment to finish");
      assertTrue(calls.get() >= 1, "probed over TLS");
      assertEquals(List.of(), master.violations);
    } finally {
      https.stop(0);
    }
  }

  /**
   * A leading driver over a fresh store and a {@link CheckingMaster}, {@code app} deployed, one
   * offer whose only port is {@code port}, its one task launched and reported RUNNING.
   */
  private CheckingMaster runOneTask(AppDefinition app, int port) throws Exception {
    ZkStateStore store = new ZkStateStore(curator, "/marathon");
    driver = new MarathonDriver(Clock.system(), MarathonCore.Settings.defaults(), () -> store, 1);
    CheckingMaster master = new CheckingMaster();
    driver.leadership(Leadership.leader("127.0.0.1:1"));
    driver.subscribed(master);
    await(driver::isSubscribed, "the subscription");
    driver.call(core -> core.deploy(new MarathonCore.Change(Map.of(app.id(), app), Set.of(),
        false), System.currentTimeMillis())).get(20, TimeUnit.SECONDS);
    driver.offers(master, List.of(Offer.newBuilder().setId(OfferID.newBuilder().setValue("o"))
        .setFrameworkId(FrameworkID.newBuilder().setValue("fw-test"))
        .setAgentId(AgentID.newBuilder().setValue("agent-0")).setHostname("127.0.0.1")
        .addResources(scalar("cpus", 1)).addResources(scalar("mem", 256))
        .addResources(Resource.newBuilder().setName("ports").setType(Value.Type.RANGES)
            .setRanges(Value.Ranges.newBuilder().addRange(Value.Range.newBuilder()
                .setBegin(port).setEnd(port)))).build()));
    await(() -> master.launched.size() == 1, "the launch");
    driver.update(master, TaskStatus.newBuilder().setTaskId(TaskID.newBuilder()
        .setValue(master.launched.get(0))).setAgentId(AgentID.newBuilder().setValue("agent-0"))
        .setState(TaskState.TASK_RUNNING).build());
    return master;
  }

  private boolean noDeployments() {
    try {
      return driver.call(core -> core.deployments().isEmpty()).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
