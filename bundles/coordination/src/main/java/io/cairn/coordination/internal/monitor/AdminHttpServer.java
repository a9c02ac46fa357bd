package io.cairn.coordination.internal.monitor;

import io.cairn.env.Check;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
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
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin endpoint: ZooKeeper's AdminServer shape over Netty HTTP/1.1. {@code GET /commands}
 * lists the commands, {@code GET /commands/<name>} answers {@link AdminCommands#run} as JSON
 * (200; 404 for an unknown command, 403 for one not in the whitelist); anything else is 404, a
 * method other than GET 405. Requests above 64 KiB are refused by the aggregator.
 *
 * <p>Threading: one event loop thread of its own; each request reads the server's facts under its
 * lock. Lifecycle: {@link #start} once, {@link #close} once.
 */
public final class AdminHttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminHttpServer.class);
  private static final String PREFIX = "/commands";

  private final AdminCommands commands;
  private final ServerFacts facts;
  private final EventLoopGroup group;
  private Channel listener;

  /**
   * An endpoint answering from {@code facts}.
   *
   * @throws NoClassDefFoundError when Netty's HTTP codec is not installed (an optional import)
   */
  public AdminHttpServer(ServerFacts facts) {
    // Fails here, not on the first request, when io.netty.codec-http is missing.
    HttpServerCodec.class.getName();
    this.group = new NioEventLoopGroup(1);
    this.facts = facts;
    this.commands = new AdminCommands(facts);
  }

  /** Binds {@code host:port} (0 picks a free port); returns the bound address. */
  public InetSocketAddress start(String host, int port) throws InterruptedException {
    Check.state(listener == null, "admin endpoint already started on %s", listener);
    ChannelFuture bound =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    channel
                        .pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(64 * 1024))
                        .addLast(new Handler());
                  }
                })
            .bind(host, port)
            .await();
    if (!bound.isSuccess()) {
      throw new IllegalStateException(
          "the coordination admin endpoint cannot listen on " + host + ":" + port + " ("
              + bound.cause().getMessage() + "); set adminPort in io.cairn.coordination (0 = off)",
          bound.cause());
    }
    listener = bound.channel();
    InetSocketAddress address = (InetSocketAddress) listener.localAddress();
    facts.port("adminPort", address.getPort());
    LOG.info("coordination admin endpoint address={}:{}", address.getHostString(),
        address.getPort());
    return address;
  }

  @Override
  public void close() {
    if (listener != null) {
      listener.close().syncUninterruptibly();
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** One HTTP connection; requests are answered on its event loop. */
  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      HttpResponseStatus status = HttpResponseStatus.OK;
      Object body;
      String path = new QueryStringDecoder(request.uri()).path();
      if (!request.method().equals(HttpMethod.GET)) {
        status = HttpResponseStatus.METHOD_NOT_ALLOWED;
        body = error(request.method() + " is not supported; use GET");
      } else if (path.equals(PREFIX) || path.equals(PREFIX + "/")) {
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("commands", commands.names());
        body = list;
      } else if (path.startsWith(PREFIX + "/")) {
        String name = path.substring(PREFIX.length() + 1);
        Map<String, Object> answer = commands.run(name);
        if (!commands.known(name)) {
          status = HttpResponseStatus.NOT_FOUND;
        } else if (answer.get("error") != null) {
          status = HttpResponseStatus.FORBIDDEN;
        }
        body = answer;
      } else {
        status = HttpResponseStatus.NOT_FOUND;
        body = error("no such resource " + path + "; try " + PREFIX);
      }
      byte[] json = (Json.write(body) + "\n").getBytes(StandardCharsets.UTF_8);
      FullHttpResponse response =
          new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(json));
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
      response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, json.length);
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      if (keepAlive) {
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        ctx.writeAndFlush(response);
      } else {
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.debug("closing admin connection after {}", cause.toString());
      ctx.close();
    }

    private Map<String, Object> error(String sentence) {
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("error", sentence);
      return answer;
    }
  }
}
