package io.cairn.master.internal.server;

import io.cairn.master.internal.core.CallResult;
import io.cairn.proto.mesos.v1.scheduler.Protos.Call;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.util.Optional;

/**
 * {@code POST /api/v1/scheduler} (Mesos {@code docs/scheduler-http-api.md}): SUBSCRIBE keeps the
 * connection as a RecordIO event stream with a {@code Mesos-Stream-Id}; every other call must carry
 * that header and is answered 202 (or 400/403/404 with a sentence). A master that does not lead
 * answers 307 to the leader, or 503 when none is known.
 *
 * <p>Threading: called on a Netty event loop; the core runs on the master thread.
 */
final class SchedulerApi {
  private static final String PATH = "/api/v1/scheduler";

  private SchedulerApi() {}

  static void handle(MasterDriver driver, ChannelHandlerContext ctx, FullHttpRequest request,
      HttpHandler http) {
    if (request.method() != HttpMethod.POST) {
      http.respond(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED,
          "expecting POST on " + PATH);
      return;
    }
    Optional<Boolean> jsonIn = HttpHandler.contentIsJson(request);
    if (jsonIn.isEmpty()) {
      http.respond(ctx, request, HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
          "expecting 'Content-Type' of application/json or application/x-protobuf");
      return;
    }
    Call.Builder builder = Call.newBuilder();
    String problem = HttpHandler.parse(request, jsonIn.get(), builder);
    if (problem != null) {
      http.respond(ctx, request, HttpResponseStatus.BAD_REQUEST, problem);
      return;
    }
    Call call = builder.build();
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (!driver.leading()) {
      http.redirect(ctx, keepAlive, PATH);
      return;
    }
    if (call.getType() == Call.Type.SUBSCRIBE) {
      subscribe(driver, ctx, request, http, call, jsonIn.get());
      return;
    }
    String streamId = request.headers().get(HttpStream.STREAM_ID_HEADER);
    if (streamId == null) {
      http.respond(ctx, request, HttpResponseStatus.BAD_REQUEST,
          "all non-subscribe calls must include the 'Mesos-Stream-Id' header");
      return;
    }
    driver.withCore(core -> core.onCall(streamId, call)).whenComplete((result, error) -> {
      if (error != null) {
        http.respond(ctx, keepAlive, HttpResponseStatus.INTERNAL_SERVER_ERROR,
            "the master failed on this call: " + error, "text/plain; charset=utf-8");
      } else if (result.isEmpty()) {
        http.redirect(ctx, keepAlive, PATH);
      } else {
        http.respondCall(ctx, keepAlive, result.get());
      }
    });
  }

  private static void subscribe(MasterDriver driver, ChannelHandlerContext ctx,
      FullHttpRequest request, HttpHandler http, Call call, boolean jsonIn) {
    Boolean jsonOut = HttpHandler.acceptsJson(request, jsonIn);
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (jsonOut == null) {
      http.respond(ctx, request, HttpResponseStatus.NOT_ACCEPTABLE,
          "expecting 'Accept' to allow application/json or application/x-protobuf");
      return;
    }
    String streamId = HttpHandler.newStreamId();
    HttpStream stream = new HttpStream(streamId, ctx.channel(), jsonOut);
    driver.withCore(core -> {
      driver.addStream(stream);
      CallResult result = core.onSubscribe(streamId, call);
      if (result.accepted()) {
        stream.start();
        ctx.channel().closeFuture().addListener(f -> driver.streamClosed(streamId));
      } else {
        driver.removeStream(streamId);
      }
      return result;
    }).whenComplete((result, error) -> {
      if (error != null) {
        http.respond(ctx, keepAlive, HttpResponseStatus.INTERNAL_SERVER_ERROR,
            "the master failed on this SUBSCRIBE: " + error, "text/plain; charset=utf-8");
      } else if (result.isEmpty()) {
        http.redirect(ctx, keepAlive, PATH);
      } else if (!result.get().accepted()) {
        http.respondCall(ctx, keepAlive, result.get());
      }
    });
  }
}
