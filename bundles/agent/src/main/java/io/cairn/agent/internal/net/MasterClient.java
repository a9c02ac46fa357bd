package io.cairn.agent.internal.net;

import io.cairn.agent.internal.config.MasterAddresses;
import io.cairn.proto.agent.AgentMessage;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's connection to the leading master: connects to the configured masters in turn (or
 * to the leader named in ZooKeeper, for a {@code zk://} master, see {@link ZkMasterDetector}),
 * upgrades with {@code GET /cairn/agent/v1} ({@code Upgrade: cairn-agent/1}), follows 307
 * redirects to the leader, then carries length-prefixed {@link AgentMessage} frames. When the
 * connection fails or closes it reconnects with backoff (100 ms doubling to 10 s, with jitter).
 *
 * <p>Threading: everything runs on the one {@link EventLoop} given at construction, which is the
 * agent's event thread; {@link Listener} callbacks arrive there. {@link #send} and
 * {@link #disconnect} must be called on it too.
 */
public final class MasterClient {
  private static final Logger LOG = LoggerFactory.getLogger(MasterClient.class);
  static final Duration BACKOFF_MIN = Duration.ofMillis(100);
  static final Duration BACKOFF_MAX = Duration.ofSeconds(10);
  private static final int REDIRECTS_MAX = 5;
  private static final int CONNECT_TIMEOUT_MS = 5000;

  /** Connection events, on the event loop. */
  public interface Listener {
    /** The upgrade succeeded; frames may be sent. */
    void onConnected(InetSocketAddress master);

    /** One frame from the master. */
    void onMessage(AgentMessage message);

    /** An upgraded connection closed (a reconnect is already scheduled). */
    void onDisconnected();
  }

  private static final Duration ZK_TIMEOUT = Duration.ofSeconds(5);

  private final List<InetSocketAddress> masters;
  private final java.util.Optional<MasterAddresses.ZkUrl> zk;
  private final java.util.concurrent.ExecutorService detector; // null without zk
  private final EventLoop loop;
  private final Listener listener;
  private final SplittableRandom jitter = new SplittableRandom();
  private Channel channel; // the upgraded channel, or null
  private Channel connecting; // a channel in handshake, or null
  private int nextMaster;
  private long backoffNanos = BACKOFF_MIN.toNanos();
  private boolean closed;

  /** A client for {@code masters}, running on {@code loop}. */
  public MasterClient(MasterAddresses masters, EventLoop loop, Listener listener) {
    this.masters = masters.masters();
    this.zk = masters.zk();
    this.detector = zk.isEmpty() ? null : java.util.concurrent.Executors.newSingleThreadExecutor(
        runnable -> {
          Thread thread = new Thread(runnable, "cairn-agent-zk");
          thread.setDaemon(true);
          return thread;
        });
    this.loop = loop;
    this.listener = listener;
  }

  /** Starts connecting. */
  public void start() {
    loop.execute(this::connectNext);
  }

  /** Connects to the next configured master, or to the leader ZooKeeper names. Event loop. */
  private void connectNext() {
    if (closed) {
      return;
    }
    if (zk.isEmpty()) {
      connect(next(), 0);
      return;
    }
    try {
      detector.execute(() -> {
        java.util.Optional<InetSocketAddress> leader = ZkMasterDetector.leader(zk.get(), ZK_TIMEOUT);
        try {
          loop.execute(() -> {
            if (leader.isPresent()) {
              connect(leader.get(), 0);
            } else {
              LOG.debug("no leading master under {} yet", zk.get());
              retryLater();
            }
          });
        } catch (java.util.concurrent.RejectedExecutionException e) {
          LOG.debug("agent event loop stopped; ZooKeeper lookup result dropped");
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.debug("master client closed; no ZooKeeper lookup");
    }
  }

  /** True when an upgraded connection is open. */
  public boolean isConnected() {
    return channel != null && channel.isActive();
  }

  /** Sends one message; dropped (logged at debug) when not connected. Event loop only. */
  public void send(AgentMessage message) {
    if (channel == null || !channel.isActive()) {
      LOG.debug("not connected; dropping {}", message.getBodyCase());
      return;
    }
    channel.writeAndFlush(message);
  }

  /** Closes the current connection; a reconnect follows. Event loop only. */
  public void disconnect(String reason) {
    if (channel != null) {
      LOG.info("closing the master connection: {}", reason);
      channel.close();
    }
  }

  /** Stops for good: closes the connection and reconnects no more. */
  public void close() {
    closed = true;
    if (detector != null) {
      detector.shutdownNow();
    }
    if (loop.inEventLoop()) {
      closeChannels();
    } else {
      loop.submit(this::closeChannels).syncUninterruptibly();
    }
  }

  private void closeChannels() {
    if (channel != null) {
      channel.close();
    }
    if (connecting != null) {
      connecting.close();
    }
  }

  private InetSocketAddress next() {
    InetSocketAddress address = masters.get(nextMaster % masters.size());
    nextMaster++;
    return address;
  }

  private void connect(InetSocketAddress target, int redirects) {
    if (closed) {
      return;
    }
    InetSocketAddress resolved = new InetSocketAddress(target.getHostString(), target.getPort());
    String host = target.getHostString() + ":" + target.getPort();
    Bootstrap bootstrap = new Bootstrap()
        .group(loop)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast("upgrade", new Handshake(host, redirects));
          }
        });
    ChannelFuture future = bootstrap.connect(resolved);
    connecting = future.channel();
    future.addListener(done -> {
      if (!done.isSuccess()) {
        LOG.debug("cannot connect to master {}: {}", host, done.cause().getMessage());
        connecting = null;
        retryLater();
      }
    });
  }

  private void retryLater() {
    if (closed) {
      return;
    }
    long delay = backoffNanos / 2 + jitter.nextLong(backoffNanos / 2 + 1);
    backoffNanos = Math.min(backoffNanos * 2, BACKOFF_MAX.toNanos());
    loop.schedule(this::connectNext, delay, TimeUnit.NANOSECONDS);
  }

  /** Sends the upgrade request and reads the answer; replaced by the frame codec on 101. */
  private final class Handshake extends io.netty.channel.ChannelInboundHandlerAdapter {
    private final String host;
    private final int redirects;
    private final ByteBuf header = Unpooled.buffer();
    private boolean done;

    Handshake(String host, int redirects) {
      this.host = host;
      this.redirects = redirects;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      String request = "GET /cairn/agent/v1 HTTP/1.1\r\nHost: " + host
          + "\r\nConnection: Upgrade\r\nUpgrade: cairn-agent/1\r\n\r\n";
      ctx.writeAndFlush(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf in = (ByteBuf) msg;
      try {
        header.writeBytes(in);
      } finally {
        in.release();
      }
      int end = indexOfBlankLine(header);
      if (end < 0) {
        if (header.readableBytes() > UpgradeResponse.HEADER_MAX_BYTES) {
          LOG.warn("master {} sent an HTTP header over {} bytes; closing", host,
              UpgradeResponse.HEADER_MAX_BYTES);
          ctx.close();
        }
        return;
      }
      byte[] head = new byte[end];
      header.readBytes(head);
      UpgradeResponse response;
      try {
        response = UpgradeResponse.parse(head);
      } catch (IllegalArgumentException e) {
        LOG.warn("master {}: {}; closing", host, e.getMessage());
        ctx.close();
        return;
      }
      onResponse(ctx, response);
    }

    private void onResponse(ChannelHandlerContext ctx, UpgradeResponse response) {
      if (response.status() == 101) {
        done = true;
        connecting = null;
        channel = ctx.channel();
        backoffNanos = BACKOFF_MIN.toNanos();
        AgentFrames.install(ctx.pipeline());
        ctx.pipeline().addLast("agent", new Inbound(host));
        ByteBuf rest = header.readableBytes() > 0 ? header.retainedSlice() : null;
        ctx.pipeline().remove(this);
        LOG.info("connected to master {}", host);
        listener.onConnected((InetSocketAddress) ctx.channel().remoteAddress());
        if (rest != null) {
          ctx.pipeline().fireChannelRead(rest);
        }
        return;
      }
      if (response.status() == 307 && response.location().isPresent()
          && redirects < REDIRECTS_MAX) {
        var leader = UpgradeResponse.redirectHostPort(response.location().get());
        if (leader.isPresent()) {
          done = true;
          LOG.info("master {} is not the leader; following redirect to {}", host, leader.get());
          ctx.close();
          connect(MasterAddresses.hostPort(response.location().get(), leader.get()),
              redirects + 1);
          return;
        }
      }
      LOG.info("master {} refused the agent connection: {} {}", host, response.status(),
          response.reason());
      ctx.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      header.release();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (!done) {
        connecting = null;
        retryLater();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.debug("master {} handshake failed: {}", host, cause.getMessage());
      ctx.close();
    }
  }

  private static int indexOfBlankLine(ByteBuf buffer) {
    for (int i = buffer.readerIndex(); i + 3 < buffer.writerIndex(); i++) {
      if (buffer.getByte(i) == '\r' && buffer.getByte(i + 1) == '\n'
          && buffer.getByte(i + 2) == '\r' && buffer.getByte(i + 3) == '\n') {
        return i + 4 - buffer.readerIndex();
      }
    }
    return -1;
  }

  /** Frames of an upgraded connection. */
  private final class Inbound extends SimpleChannelInboundHandler<AgentMessage> {
    private final String host;

    Inbound(String host) {
      this.host = host;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, AgentMessage message) {
      listener.onMessage(message);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (channel == ctx.channel()) {
        channel = null;
      }
      LOG.info("connection to master {} closed", host);
      listener.onDisconnected();
      retryLater();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.warn("bad frame from master {} ({}); closing the connection", host, cause.getMessage());
      ctx.close();
    }
  }
}
