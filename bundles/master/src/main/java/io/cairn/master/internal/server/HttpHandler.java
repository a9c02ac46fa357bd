package io.cairn.master.internal.server;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.cairn.master.internal.core.CallResult;
import io.cairn.proto.mesos.v1.master.Protos.Response;
import io.cairn.proto.mesos.v1.scheduler.Protos.Call;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the master's HTTP port: {@code /api/v1/scheduler} (v1 scheduler API), {@code /api/v1}
 * (operator API), {@code /master/state}, {@code /redirect}, {@code /health}, {@code /metrics} and
 * the agent channel upgrade {@code /cairn/agent/v1}. Every refusal is a status code with a
 * one-sentence text body.
 *
 * <p>Threading: runs on the channel's Netty event loop; anything that needs the core goes through
 * {@link MasterDriver#withCore}, and the response is written from the master thread.
 */
final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(HttpHandler.class);
  static final String AGENT_PATH = "/cairn/agent/v1";
  static final String AGENT_PROTOCOL = "cairn-agent/1";
  private static final String JSON = "application/json";
  private static final String PROTOBUF = "application/x-protobuf";

  private final MasterDriver driver;

  HttpHandler(MasterDriver driver) {
    this.driver = driver;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    String path = new QueryStringDecoder(request.uri()).path();
    switch (path) {
      case "/health", "/master/health" -> respond(ctx, request, HttpResponseStatus.OK, "");
      case "/redirect", "/master/redirect" -> redirect(ctx, request, "");
      case "/api/v1/scheduler" -> SchedulerApi.handle(driver, ctx, request, this);
      case "/api/v1" -> operator(ctx, request);
      case "/master/state", "/master/state.json", "/state", "/state.json" -> state(ctx, request);
      case "/metrics", "/metrics/prometheus" -> metrics(ctx, request);
      case AGENT_PATH -> AgentUpgrade.handle(driver, ctx, request, this);
      default -> respond(ctx, request, HttpResponseStatus.NOT_FOUND,
          "no endpoint " + path + " on the Cairn master");
    }
  }

  private void state(ChannelHandlerContext ctx, FullHttpRequest request) {
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    driver.withCore(core -> core.state()).whenComplete((state, error) -> {
      if (error != null) {
        respond(ctx, keepAlive, HttpResponseStatus.INTERNAL_SERVER_ERROR,
            "the master failed to build its state: " + error, "text/plain");
        return;
      }
      String json = StateJson.render(state, driver.leadingInfo(), driver.leaderAddress(),
          driver.settings(), driver.startMs(), driver.electedMs());
      respond(ctx, keepAlive, HttpResponseStatus.OK, json, JSON);
    });
  }

  private void metrics(ChannelHandlerContext ctx, FullHttpRequest request) {
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    driver.withCore(core -> core.state()).whenComplete((state, error) -> {
      if (error != null) {
        respond(ctx, keepAlive, HttpResponseStatus.INTERNAL_SERVER_ERROR,
            "the master failed to build its metrics: " + error, "text/plain");
        return;
      }
      respond(ctx, keepAlive, HttpResponseStatus.OK,
          MetricsText.render(state, driver.uptimeMs()),
          "text/plain; version=0.0.4");
    });
  }

  private void operator(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (request.method() != HttpMethod.POST) {
      respond(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "expecting POST on /api/v1");
      return;
    }
    Optional<Boolean> jsonIn = contentIsJson(request);
    if (jsonIn.isEmpty()) {
      respond(ctx, request, HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
          "expecting 'Content-Type' of application/json or application/x-protobuf");
      return;
    }
    io.cairn.proto.mesos.v1.master.Protos.Call.Builder call =
        io.cairn.proto.mesos.v1.master.Protos.Call.newBuilder();
    String problem = parse(request, jsonIn.get(), call);
    if (problem != null) {
      respond(ctx, request, HttpResponseStatus.BAD_REQUEST, problem);
      return;
    }
    Boolean accepts = acceptsJson(request, jsonIn.get());
    if (accepts == null) {
      respond(ctx, request, HttpResponseStatus.NOT_ACCEPTABLE,
          "expecting 'Accept' to allow application/json or application/x-protobuf");
      return;
    }
    boolean jsonOut = accepts;
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    Response.Builder response = Response.newBuilder();
    switch (call.getType()) {
      case GET_HEALTH -> {
        response.setType(Response.Type.GET_HEALTH)
            .setGetHealth(Response.GetHealth.newBuilder().setHealthy(true));
        respondMessage(ctx, keepAlive, response.build(), jsonOut);
        return;
      }
      case SUBSCRIBE -> {
        subscribeOperator(ctx, keepAlive, jsonOut);
        return;
      }
      case GET_STATE, GET_AGENTS, GET_FRAMEWORKS, GET_TASKS, GET_MASTER -> { }
      default -> {
        respond(ctx, request, HttpResponseStatus.BAD_REQUEST,
            "operator call " + call.getType() + " is not supported by this master");
        return;
      }
    }
    driver.withCore(core -> core.state()).whenComplete((state, error) -> {
      if (error != null || state.isEmpty()) {
        if (error != null) {
          respond(ctx, keepAlive, HttpResponseStatus.INTERNAL_SERVER_ERROR,
              "the master failed to build its state: " + error, "text/plain");
        } else {
          redirect(ctx, keepAlive, "/api/v1");
        }
        return;
      }
      Response.GetState s = state.get();
      response.setType(Response.Type.valueOf(call.getType().name()));
      switch (call.getType()) {
        case GET_STATE -> response.setGetState(s);
        case GET_AGENTS -> response.setGetAgents(s.getGetAgents());
        case GET_FRAMEWORKS -> response.setGetFrameworks(s.getGetFrameworks());
        case GET_TASKS -> response.setGetTasks(s.getGetTasks());
        default -> response.setGetMaster(Response.GetMaster.newBuilder()
            .setMasterInfo(driver.leadingInfo().orElseThrow()));
      }
      respondMessage(ctx, keepAlive, response.build(), jsonOut);
    });
  }

  /** Operator SUBSCRIBE: a RecordIO stream of master events on this connection. */
  private void subscribeOperator(ChannelHandlerContext ctx, boolean keepAlive, boolean json) {
    String streamId = newStreamId();
    HttpStream stream = new HttpStream(streamId, ctx.channel(), json);
    driver.withCore(core -> {
      driver.addStream(stream);
      CallResult result = core.onOperatorSubscribe(streamId);
      if (result.accepted()) {
        stream.start();
        ctx.channel().closeFuture().addListener(f -> driver.streamClosed(streamId));
      } else {
        driver.removeStream(streamId);
      }
      return result;
    }).whenComplete((result, error) -> {
      if (error != null) {
        respond(ctx, keepAlive, HttpResponseStatus.INTERNAL_SERVER_ERROR,
            "the master failed on this SUBSCRIBE: " + error, "text/plain; charset=utf-8");
      } else if (result.isEmpty()) {
        redirect(ctx, keepAlive, "/api/v1");
      } else if (!result.get().accepted()) {
        respondCall(ctx, keepAlive, result.get());
      }
    });
  }

  // ------------------------------------------------------------------------------------------
  // Helpers shared with SchedulerApi and AgentUpgrade.
  // ------------------------------------------------------------------------------------------

  /** JSON or protobuf by Content-Type; empty when it is neither. */
  static Optional<Boolean> contentIsJson(FullHttpRequest request) {
    String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
    if (type.startsWith(JSON)) {
      return Optional.of(true);
    }
    if (type.startsWith(PROTOBUF)) {
      return Optional.of(false);
    }
    return Optional.empty();
  }

  /** JSON or protobuf by Accept (default: as the request); null when it allows neither. */
  static Boolean acceptsJson(FullHttpRequest request, boolean requestJson) {
    String accept = request.headers().get(HttpHeaderNames.ACCEPT);
    if (accept == null || accept.isBlank()) {
      return requestJson;
    }
    if (accept.contains(PROTOBUF)) {
      return false;
    }
    if (accept.contains(JSON) || accept.contains("*/*")) {
      return true;
    }
    return null;
  }

  /** Parses the body into {@code builder}; a sentence on failure, else null. */
  static String parse(FullHttpRequest request, boolean json, Message.Builder builder) {
    try {
      if (json) {
        JsonFormat.parser().ignoringUnknownFields()
            .merge(request.content().toString(StandardCharsets.UTF_8), builder);
      } else {
        builder.mergeFrom(ByteBufUtil.getBytes(request.content()));
      }
      if (!builder.isInitialized()) {
        return "the call lacks required fields: " + builder.getInitializationErrorString();
      }
      return null;
    } catch (InvalidProtocolBufferException e) {
      return "failed to parse the body into a " + builder.getDescriptorForType().getFullName()
          + ": " + e.getMessage();
    }
  }

  void respondMessage(ChannelHandlerContext ctx, boolean keepAlive, Message message,
      boolean json) {
    byte[] bytes = json ? HttpStream.toJson(message).getBytes(StandardCharsets.UTF_8)
        : message.toByteArray();
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.OK, Unpooled.wrappedBuffer(bytes));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, json ? JSON : PROTOBUF);
    send(ctx, keepAlive, response);
  }

  void respond(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
      String body) {
    respond(ctx, HttpUtil.isKeepAlive(request), status, body, "text/plain; charset=utf-8");
  }

  void respond(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status,
      String body, String contentType) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    send(ctx, keepAlive, response);
  }

  void respondCall(ChannelHandlerContext ctx, boolean keepAlive, CallResult result) {
    HttpResponseStatus status = switch (result.status()) {
      case ACCEPTED -> HttpResponseStatus.ACCEPTED;
      case BAD_REQUEST -> HttpResponseStatus.BAD_REQUEST;
      case FORBIDDEN -> HttpResponseStatus.FORBIDDEN;
      case NOT_FOUND -> HttpResponseStatus.NOT_FOUND;
      case NOT_LEADER -> HttpResponseStatus.SERVICE_UNAVAILABLE;
    };
    respond(ctx, keepAlive, status, result.message(), "text/plain; charset=utf-8");
  }

  /** 307 to the leader ({@code //host:port<path>}, Mesos's form), or 503 when none is known. */
  void redirect(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
    redirect(ctx, HttpUtil.isKeepAlive(request), path);
  }

  void redirect(ChannelHandlerContext ctx, boolean keepAlive, String path) {
    Optional<String> leader = driver.leaderAddress();
    if (leader.isEmpty()) {
      respond(ctx, keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE,
          "no leading master is elected yet; retry shortly", "text/plain; charset=utf-8");
      return;
    }
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.TEMPORARY_REDIRECT, Unpooled.EMPTY_BUFFER);
    response.headers().set(HttpHeaderNames.LOCATION, "//" + leader.get() + path);
    send(ctx, keepAlive, response);
  }

  private static void send(ChannelHandlerContext ctx, boolean keepAlive,
      FullHttpResponse response) {
    HttpUtil.setContentLength(response, response.content().readableBytes());
    if (keepAlive) {
      HttpUtil.setKeepAlive(response, true);
      ctx.writeAndFlush(response);
    } else {
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  static String newStreamId() {
    return UUID.randomUUID().toString();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("closing HTTP connection peer={} reason={}", ctx.channel().remoteAddress(),
        cause.toString());
    ctx.close();
  }
}
