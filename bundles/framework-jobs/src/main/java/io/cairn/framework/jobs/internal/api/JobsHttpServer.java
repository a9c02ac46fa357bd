package io.cairn.framework.jobs.internal.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs REST API over Netty HTTP/1.1: routes requests to a {@link Routes} implementation and
 * writes its JSON answers. Bodies are bounded (1 MiB).
 *
 * <p>Threading: one Netty event loop accepts and serves; route results complete on the jobs thread
 * and are written back through the channel.
 */
public final class JobsHttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobsHttpServer.class);
  private static final int MAX_BODY_BYTES = 1024 * 1024;

  /** A response: status, JSON body (may be null) and an optional Location. */
  public record Reply(int status, JsonNode body, String location) {
    public static Reply json(int status, JsonNode body) {
      return new Reply(status, body, null);
    }

    public static Reply error(int status, String message) {
      ObjectNode node = JobsJson.MAPPER.createObjectNode().put("message", message);
      return new Reply(status, node, null);
    }
  }

  /** What the server serves: method, path, query and body in, a reply out (asynchronously). */
  public interface Routes {
    CompletableFuture<Reply> handle(String method, String path, QueryStringDecoder query,
        byte[] body);
  }

  private final Routes routes;
  private final EventLoopGroup group = new NioEventLoopGroup(1, r -> {
    Thread thread = new Thread(r, "cairn-jobs-http");
    thread.setDaemon(true);
    return thread;
  });
  private Channel channel;

  public JobsHttpServer(Routes routes) {
    this.routes = routes;
  }

  /** Binds; throws with the address when the port is taken. */
  public InetSocketAddress start(String host, int port) throws InterruptedException {
    ServerBootstrap bootstrap = new ServerBootstrap().group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY_BYTES),
                new Handler());
          }
        });
    try {
      channel = bootstrap.bind(host, port).sync().channel();
    } catch (RuntimeException e) { // Netty rethrows bind failures (BindException) unchecked.
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new IllegalStateException("jobs REST API cannot listen on " + host + ":" + port
          + ": " + e.getMessage(), e);
    }
    return (InetSocketAddress) channel.localAddress();
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      QueryStringDecoder query = new QueryStringDecoder(request.uri());
      byte[] body = ByteBufUtil.getBytes(request.content());
      CompletableFuture<Reply> reply;
      try {
        reply = routes.handle(request.method().name(), query.path(), query, body);
      } catch (RuntimeException e) {
        reply = CompletableFuture.failedFuture(e);
      }
      reply.whenComplete((r, error) -> write(ctx, keepAlive, error == null ? r
          : Reply.error(500, "the jobs framework failed on this request: "
              + (error instanceof CompletionException ? error.getCause() : error))));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.debug("jobs REST connection closed: {}", cause.toString());
      ctx.close();
    }
  }

  private static void write(ChannelHandlerContext ctx, boolean keepAlive, Reply reply) {
    byte[] bytes = reply.body() == null ? new byte[0] : JobsJson.bytes(reply.body());
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(reply.status()), Unpooled.wrappedBuffer(bytes));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    if (reply.location() != null) {
      response.headers().set(HttpHeaderNames.LOCATION, reply.location());
    }
    if (keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      ctx.writeAndFlush(response);
    } else {
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** A JSON array of the nodes. */
  public static ArrayNode array(Iterable<? extends JsonNode> nodes) {
    ArrayNode array = JobsJson.MAPPER.createArrayNode();
    nodes.forEach(array::add);
    return array;
  }
}
