package io.cairn.agent.internal.runtime;

import io.cairn.agent.internal.net.AgentFrames;
import io.cairn.proto.agent.AgentMessage;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A master for tests speaking the agent channel contract on a loopback socket: answers the
 * upgrade with 101 (or a 307 to another master, or 503), then exchanges AgentMessage frames.
 * Received frames are queued for the test.
 */
final class FakeMaster implements AutoCloseable {
  private final NioEventLoopGroup group = new NioEventLoopGroup(1);
  private final Channel server;
  final BlockingQueue<AgentMessage> received = new LinkedBlockingQueue<>();
  final BlockingQueue<String> requests = new LinkedBlockingQueue<>();
  private volatile Channel agent;
  private volatile String redirectTo;
  private volatile boolean unavailable;

  FakeMaster() throws InterruptedException {
    server = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new Upgrade());
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
  }

  String address() {
    InetSocketAddress local = (InetSocketAddress) server.localAddress();
    return "127.0.0.1:" + local.getPort();
  }

  /** Answer upgrades with 307 to {@code leader} (host:port). */
  void redirectTo(String leader) {
    this.redirectTo = leader;
  }

  void unavailable(boolean value) {
    this.unavailable = value;
  }

  void send(AgentMessage message) {
    Channel channel = agent;
    if (channel == null) {
      throw new IllegalStateException("no agent connected");
    }
    channel.writeAndFlush(message).syncUninterruptibly();
  }

  /** Closes the agent's connection (not the server). */
  void dropAgent() {
    Channel channel = agent;
    if (channel != null) {
      channel.close().syncUninterruptibly();
    }
  }

  /** The next received message matching {@code filter}; others are skipped. */
  AgentMessage await(Predicate<AgentMessage> filter, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      AgentMessage message = received.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
      if (message == null) {
        throw new AssertionError("no matching message from the agent within " + timeout);
      }
      if (filter.test(message)) {
        return message;
      }
    }
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    Channel channel = agent;
    if (channel != null) {
      channel.close().syncUninterruptibly();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private final class Upgrade extends ChannelInboundHandlerAdapter {
    private final StringBuilder header = new StringBuilder();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf in = (ByteBuf) msg;
      header.append(in.toString(StandardCharsets.ISO_8859_1));
      in.release();
      int end = header.indexOf("\r\n\r\n");
      if (end < 0) {
        return;
      }
      String request = header.substring(0, end);
      requests.add(request);
      if (!request.startsWith("GET /cairn/agent/v1 HTTP/1.1")
          || !request.contains("Upgrade: cairn-agent/1")) {
        reply(ctx, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", true);
        return;
      }
      if (unavailable) {
        reply(ctx, "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 19\r\n\r\nNo leader is known.", true);
        return;
      }
      if (redirectTo != null) {
        reply(ctx, "HTTP/1.1 307 Temporary Redirect\r\nLocation: //" + redirectTo
            + "/cairn/agent/v1\r\nContent-Length: 0\r\n\r\n", true);
        return;
      }
      reply(ctx, "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
          + "Upgrade: cairn-agent/1\r\n\r\n", false);
      AgentFrames.install(ctx.pipeline());
      ctx.pipeline().addLast(new SimpleChannelInboundHandler<AgentMessage>() {
        @Override
        protected void channelRead0(ChannelHandlerContext c, AgentMessage message) {
          received.add(message);
        }
      });
      ctx.pipeline().remove(this);
      agent = ctx.channel();
    }

    private void reply(ChannelHandlerContext ctx, String text, boolean close) {
      var future = ctx.writeAndFlush(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
      if (close) {
        future.addListener(f -> ctx.close());
      }
    }
  }
}
