package io.cairn.master.internal.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /cairn/agent/v1} with {@code Connection: Upgrade} and {@code Upgrade:
 * cairn-agent/1}: the leading master answers 101 and turns the connection into the agent channel
 * (length-prefixed {@code AgentMessage} frames, see {@link AgentFrameHandler}); a master that does
 * not lead answers 307 to the leader's same path, or 503 when none is known. Any other request on
 * the path is a 400 with a sentence.
 *
 * <p>Threading: runs on the channel's Netty event loop, so the pipeline switch happens before the
 * next bytes are read.
 */
final class AgentUpgrade {
  private static final Logger LOG = LoggerFactory.getLogger(AgentUpgrade.class);

  private AgentUpgrade() {}

  static void handle(MasterDriver driver, ChannelHandlerContext ctx, FullHttpRequest request,
      HttpHandler http) {
    String upgrade = request.headers().get(HttpHeaderNames.UPGRADE, "");
    boolean connectionUpgrade = request.headers()
        .containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    if (request.method() != HttpMethod.GET || !connectionUpgrade
        || !upgrade.equalsIgnoreCase(HttpHandler.AGENT_PROTOCOL)) {
      http.respond(ctx, request, HttpResponseStatus.BAD_REQUEST,
          "the agent channel needs GET with 'Connection: Upgrade' and 'Upgrade: "
              + HttpHandler.AGENT_PROTOCOL + "'");
      return;
    }
    if (!driver.leading()) {
      http.redirect(ctx, request, HttpHandler.AGENT_PATH);
      return;
    }
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.SWITCHING_PROTOCOLS);
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
        .set(HttpHeaderNames.UPGRADE, HttpHandler.AGENT_PROTOCOL);
    // Encoded synchronously by the HTTP codec, which is removed right after.
    ctx.writeAndFlush(response);
    // The frame handlers go in first, so bytes the HTTP decoder already buffered reach them when
    // it is removed.
    ChannelPipeline pipeline = ctx.pipeline();
    long connectionId = driver.agentConnected(ctx.channel());
    AgentFrameHandler.install(pipeline, driver, connectionId);
    pipeline.remove(http);
    pipeline.remove(MasterHttpServer.AGGREGATOR);
    pipeline.remove(MasterHttpServer.HTTP_CODEC);
    LOG.debug("agent channel open connection={} peer={}", connectionId,
        ctx.channel().remoteAddress());
  }
}
