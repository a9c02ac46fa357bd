package io.cairn.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import io.cairn.allocator.spi.AllocatorFactory;
import io.cairn.consensus.ReplicatedLog;
import io.cairn.env.NodeInfo;
import io.cairn.env.Peer;
import io.cairn.env.Role;
import io.cairn.env.storage.HardState;
import io.cairn.env.storage.LogEntry;
import io.cairn.env.storage.LogStorage;
import io.cairn.env.storage.LogStorageFactory;
import io.cairn.env.storage.LogWrite;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.inject.Inject;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Boots the built Cairn distribution in a real Karaf and checks the foundation: the boot features
 * are installed, the Cairn bundles are active, the node component activates from {@code
 * etc/io.cairn.node.cfg}, a bad value is reported with one sentence, and {@code cairn:node}
 * answers in the shell.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CairnDistributionIT {
  @Inject BundleContext context;
  @Inject FeaturesService features;
  @Inject SessionFactory sessions;
  @Inject ConfigurationAdmin configAdmin;
  @Inject LogStorageFactory storage;

  @org.ops4j.pax.exam.Configuration
  public Option[] config() {
    // Node 7 of a three-master group: proves the component reads the file, not defaults.
    return CairnOptions.distribution(
        editConfigurationFilePut("etc/io.cairn.node.cfg", "node.id", "7"),
        editConfigurationFilePut("etc/io.cairn.node.cfg", "peers",
            "5@127.0.0.1:17050,6@127.0.0.1:17060,7@127.0.0.1:17070"));
  }

  @Test
  public void theRoleFeaturesAreInstalledAndEveryCairnBundleIsActive() throws Exception {
    for (String name : List.of("cairn", "cairn-master", "cairn-agent", "cairn-node",
        "cairn-env-api", "cairn-proto", "cairn-storage", "cairn-consensus-api",
        "cairn-consensus", "cairn-netty", "cairn-coordination", "cairn-allocator-api",
        "cairn-allocator-drf")) {
      assertTrue("feature " + name + " installed", features.isInstalled(features.getFeature(name)));
    }
    int cairnBundles = 0;
    for (Bundle bundle : context.getBundles()) {
      if (bundle.getSymbolicName().startsWith("io.cairn.")) {
        cairnBundles++;
        assertEquals(bundle.getSymbolicName() + " state", Bundle.ACTIVE, bundle.getState());
      }
    }
    assertTrue("env-api, proto, node, storage, consensus-api and consensus are present, found "
        + cairnBundles, cairnBundles >= 6);
  }

  @Test
  public void theDrfAllocatorIsTheHighestRankedAllocatorAndTheRaftMemberRuns() throws Exception {
    await("allocator factory", () -> context.getServiceReference(AllocatorFactory.class) != null);
    ServiceReference<AllocatorFactory> allocator =
        context.getServiceReference(AllocatorFactory.class);
    assertEquals("drf", allocator.getProperty("allocator.name"));
    assertEquals(100, allocator.getProperty("service.ranking"));
    await("replicated log", () -> context.getServiceReference(ReplicatedLog.class) != null);
  }

  @Test
  public void aFirstFitAllocatorInstalledAtRunTimeTakesOverWhenRankedHigherAndLeavesCleanly()
      throws Exception {
    features.installFeature("cairn-allocator-firstfit");
    await("first-fit factory", () -> allocatorNamed("first-fit") != null);
    assertEquals("drf", context.getServiceReference(AllocatorFactory.class)
        .getProperty("allocator.name"));

    org.osgi.service.cm.Configuration ranking =
        configAdmin.getConfiguration("io.cairn.allocator.firstfit", null);
    Hashtable<String, Object> props = new Hashtable<>();
    props.put("service.ranking", 200);
    ranking.update(props);
    await("first-fit ranked highest", () -> "first-fit".equals(
        context.getServiceReference(AllocatorFactory.class).getProperty("allocator.name")));

    ranking.delete();
    features.uninstallFeature("cairn-allocator-firstfit");
    await("first-fit gone", () -> allocatorNamed("first-fit") == null);
    assertEquals("drf", context.getServiceReference(AllocatorFactory.class)
        .getProperty("allocator.name"));
  }

  private ServiceReference<AllocatorFactory> allocatorNamed(String name) {
    try {
      var refs = context.getServiceReferences(AllocatorFactory.class,
          "(allocator.name=" + name + ")");
      return refs.isEmpty() ? null : refs.iterator().next();
    } catch (org.osgi.framework.InvalidSyntaxException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  public void theNodeComponentActivatesFromItsConfigFile() throws Exception {
    NodeInfo node = awaitNode();

    assertEquals(7, node.nodeId());
    assertEquals(Set.of(Role.MASTER, Role.AGENT), node.roles());
    assertEquals(List.of(new Peer(5, "127.0.0.1", 17050), new Peer(6, "127.0.0.1", 17060),
        new Peer(7, "127.0.0.1", 17070)), node.peers());
    assertTrue("data dir created: " + node.dataDir(), Files.isDirectory(node.dataDir()));
    assertEquals(Path.of(System.getProperty("karaf.data"), "cairn").toAbsolutePath().normalize(),
        node.dataDir());
  }

  @Test
  public void theCairnNodeCommandAnswersInTheShell() throws Exception {
    awaitNode();
    await("node ready", () -> execute("cairn:node").contains("state      ready"));

    String out = execute("cairn:node");

    assertTrue(out, out.contains("node       7"));
    assertTrue(out, out.contains("roles      master,agent"));
    assertTrue(out, out.contains("peers      5@127.0.0.1:17050,6@127.0.0.1:17060,7@127.0.0.1:17070"));
  }

  @Test
  public void aBadValueWithdrawsTheNodeAndSaysWhyThenAGoodOneRestoresIt() throws Exception {
    awaitNode();
    org.osgi.service.cm.Configuration cfg = configAdmin.getConfiguration("io.cairn.node", null);
    Dictionary<String, Object> good = cfg.getProperties();
    Dictionary<String, Object> bad = copy(good);
    bad.put("roles", "master,worker");

    cfg.update(bad);
    await("node withdrawn", () -> node() == null && execute("cairn:node").contains("failed"));
    String out = execute("cairn:node");

    assertTrue(out, out.contains("roles = 'master,worker' is not valid; 'worker' is not a role; "
        + "expected a comma-separated list of master and agent, e.g. master,agent."));
    assertTrue(out, out.contains("io.cairn.node.cfg: roles"));
    assertNull(node());

    cfg.update(good);
    assertEquals(7, awaitNode().nodeId());
  }

  @Test
  public void theStorageEngineWritesAndReadsThroughRocksDbInsideKaraf() throws Exception {
    NodeInfo node = awaitNode();
    LogStorage log = storage.openLog("itest");
    try {
      long start = log.lastIndex() + 1;
      List<LogEntry> entries = List.of(
          new LogEntry(start, 3, "create /marathon".getBytes(StandardCharsets.UTF_8)),
          new LogEntry(start + 1, 3, "set /marathon/leader".getBytes(StandardCharsets.UTF_8)));
      long last = log.write(new LogWrite(new HardState(3, 7, start), 0, entries))
          .toCompletableFuture().get(30, TimeUnit.SECONDS);

      assertEquals(start + 1, last);
      List<LogEntry> read = log.read(start, start + 2, Long.MAX_VALUE);
      assertEquals(2, read.size());
      assertEquals("set /marathon/leader",
          new String(read.get(1).payload(), StandardCharsets.UTF_8));
      assertEquals(new HardState(3, 7, start), log.hardState());
      assertTrue("group commit synced", storage.metrics("itest").syncs() >= 1);
    } finally {
      log.close();
    }
    // The native library came from inside the bundle, and the group lives under data.dir.
    assertTrue(Files.isDirectory(node.dataDir().resolve("storage/itest/log")));
    LogStorage reopened = storage.openLog("itest");
    try {
      assertEquals(new HardState(3, 7, reopened.lastIndex() - 1), reopened.hardState());
    } finally {
      reopened.close();
    }
  }

  private static Dictionary<String, Object> copy(Dictionary<String, Object> props) {
    Hashtable<String, Object> copy = new Hashtable<>();
    for (var keys = props.keys(); keys.hasMoreElements(); ) {
      String key = keys.nextElement();
      copy.put(key, props.get(key));
    }
    return copy;
  }

  private NodeInfo node() {
    ServiceReference<NodeInfo> ref = context.getServiceReference(NodeInfo.class);
    return ref == null ? null : context.getService(ref);
  }

  private NodeInfo awaitNode() throws InterruptedException {
    await("NodeInfo service", () -> node() != null);
    NodeInfo node = node();
    assertNotNull(node);
    return node;
  }

  private String execute(String command) {
    return KarafShell.execute(sessions, command);
  }

  /** Waits for {@code condition} with a deadline, polling; never a fixed sleep. */
  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after 30 s waiting for " + what);
      }
      Thread.onSpinWait();
      Thread.yield();
      java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
    }
  }
}
