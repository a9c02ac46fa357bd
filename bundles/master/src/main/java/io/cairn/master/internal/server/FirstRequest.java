package io.cairn.master.internal.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of every accepted connection: it looks at the connection's first read once.
 * When that read holds a whole agent upgrade request as agents send it ({@code GET
 * /cairn/agent/v1 HTTP/1.1}, {@code Connection: Upgrade}, {@code Upgrade: cairn-agent/1}, no
 * body) and this master leads, it answers the same 101 {@link AgentUpgrade} would and turns the
 * connection into the agent channel directly. Anything else (another path, a head split over
 * reads, a missing header, a body, a master that does not lead) goes to the HTTP codec, which
 * this handler installs in its place, and gets exactly the answer it always got (400, 307, 503, or
 * the endpoint's).
 *
 * <p>Why: after a fail-over every agent reconnects within a second; decoding each upgrade with
 * the HTTP codec and aggregator (a request object, header maps, a composite buffer), encoding the
 * 101 and then removing three HTTP handlers cost the master's event loops about a seventh of their
 * time per re-registering agent. The HTTP handlers are now added only to connections that speak
 * HTTP.
 *
 * <p>Threading: one instance per connection, on its Netty event loop.
 */
final class FirstRequest extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(FirstRequest.class);
  static final String NAME = "first-request";
  private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
  private static final byte[] REQUEST_LINE = ("GET " + HttpHandler.AGENT_PATH + " HTTP/1.1\r\n")
      .getBytes(StandardCharsets.US_ASCII);
  /** The bytes Netty's HTTP encoder writes for {@link AgentUpgrade}'s 101 answer. */
  static final byte[] SWITCHING_PROTOCOLS = ("HTTP/1.1 101 Switching Protocols\r\n"
      + "connection: upgrade\r\nupgrade: " + HttpHandler.AGENT_PROTOCOL + "\r\n\r\n")
      .getBytes(StandardCharsets.US_ASCII);
  /** Longest head taken on the fast path; agents send about 90 bytes. */
  private static final int MAX_HEAD_BYTES = 1024;

  private final MasterDriver driver;

  FirstRequest(MasterDriver driver) {
    this.driver = driver;
  }

  /** Installs the HTTP handlers after {@code after} (the HTTP path of every connection). */
  static void installHttp(ChannelPipeline pipeline, String after, MasterDriver driver) {
    pipeline.addAfter(after, MasterHttpServer.HTTP_CODEC, new HttpServerCodec());
    pipeline.addAfter(MasterHttpServer.HTTP_CODEC, MasterHttpServer.AGGREGATOR,
        new HttpObjectAggregator(MAX_BODY_BYTES));
    pipeline.addAfter(MasterHttpServer.AGGREGATOR, "http", new HttpHandler(driver));
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ChannelPipeline pipeline = ctx.pipeline();
    if (msg instanceof ByteBuf in && driver.leading()) {
      int headEnd = agentUpgradeHeadEnd(in);
      if (headEnd > 0) {
        in.readerIndex(headEnd);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(SWITCHING_PROTOCOLS));
        long connectionId = driver.agentConnected(ctx.channel());
        AgentFrameHandler.install(pipeline, driver, connectionId);
        pipeline.remove(this);
        LOG.debug("agent channel open connection={} peer={}", connectionId,
            ctx.channel().remoteAddress());
        if (in.isReadable()) {
          ctx.fireChannelRead(in); // A first frame sent right behind the head.
        } else {
          in.release();
        }
        return;
      }
    }
    installHttp(pipeline, NAME, driver);
    pipeline.remove(this);
    ctx.fireChannelRead(msg);
  }

  /**
   * The index just past the head when {@code in} starts with a complete agent upgrade request
   * without a body, else -1. Header names and the Connection and Upgrade values compare
   * case-insensitively, as HTTP has them; Connection may list several tokens.
   */
  static int agentUpgradeHeadEnd(ByteBuf in) {
    int start = in.readerIndex();
    int end = in.writerIndex();
    if (end - start < REQUEST_LINE.length) {
      return -1;
    }
    for (int i = 0; i < REQUEST_LINE.length; i++) {
      if (in.getByte(start + i) != REQUEST_LINE[i]) {
        return -1;
      }
    }
    boolean connectionUpgrade = false;
    boolean upgrade = false;
    int line = start + REQUEST_LINE.length;
    int limit = Math.min(end, start + MAX_HEAD_BYTES);
    while (true) {
      int eol = -1;
      for (int i = line; i + 1 < limit; i++) {
        if (in.getByte(i) == '\r' && in.getByte(i + 1) == '\n') {
          eol = i;
          break;
        }
      }
      if (eol < 0) {
        return -1; // The head goes on in a later read (or is too long): the HTTP codec takes it.
      }
      if (eol == line) {
        return connectionUpgrade && upgrade ? eol + 2 : -1;
      }
      String header = in.toString(line, eol - line, StandardCharsets.US_ASCII);
      int colon = header.indexOf(':');
      if (colon <= 0) {
        return -1;
      }
      String name = header.substring(0, colon).trim();
      String value = header.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("connection")) {
        for (String token : value.split(",")) {
          connectionUpgrade |= token.trim().equalsIgnoreCase("upgrade");
        }
      } else if (name.equalsIgnoreCase("upgrade")) {
        if (upgrade || !value.equalsIgnoreCase(HttpHandler.AGENT_PROTOCOL)) {
          return -1;
        }
        upgrade = true;
      } else if (name.equalsIgnoreCase("content-length")
          || name.equalsIgnoreCase("transfer-encoding") || name.equalsIgnoreCase("expect")) {
        return -1; // A body (or the wish to send one): the HTTP path decides.
      }
      line = eol + 2;
    }
  }
}
