package io.cairn.master.internal.server;

import com.google.protobuf.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One scheduler's SUBSCRIBE response: a chunked HTTP 200 whose body is a RecordIO stream of
 * events ({@code <decimal length>\n<record>}, Mesos {@code docs/recordio.md}), in JSON or
 * protobuf. Events sent before {@link #start} are held back so that the headers (with {@code
 * Mesos-Stream-Id}) always go first.
 *
 * <p>Threading: used only on the master thread; Netty orders the writes it makes.
 */
final class HttpStream {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HttpStream.class);
  static final String STREAM_ID_HEADER = "Mesos-Stream-Id";

  private final String id;
  private final Channel channel;
  private final boolean json;
  private final List<Message> held = new ArrayList<>();
  private boolean started;
  private boolean closed;

  HttpStream(String id, Channel channel, boolean json) {
    this.id = id;
    this.channel = channel;
    this.json = json;
  }

  String id() {
    return id;
  }

  /** Writes the 200 headers and everything held so far. */
  void start() {
    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
        .set(HttpHeaderNames.CONTENT_TYPE, json ? "application/json" : "application/x-protobuf")
        .set(STREAM_ID_HEADER, id);
    channel.write(response);
    started = true;
    held.forEach(this::write);
    held.clear();
    channel.flush();
  }

  void send(Message event) {
    if (closed) {
      return;
    }
    if (!started) {
      held.add(event);
      return;
    }
    if (channel.bytesBeforeWritable() > MasterDriver.MAX_PENDING_BYTES) {
      LOG.warn("closing scheduler stream={} peer={}: more than {} bytes wait to be sent", id,
          channel.remoteAddress(), MasterDriver.MAX_PENDING_BYTES);
      close();
      return;
    }
    write(event);
    channel.flush();
  }

  /** Ends the stream and the connection. */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (started) {
      channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
          .addListener(ChannelFutureListener.CLOSE);
    } else {
      channel.close();
    }
  }

  private void write(Message event) {
    channel.write(new DefaultHttpContent(record(event, json)));
  }

  /** One RecordIO record. */
  static ByteBuf record(Message message, boolean json) {
    byte[] bytes = json ? toJson(message).getBytes(StandardCharsets.UTF_8)
        : message.toByteArray();
    byte[] prefix = (bytes.length + "\n").getBytes(StandardCharsets.US_ASCII);
    return Unpooled.wrappedBuffer(prefix, bytes);
  }

  /** Mesos's JSON: 64-bit integers as numbers (see {@link ProtoJson}). */
  static String toJson(Message message) {
    return ProtoJson.print(message);
  }
}
