package io.cairn.marathon.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.framework.Leadership;
import io.cairn.marathon.internal.driver.MarathonDriver;
import io.cairn.marathon.internal.model.AppJson;
import io.cairn.marathon.internal.model.Iso8601;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP connection: {@code /ping} and {@code /metrics} locally; everything else served by the
 * leader (with {@code X-Marathon-Leader}) or forwarded to it by a standby; 503 when no leader is
 * known. {@code /v2/events} is a server-sent event stream on the leader (standbys redirect).
 */
final class MarathonHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(MarathonHttpHandler.class);
  private static final String JSON = "application/json; charset=utf-8";

  private final MarathonDriver driver;
  private final MarathonApi api;
  private final HttpClient proxyClient;
  private final MarathonHttpServer.Counters counters;
  private final String ownAddress;

  MarathonHttpHandler(MarathonDriver driver, MarathonApi api, HttpClient proxyClient,
      MarathonHttpServer.Counters counters, String ownAddress) {
    this.driver = driver;
    this.api = api;
    this.proxyClient = proxyClient;
    this.counters = counters;
    this.ownAddress = ownAddress;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    counters.requests.incrementAndGet();
    QueryStringDecoder decoder = new QueryStringDecoder(request.uri());
    String path = decoder.path();
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (path.equals("/ping")) {
      String accept = request.headers().get(HttpHeaderNames.ACCEPT, "");
      write(ctx, accept.contains("application/json") ? ApiReply.json(200,
          com.fasterxml.jackson.databind.node.TextNode.valueOf("pong"))
          : ApiReply.text(200, "pong"), keepAlive);
      return;
    }
    if (path.equals("/metrics")) {
      metrics().whenComplete((body, error) -> ctx.executor().execute(() -> write(ctx,
          error != null ? MarathonApi.error(error) : ApiReply.json(200, body), keepAlive)));
      return;
    }
    Leadership leadership = driver.leadership();
    if (path.equals("/v2/leader") && request.method().name().equals("GET")) {
      write(ctx, leadership.leaderKnown() && !leadership.leaderAddress().isEmpty()
          ? ApiReply.json(200, AppJson.MAPPER.createObjectNode().put("leader",
              leadership.leaderAddress()))
          : ApiReply.message(404, "There is no leader"), keepAlive);
      return;
    }
    if (!leadership.leading()) {
      standby(ctx, request, path, leadership, keepAlive);
      return;
    }
    if (path.equals("/v2/events")) {
      events(ctx, request, decoder);
      return;
    }
    ApiRequest apiRequest = new ApiRequest(request.method().name(), path, decoder.parameters(),
        request.content().toString(StandardCharsets.UTF_8), request.uri(),
        request.headers().get(HttpHeaderNames.ACCEPT, ""), remote(ctx));
    api.handle(apiRequest).whenComplete((reply, error) -> {
      ApiReply answer = error != null ? MarathonApi.error(error) : reply;
      ctx.executor().execute(() -> write(ctx, answer.header("X-Marathon-Leader",
          "http://" + ownAddress), keepAlive));
    });
  }

  private void standby(ChannelHandlerContext ctx, FullHttpRequest request, String path,
      Leadership leadership, boolean keepAlive) {
    String leader = leadership.leaderAddress();
    if (!leadership.leaderKnown() || leader.isEmpty() || leader.equals(ownAddress)) {
      write(ctx, ApiReply.message(503, "Could not determine the current leader"), keepAlive);
      return;
    }
    if (path.equals("/v2/events")) {
      ApiReply redirect = ApiReply.text(307, "").header("Location",
          "http://" + leader + request.uri());
      write(ctx, redirect, keepAlive);
      return;
    }
    counters.proxied.incrementAndGet();
    byte[] body = new byte[request.content().readableBytes()];
    request.content().readBytes(body);
    HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create("http://" + leader
        + request.uri())).timeout(Duration.ofSeconds(10))
        .method(request.method().name(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body))
        .header("X-Marathon-Via", ownAddress);
    String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
    if (contentType != null) {
      forward.header("Content-Type", contentType);
    }
    String accept = request.headers().get(HttpHeaderNames.ACCEPT);
    if (accept != null) {
      forward.header("Accept", accept);
    }
    proxyClient.sendAsync(forward.build(), BodyHandlers.ofByteArray()).whenComplete(
        (response, error) -> ctx.executor().execute(() -> {
          if (error != null) {
            LOG.warn("proxy to leader={} failed: {}", leader, error.toString());
            write(ctx, ApiReply.message(502, "Could not reach the leader " + leader), keepAlive);
            return;
          }
          FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
              HttpResponseStatus.valueOf(response.statusCode()),
              Unpooled.wrappedBuffer(response.body()));
          response.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (!lower.equals("content-length") && !lower.equals("connection")
                && !lower.equals("transfer-encoding") && !lower.startsWith(":")) {
              out.headers().add(name, values);
            }
          });
          finish(ctx, out, keepAlive);
        }));
  }

  private void events(ChannelHandlerContext ctx, FullHttpRequest request,
      QueryStringDecoder decoder) {
    String accept = request.headers().get(HttpHeaderNames.ACCEPT, "");
    if (!accept.contains("text/event-stream")) {
      write(ctx, ApiReply.message(405, "Send 'Accept: text/event-stream' for the event stream"),
          false);
      return;
    }
    Set<String> types = new HashSet<>(decoder.parameters().getOrDefault("event_type",
        java.util.List.of()));
    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
        .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
        .set("X-Marathon-Leader", "http://" + ownAddress);
    HttpUtil.setTransferEncodingChunked(response, true);
    ctx.writeAndFlush(response);
    counters.eventStreams.incrementAndGet();
    Consumer<ObjectNode> listener = event -> {
      String type = event.path("eventType").asText();
      if (types.isEmpty() || types.contains(type)) {
        sendEvent(ctx, type, event);
      }
    };
    ObjectNode attached = AppJson.MAPPER.createObjectNode()
        .put("eventType", "event_stream_attached")
        .put("timestamp", Iso8601.format(driver.clock().wallMillis()))
        .put("remoteAddress", remote(ctx));
    sendEvent(ctx, "event_stream_attached", attached);
    driver.addListener(listener);
    ctx.channel().closeFuture().addListener(f -> {
      driver.removeListener(listener);
      counters.eventStreams.decrementAndGet();
    });
  }

  private static void sendEvent(ChannelHandlerContext ctx, String type, ObjectNode event) {
    try {
      String frame = "event: " + type + "\ndata: " + AppJson.MAPPER.writeValueAsString(event)
          + "\n\n";
      ByteBuf bytes = Unpooled.copiedBuffer(frame, StandardCharsets.UTF_8);
      ctx.writeAndFlush(new DefaultHttpContent(bytes));
    } catch (JsonProcessingException e) {
      LOG.warn("event type={} not serialisable; dropped", type, e);
    }
  }

  /** Marathon's /metrics shape; the core gauges only while this instance leads. */
  private java.util.concurrent.CompletableFuture<ObjectNode> metrics() {
    ObjectNode root = AppJson.MAPPER.createObjectNode().put("version", "4.0.0");
    ObjectNode counts = root.putObject("counters");
    counts.putObject("marathon.http.requests.counter").put("count", counters.requests.get());
    counts.putObject("marathon.http.proxied.counter").put("count", counters.proxied.get());
    counts.putObject("marathon.http.responses.4xx.counter")
        .put("count", counters.errors4xx.get());
    counts.putObject("marathon.http.responses.5xx.counter")
        .put("count", counters.errors5xx.get());
    ObjectNode gauges = root.putObject("gauges");
    gauges.putObject("marathon.leadership.gauge").put("value",
        driver.leadership().leading() ? 1 : 0);
    gauges.putObject("marathon.http.event-streams.active.gauge")
        .put("value", counters.eventStreams.get());
    root.putObject("meters");
    root.putObject("histograms");
    root.putObject("timers");
    return driver.call(core -> Map.of("apps", core.apps().size(),
        "instances", core.instances().size(), "deployments", core.deployments().size(),
        "queued", core.queue(driver.clock().wallMillis()).values().stream()
            .mapToInt(Integer::intValue).sum()))
        .handle((sizes, error) -> {
          if (sizes != null) {
            new java.util.TreeMap<>(sizes).forEach((k, v) -> gauges.putObject(
                "marathon." + k + ".active.gauge").put("value", v));
          }
          return root;
        });
  }

  private void write(ChannelHandlerContext ctx, ApiReply reply, boolean keepAlive) {
    byte[] body;
    String type;
    try {
      if (reply.rendered() != null) {
        body = reply.rendered().get();
        type = JSON;
      } else {
        body = reply.json() != null ? AppJson.MAPPER.writeValueAsBytes(reply.json())
            : reply.text().getBytes(StandardCharsets.UTF_8);
        type = reply.json() != null ? JSON : "text/plain; charset=utf-8";
      }
    } catch (JsonProcessingException | java.io.UncheckedIOException e) {
      LOG.warn("marathon response not serialisable; answering 500", e);
      body = "{\"message\":\"response not serialisable\"}".getBytes(StandardCharsets.UTF_8);
      type = JSON;
      reply = new ApiReply(500, null, null, null, reply.headers());
    }
    if (reply.status() >= 500) {
      counters.errors5xx.incrementAndGet();
    } else if (reply.status() >= 400) {
      counters.errors4xx.incrementAndGet();
    }
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(reply.status()), Unpooled.wrappedBuffer(body));
    if (body.length > 0 || reply.status() != 204) {
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    }
    reply.headers().forEach((k, v) -> response.headers().set(k, v));
    finish(ctx, response, keepAlive);
  }

  private static void finish(ChannelHandlerContext ctx, FullHttpResponse response,
      boolean keepAlive) {
    HttpUtil.setContentLength(response, response.content().readableBytes());
    if (keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      ctx.writeAndFlush(response);
    } else {
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static String remote(ChannelHandlerContext ctx) {
    return String.valueOf(ctx.channel().remoteAddress()).replaceFirst("^/", "");
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("marathon http connection closed: {}", cause.toString());
    ctx.close();
  }
}
