package io.cairn.coordination.internal.component;

import io.cairn.consensus.ReplicatedLog;
import io.cairn.consensus.spi.StateMachine;
import io.cairn.coordination.internal.monitor.AdminHttpServer;
import io.cairn.coordination.internal.monitor.ServerFacts;
import io.cairn.coordination.internal.net.ZkNettyServer;
import io.cairn.coordination.internal.server.CoordinationServer;
import io.cairn.coordination.internal.server.CoordinationStateMachine;
import io.cairn.coordination.internal.server.Introspection;
import io.cairn.coordination.internal.server.Operator;
import io.cairn.coordination.internal.server.ServerConfig;
import io.cairn.coordination.internal.server.ShellOperator;
import io.cairn.env.Clock;
import io.cairn.env.Endpoint;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the coordination service into the node: registers the "coordination" {@link StateMachine}
 * with the replicated log (as this component's service), starts the ZooKeeper-wire listener, and
 * publishes {@code Endpoint("zk", host:port)} once it accepts connections (the bundle promises it
 * in its {@code Cairn-Endpoints: zk} header). It also starts the admin endpoint (ZooKeeper's
 * AdminServer shape, {@code adminPort}, 0 = off) and registers the {@link Operator} the {@code zk:}
 * shell commands use (local reads, writes through the node's operator session).
 *
 * <p>Threading: DS calls activate/deactivate on any thread; state machine calls are delegated to
 * the server, which takes its own lock. Deactivate releases in reverse order: endpoint, operator
 * (its session is closed, so its ephemerals go), admin endpoint, listener.
 */
@Component(
    service = StateMachine.class,
    configurationPid = "io.cairn.coordination",
    immediate = true)
@Designate(ocd = CoordinationComponent.Config.class)
public final class CoordinationComponent implements StateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(CoordinationComponent.class);

  /** Settings of PID io.cairn.coordination. */
  @ObjectClassDefinition(name = "Cairn coordination (ZooKeeper API)")
  public @interface Config {
    @AttributeDefinition(name = "Listen host", description = "Address the ZooKeeper listener binds")
    String host() default "127.0.0.1";

    @AttributeDefinition(
        name = "Client port",
        description = "TCP port, 1..65535 (ZooKeeper clientPort)")
    int clientPort() default 2181;

    @AttributeDefinition(
        name = "Tick (ms)",
        description = "Expiry and reaping granularity (tickTime)")
    int tickMs() default 2000;

    @AttributeDefinition(
        name = "Minimum session timeout (ms)",
        description = "Lower clamp of negotiated timeouts")
    int minSessionTimeoutMs() default 4000;

    @AttributeDefinition(
        name = "Maximum session timeout (ms)",
        description = "Upper clamp of negotiated timeouts")
    int maxSessionTimeoutMs() default 40000;

    @AttributeDefinition(
        name = "Container check interval (ms)",
        description = "How often empty containers and expired TTL nodes are reaped")
    long containerCheckIntervalMs() default 60000;

    @AttributeDefinition(
        name = "Four-letter words",
        description =
            "Words served on the client port and the admin endpoint, comma-separated, * for all"
                + " (ZooKeeper's 4lw.commands.whitelist). Known: ruok, srvr, stat, mntr, conf,"
                + " envi, cons, wchs, wchc, wchp")
    String fourLetterWords() default "ruok, srvr, mntr, conf, envi";

    @AttributeDefinition(
        name = "Costly four-letter words",
        description = "Also serve stat, cons, wchs, wchc, wchp (older switch; prefer fourLetterWords)")
    boolean costlyFourLetterWords() default false;

    @AttributeDefinition(
        name = "I/O threads",
        description =
            "Event loops of the client listener. 0 (default) = run it on the raft transport's"
                + " loop of this master node, so a request is read, replicated and answered on"
                + " one thread; N >= 1 = a group of N loops of its own (many cores, read-heavy"
                + " load)")
    int ioThreads() default 0;

    @AttributeDefinition(
        name = "Admin port",
        description =
            "TCP port of the admin JSON endpoint (GET /commands/<name>), 0 = off. ZooKeeper's"
                + " admin.serverPort default 8080 is Marathon's, hence 9181")
    int adminPort() default 9181;
  }

  private final CoordinationStateMachine stateMachine;
  private final CoordinationServer server;
  private final ZkNettyServer listener;
  private final AdminHttpServer admin;
  private final ServiceRegistration<Operator> operator;
  private final ServiceRegistration<Endpoint> endpoint;

  @Activate
  public CoordinationComponent(
      @Reference ReplicatedLog log,
      @Reference(target = "(cairn.loop=raft)", cardinality = ReferenceCardinality.OPTIONAL,
          policyOption = ReferencePolicyOption.GREEDY) EventLoopGroup raftLoop,
      Config config, BundleContext context) throws InterruptedException {
    // Validated before anything starts, so that a bad value leaves nothing running.
    int port = config.clientPort();
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "io.cairn.coordination clientPort=" + port + " is outside 1..65535");
    }
    int ioThreads = config.ioThreads();
    if (ioThreads < 0 || ioThreads > 64) {
      throw new IllegalArgumentException("io.cairn.coordination ioThreads=" + ioThreads
          + " is outside 0..64 (0 = the raft loop)");
    }
    int adminPort = config.adminPort();
    if (adminPort < 0 || adminPort > 65535) {
      throw new IllegalArgumentException(
          "io.cairn.coordination adminPort=" + adminPort + " is outside 0..65535 (0 = off)");
    }
    ServerConfig serverConfig =
        new ServerConfig(
            config.tickMs(),
            config.minSessionTimeoutMs(),
            config.maxSessionTimeoutMs(),
            config.containerCheckIntervalMs(),
            10_000,
            ServerConfig.parseWords(config.fourLetterWords(), config.costlyFourLetterWords()));
    this.server = new CoordinationServer(serverConfig, log, Clock.system());
    this.stateMachine = server.stateMachine();
    Introspection view = new Introspection(server);
    ServerFacts facts = new ServerFacts(view, serverConfig);
    EventLoopGroup shared = ioThreads == 0 ? raftLoop : null;
    this.listener = new ZkNettyServer(server, facts, shared, ioThreads == 0 ? 2 : ioThreads);
    InetSocketAddress address = listener.start(config.host(), port, config.tickMs());
    AdminHttpServer adminServer = null;
    if (adminPort != 0) {
      try {
        adminServer = new AdminHttpServer(facts);
      } catch (NoClassDefFoundError e) {
        LOG.warn(
            "coordination admin endpoint is off: Netty's HTTP codec (bundle io.netty.codec-http)"
                + " is not installed; add it to the cairn-netty feature");
      }
    }
    if (adminServer != null) {
      try {
        adminServer.start(config.host(), adminPort);
      } catch (IllegalStateException e) {
        // The admin endpoint is a convenience: a taken port must not take ZooKeeper down with it.
        LOG.error("{}; the ZooKeeper service runs without it", e.getMessage());
        adminServer.close();
        adminServer = null;
      }
    }
    this.admin = adminServer;
    this.operator =
        context.registerService(
            Operator.class, new ShellOperator(view, server.operatorSession()), null);
    String published = address.getHostString() + ":" + address.getPort();
    this.endpoint = context.registerService(Endpoint.class, new Endpoint("zk", published), null);
    LOG.info("coordination activated endpoint=zk address={} loop={}", published,
        listener.sharesLoop() ? "raft" : "own(" + (ioThreads == 0 ? 2 : ioThreads) + ")");
  }

  @Deactivate
  void deactivate() {
    endpoint.unregister();
    operator.unregister();
    server.closeOperatorSession();
    if (admin != null) {
      admin.close();
    }
    listener.close();
    LOG.info("coordination deactivated");
  }

  @Override
  public String namespace() {
    return stateMachine.namespace();
  }

  @Override
  public byte[] apply(long index, byte[] command) {
    return stateMachine.apply(index, command);
  }

  @Override
  public void snapshot(OutputStream out) throws IOException {
    stateMachine.snapshot(out);
  }

  @Override
  public void restore(long lastIndex, InputStream in) throws IOException {
    stateMachine.restore(lastIndex, in);
  }
}
