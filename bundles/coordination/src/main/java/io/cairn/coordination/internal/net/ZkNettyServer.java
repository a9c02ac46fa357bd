package io.cairn.coordination.internal.net;

import io.cairn.coordination.internal.monitor.FourLetterWords;
import io.cairn.coordination.internal.monitor.ServerFacts;
import io.cairn.coordination.internal.server.CoordinationServer;
import io.cairn.coordination.internal.server.Introspection;
import io.cairn.env.Check;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty listener of the coordination service: one event loop group for accept and I/O (two
 * threads), the frame decoder and a {@link ZkChannelHandler} per connection, and the periodic
 * {@link CoordinationServer#tick()} on the same group. Lifecycle: {@link #start} once, {@link
 * #close} once; close releases in reverse order (tick, listener, loops).
 */
public final class ZkNettyServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ZkNettyServer.class);

  private final CoordinationServer server;
  private final ServerFacts facts;
  private final EventLoopGroup group = new NioEventLoopGroup(2);
  private Channel listener;
  private ScheduledFuture<?> ticker;

  public ZkNettyServer(CoordinationServer server) {
    this(server, new ServerFacts(new Introspection(server), server.config()));
  }

  /** A listener whose four-letter words answer from {@code facts} (shared with the admin endpoint). */
  public ZkNettyServer(CoordinationServer server, ServerFacts facts) {
    this.server = server;
    this.facts = facts;
  }

  /** The facts the four-letter words answer from. */
  public ServerFacts facts() {
    return facts;
  }

  /**
   * Binds {@code host:port} (port 0 picks a free one) and starts ticking every {@code tickMs}.
   *
   * @return the bound address
   */
  public InetSocketAddress start(String host, int port, int tickMs) throws InterruptedException {
    Check.state(listener == null, "coordination listener already started on %s", listener);
    FourLetterWords words = new FourLetterWords(facts);
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    channel
                        .pipeline()
                        .addLast(new ZkFrameDecoder(ZkFrameDecoder.defaultMax()))
                        .addLast(new ZkChannelHandler(server, words));
                  }
                });
    listener = bootstrap.bind(host, port).sync().channel();
    ticker = group.next().scheduleAtFixedRate(this::tick, tickMs, tickMs, TimeUnit.MILLISECONDS);
    InetSocketAddress address = (InetSocketAddress) listener.localAddress();
    facts.port("clientPort", address.getPort());
    LOG.info("coordination listening address={}:{}", address.getHostString(), address.getPort());
    return address;
  }

  private void tick() {
    try {
      server.tick();
    } catch (RuntimeException e) {
      LOG.error("coordination tick failed; expiry and reaping are delayed until the next tick", e);
    }
  }

  @Override
  public void close() {
    if (ticker != null) {
      ticker.cancel(false);
    }
    if (listener != null) {
      listener.close().syncUninterruptibly();
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    LOG.info("coordination listener closed");
  }
}
