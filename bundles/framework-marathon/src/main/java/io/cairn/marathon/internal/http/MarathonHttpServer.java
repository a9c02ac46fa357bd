package io.cairn.marathon.internal.http;

import io.cairn.marathon.internal.driver.MarathonDriver;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Marathon's HTTP listener (default port 8080) on Netty: REST API v2, {@code /v2/events} (SSE),
 * {@code /ping}, {@code /metrics}. A standby instance forwards requests to the leader
 * ({@code X-Marathon-Leader}) with a JDK HTTP client.
 *
 * <p>Threading: {@link #start} and {@link #close} from the component; channels on two event-loop
 * threads; API work on the Marathon loop.
 */
public final class MarathonHttpServer implements AutoCloseable {
  private static final int MAX_BODY_BYTES = 8 * 1024 * 1024;

  private final MarathonDriver driver;
  private final MarathonApi api;
  private volatile String ownAddress;
  private final EventLoopGroup group = new NioEventLoopGroup(2);
  private final HttpClient proxyClient = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
  private final Counters counters = new Counters();
  private Channel listener;

  /** Request counters for {@code /metrics}. */
  static final class Counters {
    final AtomicLong requests = new AtomicLong();
    final AtomicLong proxied = new AtomicLong();
    final AtomicLong errors4xx = new AtomicLong();
    final AtomicLong errors5xx = new AtomicLong();
    final AtomicLong eventStreams = new AtomicLong();
  }

  public MarathonHttpServer(MarathonDriver driver, MarathonApi api, String ownAddress) {
    this.driver = driver;
    this.api = api;
    this.ownAddress = ownAddress;
  }

  /** Binds {@code host:port} (0 = any free port) and returns the bound address. */
  public InetSocketAddress start(String host, int port) throws InterruptedException {
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpServerCodec());
            ch.pipeline().addLast(new HttpObjectAggregator(MAX_BODY_BYTES));
            ch.pipeline().addLast(new MarathonHttpHandler(driver, api, proxyClient, counters,
                ownAddress));
          }
        });
    try {
      listener = bootstrap.bind(host, port).sync().channel();
    } catch (InterruptedException | RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
    return (InetSocketAddress) listener.localAddress();
  }

  /** The {@code host:port} this instance is reached at (known after {@link #start}). */
  public void advertise(String hostPort) {
    ownAddress = hostPort;
  }

  @Override
  public void close() {
    if (listener != null) {
      listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
