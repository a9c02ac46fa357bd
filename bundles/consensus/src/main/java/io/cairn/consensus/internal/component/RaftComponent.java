package io.cairn.consensus.internal.component;

import io.cairn.consensus.ReplicatedLog;
import io.cairn.consensus.internal.core.RaftConfig;
import io.cairn.consensus.internal.driver.ForwardingLimits;
import io.cairn.consensus.internal.driver.RaftDriver;
import io.cairn.consensus.internal.driver.SnapshotSettings;
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
import io.cairn.env.storage.SnapshotStore;
import io.netty.channel.EventLoopGroup;
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
        description = "Raft tick in milliseconds (10..1000); heartbeat 1 tick, election timeout"
            + " randomized in [10, 20) ticks. 50 ms: a killed leader is replaced in about 0.6 s"
            + " (bench FailoverBench).")
    int tick_ms() default 50;

    @AttributeDefinition(name = "snapshot.entries",
        description = "Take a snapshot and compact the log after this many applied entries (>= 1;"
            + " each node draws its own count between half and all of it, as ZooKeeper's"
            + " snapCount, so the members do not all pause to snapshot at once).")
    long snapshot_entries() default 100_000;

    @AttributeDefinition(name = "snapshot.mb",
        description = "... or after this many MiB of applied entries (>= 1), whichever first.")
    long snapshot_mb() default 64;

    @AttributeDefinition(name = "snapshot.trailing.entries",
        description = "Entries kept in the log behind a snapshot for slow followers (>= 0).")
    long snapshot_trailing_entries() default 1_000;

    @AttributeDefinition(name = "snapshot.chunk.kb",
        description = "Largest InstallSnapshot chunk in KiB (1..8192).")
    int snapshot_chunk_kb() default 1024;
  }

  private final List<StateMachine> machines = new ArrayList<>();
  private LogStorage log;
  private SnapshotStore snapshots;
  private NettyTransport transport;
  private RaftDriver driver;
  /** The transport's event loop, for listeners that want to share it ({@code cairn.loop=raft}). */
  private ServiceRegistration<EventLoopGroup> loopRegistration;
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
    SnapshotSettings snapshotSettings = snapshotSettings(config);
    try {
      log = storage.openLog(GROUP);
      snapshots = storage.openSnapshots(GROUP);
      transport = NettyTransport.bind(node.nodeId(),
          new InetSocketAddress(self.host(), self.port()), TransportSettings.defaults());
      for (Peer peer : node.peers()) {
        if (peer.id() != node.nodeId()) {
          transport.addPeer(peer.id(), new InetSocketAddress(peer.host(), peer.port()));
        }
      }
      RandomSource random = RandomSource.seeded(System.nanoTime() ^ node.nodeId());
      synchronized (this) {
        driver = RaftDriver.start(new RaftDriver.Setup(RaftConfig.defaults(node.nodeId(), voters),
            random, log, snapshots, transport, Map.of(), Duration.ofMillis(tickMs),
            ForwardingLimits.defaults(), snapshotSettings));
        machines.forEach(driver::addStateMachine);
      }
    } catch (RuntimeException e) {
      // DS does not deactivate a component whose activation failed: release what was opened.
      deactivate();
      throw e;
    }
    Hashtable<String, Object> props = new Hashtable<>();
    props.put("node.id", node.nodeId());
    // Before the log: the coordination listener, activated by the log's arrival, finds the loop
    // already there and runs its connections on it (no thread hand-off per request).
    Hashtable<String, Object> loopProps = new Hashtable<>(props);
    loopProps.put("cairn.loop", "raft");
    loopRegistration = context.registerService(EventLoopGroup.class, transport.eventLoop(),
        loopProps);
    logRegistration = context.registerService(ReplicatedLog.class, driver, props);
    InetSocketAddress bound = transport.localAddress();
    endpointRegistration = context.registerService(Endpoint.class,
        new Endpoint("raft", bound.getHostString() + ":" + bound.getPort()), null);
    LOG.info("raft member started node={} voters={} address={} tickMs={}", node.nodeId(), voters,
        bound, tickMs);
  }

  /** The snapshot thresholds; a bad value fails with one sentence: PID, key, value, range. */
  static SnapshotSettings snapshotSettings(Config config) {
    SnapshotSettings defaults = SnapshotSettings.defaults();
    check(config.snapshot_entries() >= 1, "snapshot.entries", config.snapshot_entries(), ">= 1");
    check(config.snapshot_mb() >= 1 && config.snapshot_mb() <= 1 << 20, "snapshot.mb",
        config.snapshot_mb(), "in [1, 1048576]");
    check(config.snapshot_trailing_entries() >= 0, "snapshot.trailing.entries",
        config.snapshot_trailing_entries(), ">= 0");
    check(config.snapshot_chunk_kb() >= 1 && config.snapshot_chunk_kb() <= 8192,
        "snapshot.chunk.kb", config.snapshot_chunk_kb(), "in [1, 8192]");
    return new SnapshotSettings(config.snapshot_entries(), config.snapshot_mb() << 20,
        config.snapshot_trailing_entries(), config.snapshot_chunk_kb() << 10,
        defaults.chunkRetransmitTicks(), defaults.transferTimeoutTicks(), defaults.spread());
  }

  private static void check(boolean ok, String key, long value, String expected) {
    if (!ok) {
      throw new IllegalArgumentException(
          PID + ": " + key + "=" + value + " must be " + expected);
    }
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
    if (loopRegistration != null) {
      loopRegistration.unregister();
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
    if (snapshots != null) {
      snapshots.close();
    }
    if (log != null) {
      log.close();
    }
    LOG.info("raft member stopped");
  }
}
