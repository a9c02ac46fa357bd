package io.cairn.master.internal.server;

import com.google.protobuf.util.JsonFormat;
import io.cairn.proto.mesos.v1.scheduler.Protos.Call;
import io.cairn.proto.mesos.v1.scheduler.Protos.Event;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;

/** A v1 scheduler over java.net.http: one SUBSCRIBE stream (JSON RecordIO) plus calls. */
final class TestScheduler implements AutoCloseable {
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .followRedirects(HttpClient.Redirect.NEVER).build();
  private final String base;
  private InputStream events;
  String streamId;

  TestScheduler(String base) {
    this.base = base;
  }

  HttpResponse<InputStream> subscribe(Call call) throws IOException, InterruptedException {
    HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(
            URI.create(base + "/api/v1/scheduler"))
        .header("Content-Type", "application/json").header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JsonFormat.printer().print(call))).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    events = response.body();
    streamId = response.headers().firstValue("Mesos-Stream-Id").orElse(null);
    return response;
  }

  /** The next event that matches, skipping others; reading blocks until the master sends. */
  Event await(Predicate<Event> wanted) throws IOException {
    while (true) {
      Event event = next();
      if (wanted.test(event)) {
        return event;
      }
    }
  }

  Event next() throws IOException {
    StringBuilder length = new StringBuilder();
    int c;
    while ((c = events.read()) != '\n') {
      if (c < 0) {
        throw new IOException("the event stream ended");
      }
      length.append((char) c);
    }
    byte[] record = events.readNBytes(Integer.parseInt(length.toString()));
    Event.Builder event = Event.newBuilder();
    JsonFormat.parser().merge(new String(record, StandardCharsets.UTF_8), event);
    return event.build();
  }

  HttpResponse<String> call(Call call) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/scheduler"))
        .header("Content-Type", "application/x-protobuf").header("Mesos-Stream-Id", streamId)
        .POST(HttpRequest.BodyPublishers.ofByteArray(call.toByteArray())).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws IOException {
    if (events != null) {
      events.close();
    }
  }

  @SuppressWarnings("unused")
  private static byte[] drain(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toByteArray();
  }
}
