package io.cairn.consensus.internal.component;

import io.cairn.consensus.ReplicatedLog;
import io.cairn.consensus.internal.core.RaftConfig;
import io.cairn.consensus.internal.driver.RaftDriver;
import io.cairn.consensus.internal.net.NettyTransport;
import io.cairn.consensus.internal.net.TransportSettings;
import io.cairn.consensus.spi.StateMachine;
import io.cairn.env.Endpoint;
import io.cairn.env.NodeInfo;
import io.cairn.env.Peer;
import io.cairn.env.RandomSource;
import io.cairn.env.Role;
import io.cairn.env.storage.LogStorage;
import io.cairn.env.storage.LogStorageFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs this master's member of the Raft group and publishes it as the {@link ReplicatedLog}
 * service. Identity and peers come from {@code etc/io.cairn.node.cfg} ({@link NodeInfo}); the log
 * lives in storage-engine's group {@code raft}; the transport listens on this node's own entry in
 * {@code peers}. On a node without the master role it starts nothing.
 *
 * <p>State machines are a whiteboard ({@link StateMachine} services, dynamic): one that appears
 * later — a bundle installed or updated at run time — is replayed the committed log of its
 * namespace before it sees live entries ({@link RaftDriver#addStateMachine}). That also keeps
 * DS free of a cycle: a state machine's bundle may itself reference {@link ReplicatedLog}.
 *
 * <p>Threading: DS calls arrive on any thread; the driver hands everything to its own loop.
 */
@Capability(namespace = "osgi.service",
    attribute = "objectClass:List<String>=io.cairn.consensus.ReplicatedLog",
    uses = ReplicatedLog.class)
@Component(configurationPid = RaftComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
    immediate = true, service = {})
@Designate(ocd = RaftComponent.Config.class)
public final class RaftComponent {
  static final String PID = "io.cairn.consensus";
  static final String GROUP = "raft";
  private static final Logger LOG = LoggerFactory.getLogger(RaftComponent.class);

  /** Settings of PID {@code io.cairn.consensus}. */
  @ObjectClassDefinition(name = "Cairn consensus (Raft)")
  public @interface Config {
    @AttributeDefinition(name = "tick.ms",
        description = "Raft tick in milliseconds (10..1000); election timeout is 10 ticks, heartbeat 1.")
    int tick_ms() default 100;
  }

  private final List<StateMachine> machines = new ArrayList<>();
  private LogStorage log;
  private NettyTransport transport;
  private RaftDriver driver;
  private ServiceRegistration<ReplicatedLog> logRegistration;
  private ServiceRegistration<Endpoint> endpointRegistration;

  @Activate
  public RaftComponent(BundleContext context, Config config, @Reference NodeInfo node,
      @Reference LogStorageFactory storage) {
    if (!node.hasRole(Role.MASTER)) {
      LOG.info("node={} is not a master; no Raft member runs here", node.nodeId());
      return;
    }
    int tickMs = config.tick_ms();
    if (tickMs < 10 || tickMs > 1000) {
      throw new IllegalArgumentException(PID + ": tick.ms=" + tickMs + " must be in [10, 1000]");
    }
    Peer self = node.peers().stream().filter(p -> p.id() == node.nodeId()).findFirst()
        .orElseThrow(() -> new IllegalStateException("node " + node.nodeId() + " not in peers"));
    Set<Integer> voters = node.peers().stream().map(Peer::id).collect(Collectors.toSet());
    log = storage.openLog(GROUP);
    transport = NettyTransport.bind(node.nodeId(),
        new InetSocketAddress(self.host(), self.port()), TransportSettings.defaults());
    for (Peer peer : node.peers()) {
      if (peer.id() != node.nodeId()) {
        transport.addPeer(peer.id(), new InetSocketAddress(peer.host(), peer.port()));
      }
    }
    RandomSource random = RandomSource.seeded(System.nanoTime() ^ node.nodeId());
    synchronized (this) {
      driver = RaftDriver.start(RaftConfig.defaults(node.nodeId(), voters), random, log, transport,
          Map.of(), Duration.ofMillis(tickMs));
      machines.forEach(driver::addStateMachine);
    }
    Hashtable<String, Object> props = new Hashtable<>();
    props.put("node.id", node.nodeId());
    logRegistration = context.registerService(ReplicatedLog.class, driver, props);
    InetSocketAddress bound = transport.localAddress();
    endpointRegistration = context.registerService(Endpoint.class,
        new Endpoint("raft", bound.getHostString() + ":" + bound.getPort()), null);
    LOG.info("raft member started node={} voters={} address={} tickMs={}", node.nodeId(), voters,
        bound, tickMs);
  }

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  synchronized void addStateMachine(StateMachine machine) {
    machines.add(machine);
    if (driver != null) {
      driver.addStateMachine(machine);
    }
  }

  synchronized void removeStateMachine(StateMachine machine) {
    machines.remove(machine);
    if (driver != null) {
      driver.removeStateMachine(machine);
    }
  }

  /** Releases in reverse order of activation: services, loop, sockets, storage. */
  @Deactivate
  void deactivate() {
    if (endpointRegistration != null) {
      endpointRegistration.unregister();
    }
    if (logRegistration != null) {
      logRegistration.unregister();
    }
    synchronized (this) {
      if (driver != null) {
        driver.close();
        driver = null;
      }
    }
    if (transport != null) {
      transport.close();
    }
    if (log != null) {
      log.close();
    }
    LOG.info("raft member stopped");
  }
}
