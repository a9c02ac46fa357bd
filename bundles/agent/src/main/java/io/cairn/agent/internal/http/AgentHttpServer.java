package io.cairn.agent.internal.http;

import io.cairn.agent.internal.runtime.AgentRuntime;
import io.cairn.agent.internal.runtime.AgentSnapshot;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's HTTP endpoint (default port 5051): {@code /state} (also {@code /slave(1)/state}),
 * {@code /files/browse}, {@code /files/read}, {@code /metrics}, {@code /health}. A small HTTP/1.1
 * server on Netty (netty-codec-http is not shipped): GET only, request heads up to 16 KiB, no
 * request bodies, one request per connection ({@code Connection: close}).
 *
 * <p>Threading: one Netty thread ({@code cairn-agent-http}); state is copied on the agent's event
 * thread ({@link AgentRuntime#snapshot()}) and answered when the copy completes; sandbox files are
 * read on the HTTP thread.
 */
public final class AgentHttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AgentHttpServer.class);
  private static final int HEAD_MAX_BYTES = 16 * 1024;

  private final AgentRuntime runtime;
  private final String version;
  private final SandboxFiles files;
  private final NioEventLoopGroup group;
  private Channel server;
  private int port;

  private AgentHttpServer(AgentRuntime runtime, String version) {
    this.runtime = runtime;
    this.version = version;
    this.files = new SandboxFiles(runtime.settings().workDir());
    this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("cairn-agent-http", true));
  }

  /** Binds {@code host:port} (0 = ephemeral) and serves {@code runtime}. */
  public static AgentHttpServer start(AgentRuntime runtime, String version, String host, int port)
      throws IOException {
    AgentHttpServer http = new AgentHttpServer(runtime, version);
    try {
      http.server = new ServerBootstrap()
          .group(http.group)
          .channel(NioServerSocketChannel.class)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ch.pipeline().addLast(new HeadDecoder(), http.new Handler());
            }
          })
          .bind(host, port).sync().channel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      http.close();
      throw new IOException("interrupted while binding the agent HTTP port", e);
    } catch (RuntimeException e) {
      http.close();
      throw new IOException("cannot bind the agent HTTP endpoint to " + host + ":" + port
          + ": " + e.getMessage(), e);
    }
    http.port = ((InetSocketAddress) http.server.localAddress()).getPort();
    LOG.info("agent HTTP listening on {}:{}", host, http.port);
    return http;
  }

  /** The bound port. */
  public int port() {
    return port;
  }

  @Override
  public void close() {
    if (server != null) {
      server.close().syncUninterruptibly();
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Splits the byte stream at the end of the request head. */
  static final class HeadDecoder extends ByteToMessageDecoder {
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
      for (int i = in.readerIndex(); i + 3 < in.writerIndex(); i++) {
        if (in.getByte(i) == '\r' && in.getByte(i + 1) == '\n' && in.getByte(i + 2) == '\r'
            && in.getByte(i + 3) == '\n') {
          int length = i - in.readerIndex();
          if (length > HEAD_MAX_BYTES) {
            break;
          }
          String head = in.toString(in.readerIndex(), length, StandardCharsets.ISO_8859_1);
          in.skipBytes(in.readableBytes());
          out.add(head);
          return;
        }
      }
      if (in.readableBytes() > HEAD_MAX_BYTES) {
        in.skipBytes(in.readableBytes());
        out.add(new IllegalArgumentException("request head over " + HEAD_MAX_BYTES + " bytes"));
      }
    }
  }

  private final class Handler extends SimpleChannelInboundHandler<Object> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof IllegalArgumentException tooLong) {
        respond(ctx, 431, "text/plain", tooLong.getMessage() + ".");
        return;
      }
      HttpRequest request;
      try {
        request = HttpRequest.parse((String) msg);
      } catch (IllegalArgumentException e) {
        respond(ctx, 400, "text/plain", e.getMessage() + ".");
        return;
      }
      if (!request.method().equals("GET")) {
        respond(ctx, 405, "text/plain", "Only GET is supported on " + request.path() + ".");
        return;
      }
      route(ctx, request);
    }

    private void route(ChannelHandlerContext ctx, HttpRequest request) {
      switch (request.path()) {
        case "/state", "/state.json", "/slave(1)/state", "/slave(1)/state.json" ->
            fromSnapshot(ctx, "application/json",
                s -> StateJson.render(s, version, runtime.settings().httpPort() == 0
                    ? port : runtime.settings().httpPort()));
        case "/metrics" -> fromSnapshot(ctx, "text/plain; version=0.0.4",
            s -> MetricsText.render(s, System.currentTimeMillis()));
        case "/health" -> respond(ctx, 200, "text/plain", "OK");
        case "/files/browse", "/files/browse.json" -> files(ctx, () ->
            files.browse(request.query().get("path")));
        case "/files/read", "/files/read.json" -> files(ctx, () -> files.read(
            request.query().get("path"), request.query().get("offset"),
            request.query().get("length")));
        default -> respond(ctx, 404, "text/plain", "No endpoint " + request.path() + ".");
      }
    }

    private void fromSnapshot(ChannelHandlerContext ctx, String type,
        Function<AgentSnapshot, String> render) {
      CompletableFuture<AgentSnapshot> snapshot = runtime.snapshot();
      snapshot.orTimeout(10, TimeUnit.SECONDS).whenComplete((s, error) -> {
        if (error != null) {
          respond(ctx, 503, "text/plain", "The agent's state is not available: "
              + error.getMessage() + ".");
        } else {
          respond(ctx, 200, type, render.apply(s));
        }
      });
    }

    private void files(ChannelHandlerContext ctx, FileCall call) {
      try {
        SandboxFiles.Answer answer = call.run();
        respond(ctx, answer.status(),
            answer.status() == 200 ? "application/json" : "text/plain", answer.body());
      } catch (IOException e) {
        respond(ctx, 500, "text/plain", "Cannot read the sandbox: " + e.getMessage() + ".");
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.debug("agent HTTP connection {} failed: {}", ctx.channel().remoteAddress(),
          cause.getMessage());
      ctx.close();
    }
  }

  @FunctionalInterface
  private interface FileCall {
    SandboxFiles.Answer run() throws IOException;
  }

  private static void respond(ChannelHandlerContext ctx, int status, String type, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 " + status + " " + reason(status) + "\r\n"
        + "Content-Type: " + type + "\r\n"
        + "Content-Length: " + bytes.length + "\r\n"
        + "Access-Control-Allow-Origin: *\r\n"
        + "Connection: close\r\n\r\n";
    ByteBuf buffer = Unpooled.buffer(head.length() + bytes.length);
    buffer.writeCharSequence(head, StandardCharsets.ISO_8859_1);
    buffer.writeBytes(bytes);
    ctx.writeAndFlush(buffer).addListener(ChannelFutureListener.CLOSE);
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 431 -> "Request Header Fields Too Large";
      case 503 -> "Service Unavailable";
      default -> "Internal Server Error";
    };
  }
}
