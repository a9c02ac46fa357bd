package io.cairn.master.internal.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The master's HTTP listener (default port 5050) on Netty: HTTP/1.1 with bodies aggregated up to
 * 16 MiB, routed by {@link HttpHandler}; agent connections leave HTTP after their upgrade.
 *
 * <p>Threading: {@link #start} and {@link #close} from the component; the listener runs on its
 * own event loop ("cairn-master-accept"), the connections on two others ("cairn-master-io-*"),
 * native epoll where it loads ({@link NettyTransport}).
 */
public final class MasterHttpServer implements AutoCloseable {
  static final String HTTP_CODEC = "http-codec";
  static final String AGGREGATOR = "http-aggregator";

  private final MasterDriver driver;
  /**
   * Accepts connections only. Apart from the connections' loops: when 10,000 agents reconnect
   * after a fail-over, an accepting loop that also served half of the connections fell behind
   * with both (its agents waited for their 101 while the other loop idled).
   */
  private final EventLoopGroup acceptor = NettyTransport.group(1, "cairn-master-accept");
  /** Reads, decodes and writes the accepted connections. */
  private final EventLoopGroup group = NettyTransport.group(2, "cairn-master-io");
  private Channel listener;

  public MasterHttpServer(MasterDriver driver) {
    this.driver = driver;
  }

  /** Binds {@code host:port} (port 0 picks a free one) and returns the bound address. */
  public InetSocketAddress start(String host, int port) throws InterruptedException {
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(acceptor, group)
        .channel(NettyTransport.serverChannel(acceptor))
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            // The HTTP handlers come with the first read, unless it is an agent's upgrade.
            ch.pipeline().addLast(FirstRequest.NAME, new FirstRequest(driver));
          }
        });
    try {
      listener = bootstrap.bind(host, port).sync().channel();
    } catch (InterruptedException | RuntimeException e) {
      acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
    return (InetSocketAddress) listener.localAddress();
  }

  @Override
  public void close() {
    if (listener != null) {
      listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
