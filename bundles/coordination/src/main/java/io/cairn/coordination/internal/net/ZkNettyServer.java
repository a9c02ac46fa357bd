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
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoop;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty listener of the coordination service: one event loop group for accept and I/O, the
 * frame decoder and a {@link ZkChannelHandler} per connection, and the periodic {@link
 * CoordinationServer#tick()} on the same group. The group is either its own ({@code ioThreads}
 * loops, epoll where the native transport loads) or a shared one: on a master node, the raft
 * transport's loop, so a write is read, proposed, replicated, applied and answered on one thread
 * with no hand-off (on this 2-core machine, with three nodes, that halved the context switches
 * per write). Lifecycle: {@link #start} once, {@link #close} once; close releases in reverse order
 * (tick, listener, then the loops if they are its own).
 */
public final class ZkNettyServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ZkNettyServer.class);

  private final CoordinationServer server;
  private final ServerFacts facts;
  private final EventLoopGroup group;
  /** False when {@link #group} is shared (the raft loop): then its owner shuts it down. */
  private final boolean ownsGroup;
  private Channel listener;
  private ScheduledFuture<?> ticker;

  public ZkNettyServer(CoordinationServer server) {
    this(server, new ServerFacts(new Introspection(server), server.config()));
  }

  /** A listener whose four-letter words answer from {@code facts} (shared with the admin endpoint). */
  public ZkNettyServer(CoordinationServer server, ServerFacts facts) {
    this(server, facts, null, 2);
  }

  /**
   * A listener on {@code shared} (not shut down by {@link #close}) or, when it is null, on a group
   * of its own with {@code ioThreads} loops.
   */
  public ZkNettyServer(
      CoordinationServer server, ServerFacts facts, EventLoopGroup shared, int ioThreads) {
    Check.argument(shared != null || ioThreads >= 1, "ioThreads must be >= 1, was %s", ioThreads);
    this.server = server;
    this.facts = facts;
    this.ownsGroup = shared == null;
    if (shared != null) {
      this.group = shared;
    } else {
      DefaultThreadFactory threads = new DefaultThreadFactory("cairn-zk", true);
      this.group = Epoll.isAvailable() ? new EpollEventLoopGroup(ioThreads, threads)
          : new NioEventLoopGroup(ioThreads, threads);
    }
  }

  /** True when the listener runs on a loop it does not own (the raft transport's). */
  public boolean sharesLoop() {
    return !ownsGroup;
  }

  private static Class<? extends ServerChannel> serverChannel(EventLoopGroup group) {
    return group instanceof EpollEventLoopGroup || group instanceof EpollEventLoop
        ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
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
            .channel(serverChannel(group))
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
    if (ownsGroup) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
    LOG.info("coordination listener closed");
  }
}
