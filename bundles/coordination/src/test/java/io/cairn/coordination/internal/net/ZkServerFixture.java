package io.cairn.coordination.internal.net;

import io.cairn.coordination.internal.monitor.ServerFacts;
import io.cairn.coordination.internal.server.CoordinationServer;
import io.cairn.coordination.internal.server.Introspection;
import io.cairn.coordination.internal.server.ServerConfig;
import io.cairn.coordination.internal.server.SingleNodeLogTestDouble;
import io.cairn.env.Clock;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;

/**
 * A coordination server on a loopback port over the {@link SingleNodeLogTestDouble}, for tests with
 * the real ZooKeeper and Curator clients.
 */
final class ZkServerFixture implements AutoCloseable {
  final SingleNodeLogTestDouble log = new SingleNodeLogTestDouble();
  final CoordinationServer server;
  final ZkNettyServer netty;
  final InetSocketAddress address;

  ZkServerFixture(ServerConfig config) throws InterruptedException {
    this(config, null);
  }

  /** A server whose connections live on {@code shared} (as on the raft loop), or its own loops. */
  ZkServerFixture(ServerConfig config, EventLoopGroup shared) throws InterruptedException {
    server = new CoordinationServer(config, log, Clock.system());
    log.register(server.stateMachine());
    netty = shared == null ? new ZkNettyServer(server)
        : new ZkNettyServer(server, new ServerFacts(new Introspection(server), config), shared, 1);
    address = netty.start("127.0.0.1", 0, config.tickMs());
  }

  /** Short ticks and container checks so that expiry and reaping tests stay fast. */
  static ServerConfig fastConfig() {
    return new ServerConfig(100, 1000, 10000, 100, 10000, true);
  }

  String connectString() {
    return "127.0.0.1:" + address.getPort();
  }

  @Override
  public void close() {
    netty.close();
    log.close();
  }
}
