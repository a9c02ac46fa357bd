package io.cairn.master.internal.component;

import io.cairn.allocator.AllocatorOptions;
import io.cairn.allocator.spi.AllocatorFactory;
import io.cairn.consensus.ReplicatedLog;
import io.cairn.env.Clock;
import io.cairn.env.Endpoint;
import io.cairn.env.NodeInfo;
import io.cairn.env.Peer;
import io.cairn.env.Role;
import io.cairn.master.RegistryView;
import io.cairn.master.internal.core.MasterSettings;
import io.cairn.master.internal.server.MasterDriver;
import io.cairn.master.internal.server.MasterHttpServer;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the master on a node with the master role: the driver (following Raft leadership), the
 * HTTP server on its port, the {@code master} endpoint once it listens, and the MasterInfo znode
 * under {@code /mesos} while leading. Uses the highest-ranked {@link AllocatorFactory} and swaps
 * to a higher-ranked one when it appears, handing the books over.
 *
 * <p>Threading: DS calls on any thread; the driver owns the master thread. Deactivate releases in
 * reverse order: znode publisher, endpoint, HTTP server, driver.
 */
@Component(service = MasterComponent.class, configurationPid = "io.cairn.master",
    immediate = true)
@Designate(ocd = MasterConfig.class)
public final class MasterComponent {
  private static final Logger LOG = LoggerFactory.getLogger(MasterComponent.class);

  @Reference
  private NodeInfo node;

  @Reference
  private ReplicatedLog log;

  @Reference
  private RegistryView registry;

  private volatile AllocatorFactory factory;
  private volatile MasterDriver driver;
  private MasterHttpServer server;
  private ServiceRegistration<Endpoint> endpoint;
  private MasterInfoPublisher publisher;

  @Reference(name = "allocator", policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindAllocator")
  void bindAllocator(AllocatorFactory newFactory) {
    factory = newFactory;
    MasterDriver current = driver;
    if (current != null) {
      current.useAllocator(newFactory);
    }
  }

  void unbindAllocator(AllocatorFactory old) {
    // The replacement (GREEDY) was bound first; the master already uses it.
  }

  @Activate
  void activate(MasterConfig config, BundleContext context) throws InterruptedException {
    if (!node.hasRole(Role.MASTER)) {
      LOG.info("master not started: node={} has roles {}", node.nodeId(), node.rolesText());
      return;
    }
    MasterSettings settings = MasterConfigs.settings(config);
    String hostname = config.hostname().isBlank() ? config.host() : config.hostname();
    Map<Integer, String> peerHosts = new HashMap<>();
    for (Peer peer : node.peers()) {
      peerHosts.put(peer.id(), peer.host());
    }
    MasterDriver.Settings driverSettings = new MasterDriver.Settings(hostname,
        MasterConfigs.ip(config.host()), config.port(), settings,
        new AllocatorOptions(settings.allocationIntervalMs(),
            AllocatorOptions.DEFAULTS.minAllocatable(), AllocatorOptions.DEFAULTS.reasonsMax()),
        MasterConfigs.peerHttp(config.peerHttp()));
    MasterDriver newDriver = new MasterDriver(driverSettings, log, registry, Clock.system(),
        factory, peerHosts);
    server = new MasterHttpServer(newDriver);
    InetSocketAddress address = server.start(config.host(), config.port());
    if (config.publishToZooKeeper()) {
      publisher = new MasterInfoPublisher(context, config.zkPath());
      newDriver.watchLeadership(publisher::leadershipChanged);
    }
    newDriver.start();
    driver = newDriver;
    String published = address.getHostString() + ":" + address.getPort();
    endpoint = context.registerService(Endpoint.class, new Endpoint("master", published), null);
    LOG.info("master activated endpoint=master address={} allocator={}", published,
        factory.name());
  }

  @Deactivate
  void deactivate() {
    if (publisher != null) {
      publisher.close();
    }
    if (endpoint != null) {
      endpoint.unregister();
    }
    if (server != null) {
      server.close();
    }
    MasterDriver current = driver;
    driver = null;
    if (current != null) {
      current.close();
    }
    LOG.info("master deactivated");
  }

  /** The running driver, or null on a node without the master role (for the shell). */
  public MasterDriver driver() {
    return driver;
  }
}
