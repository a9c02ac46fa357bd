package io.cairn.coordination.internal.net;

import io.cairn.coordination.internal.server.CoordinationServer;
import io.cairn.coordination.internal.server.ServerConfig;
import io.cairn.coordination.internal.server.SingleNodeLogTestDouble;
import io.cairn.env.Clock;
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
    server = new CoordinationServer(config, log, Clock.system());
    log.register(server.stateMachine());
    netty = new ZkNettyServer(server);
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
