package io.cairn.bench.master;

import io.cairn.proto.mesos.v1.scheduler.Protos.Call;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * One keep-alive HTTP/1.1 connection that posts v1 scheduler calls (protobuf) to {@code
 * /api/v1/scheduler}, one at a time, from a queue shared by the scheduler's connections. A
 * response other than 202 is reported with its body (the master's sentence).
 *
 * <p>Threading: {@link #kick} from any thread; sending and responses run on the connection's
 * Netty event loop.
 */
final class CallConnection extends SimpleChannelInboundHandler<FullHttpResponse> {
  private final Queue<Call> queue;
  private final String host;
  private final Consumer<String> problems;
  private final Runnable onAnswer;
  private Channel channel;
  private String streamId;
  private boolean busy;

  private CallConnection(Queue<Call> queue, String host, Consumer<String> problems,
      Runnable onAnswer) {
    this.queue = queue;
    this.host = host;
    this.problems = problems;
    this.onAnswer = onAnswer;
  }

  /** Connects to {@code master}; calls carry {@code streamId}. */
  static CallConnection open(EventLoopGroup group, InetSocketAddress master, String streamId,
      ConcurrentLinkedQueue<Call> queue, Consumer<String> problems, Runnable onAnswer)
      throws InterruptedException {
    CallConnection connection = new CallConnection(queue,
        master.getHostString() + ":" + master.getPort(), problems, onAnswer);
    connection.streamId = streamId;
    connection.channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20),
                connection);
          }
        }).connect(master).sync().channel();
    return connection;
  }

  /** Sends the next queued call if this connection is idle. */
  void kick() {
    channel.eventLoop().execute(this::sendNext);
  }

  private void sendNext() {
    if (busy || !channel.isActive()) {
      return;
    }
    Call call = queue.poll();
    if (call == null) {
      return;
    }
    busy = true;
    byte[] body = call.toByteArray();
    FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
        "/api/v1/scheduler", Unpooled.wrappedBuffer(body));
    request.headers().set(HttpHeaderNames.HOST, host)
        .set(HttpHeaderNames.CONTENT_TYPE, "application/x-protobuf")
        .set(HttpHeaderNames.ACCEPT, "application/x-protobuf")
        .set("Mesos-Stream-Id", streamId)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    channel.writeAndFlush(request);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
    busy = false;
    if (response.status().code() != 202) {
      problems.accept("a call was answered " + response.status() + ": "
          + response.content().toString(StandardCharsets.UTF_8));
    }
    onAnswer.run();
    sendNext();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    problems.accept("call connection failed: " + cause);
    ctx.close();
  }

  void close() {
    channel.close().awaitUninterruptibly();
  }
}
