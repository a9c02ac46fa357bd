package io.cairn.coordination.internal.component;

import io.cairn.consensus.ReplicatedLog;
import io.cairn.consensus.spi.StateMachine;
import io.cairn.coordination.internal.net.ZkNettyServer;
import io.cairn.coordination.internal.server.CoordinationServer;
import io.cairn.coordination.internal.server.CoordinationStateMachine;
import io.cairn.coordination.internal.server.ServerConfig;
import io.cairn.env.Clock;
import io.cairn.env.Endpoint;
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
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the coordination service into the node: registers the "coordination" {@link StateMachine}
 * with the replicated log (as this component's service), starts the ZooKeeper-wire listener, and
 * publishes {@code Endpoint("zk", host:port)} once it accepts connections (the bundle promises it
 * in its {@code Cairn-Endpoints: zk} header).
 *
 * <p>Threading: DS calls activate/deactivate on any thread; state machine calls are delegated to
 * the server, which takes its own lock. Deactivate releases in reverse order: endpoint, listener.
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
        name = "Costly four-letter words",
        description = "Serve cons (one line per connection); off by default")
    boolean costlyFourLetterWords() default false;
  }

  private final CoordinationStateMachine stateMachine;
  private final ZkNettyServer listener;
  private final ServiceRegistration<Endpoint> endpoint;

  @Activate
  public CoordinationComponent(@Reference ReplicatedLog log, Config config, BundleContext context)
      throws InterruptedException {
    int port = config.clientPort();
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "io.cairn.coordination clientPort=" + port + " is outside 1..65535");
    }
    ServerConfig serverConfig =
        new ServerConfig(
            config.tickMs(),
            config.minSessionTimeoutMs(),
            config.maxSessionTimeoutMs(),
            config.containerCheckIntervalMs(),
            10_000,
            config.costlyFourLetterWords());
    CoordinationServer server = new CoordinationServer(serverConfig, log, Clock.system());
    this.stateMachine = server.stateMachine();
    this.listener = new ZkNettyServer(server);
    InetSocketAddress address = listener.start(config.host(), port, config.tickMs());
    String published = address.getHostString() + ":" + address.getPort();
    this.endpoint = context.registerService(Endpoint.class, new Endpoint("zk", published), null);
    LOG.info("coordination activated endpoint=zk address={}", published);
  }

  @Deactivate
  void deactivate() {
    endpoint.unregister();
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
