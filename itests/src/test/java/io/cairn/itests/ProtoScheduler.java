package io.cairn.itests;

import io.cairn.proto.mesos.v1.Protos.FrameworkID;
import io.cairn.proto.mesos.v1.Protos.FrameworkInfo;
import io.cairn.proto.mesos.v1.scheduler.Protos.Call;
import io.cairn.proto.mesos.v1.scheduler.Protos.Event;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A minimal Mesos v1 scheduler over HTTP with the protobuf content type (Mesos {@code
 * docs/scheduler-http-api.md}): SUBSCRIBE keeps the response open as a RecordIO stream of {@code
 * Event}s ({@code <length>\n<bytes>}); every other call is a POST with the {@code
 * Mesos-Stream-Id} that must be answered 202. Uses only the JDK and the generated protos, so it
 * runs inside the Pax Exam probe.
 *
 * <p>Threading: one daemon thread reads the stream and hands each event to the handler in order;
 * {@link #callLater} sends calls from one daemon thread, so the reader never blocks on the
 * master. Failed calls are kept in {@link #failures}.
 */
final class ProtoScheduler implements AutoCloseable {
  private static final String PROTOBUF = "application/x-protobuf";

  private final String endpoint;
  private final ExecutorService calls = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "it-scheduler-calls");
    thread.setDaemon(true);
    return thread;
  });
  final List<String> failures = new CopyOnWriteArrayList<>();
  private volatile HttpURLConnection subscription;
  private volatile String streamId;
  private volatile String frameworkId;
  private volatile Thread reader;

  ProtoScheduler(String hostPort) {
    this.endpoint = "http://" + hostPort + "/api/v1/scheduler";
  }

  /**
   * SUBSCRIBEs and starts reading; retries while the master is not up or not leading yet. Every
   * event, SUBSCRIBED included, goes to {@code handler} on the reader thread.
   */
  void subscribe(FrameworkInfo info, Consumer<Event> handler, long timeoutMs)
      throws InterruptedException {
    Call call = Call.newBuilder().setType(Call.Type.SUBSCRIBE)
        .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info)).build();
    long deadline = System.currentTimeMillis() + timeoutMs;
    String last = "no attempt";
    while (System.currentTimeMillis() < deadline) {
      try {
        HttpURLConnection connection = post(call, null);
        connection.setReadTimeout(0);
        int code = connection.getResponseCode();
        if (code == 200) {
          subscription = connection;
          streamId = connection.getHeaderField("Mesos-Stream-Id");
          InputStream events = connection.getInputStream();
          Thread thread = new Thread(() -> read(events, handler), "it-scheduler-events");
          thread.setDaemon(true);
          reader = thread;
          thread.start();
          return;
        }
        last = code + " " + body(connection);
        connection.disconnect();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(250);
    }
    throw new AssertionError("SUBSCRIBE to " + endpoint + " failed for " + timeoutMs
        + " ms; last answer: " + last);
  }

  private void read(InputStream events, Consumer<Event> handler) {
    try {
      while (true) {
        StringBuilder length = new StringBuilder();
        int c;
        while ((c = events.read()) != '\n') {
          if (c < 0) {
            return;
          }
          length.append((char) c);
        }
        Event event = Event.parseFrom(events.readNBytes(
            Integer.parseInt(length.toString().trim())));
        if (event.getType() == Event.Type.SUBSCRIBED) {
          frameworkId = event.getSubscribed().getFrameworkId().getValue();
        }
        handler.accept(event);
      }
    } catch (IOException | RuntimeException e) {
      if (subscription != null) {
        failures.add("event stream: " + e);
      }
    }
  }

  String frameworkId() {
    return frameworkId;
  }

  /** Sends {@code call} (its framework id filled in) from the calls thread. */
  void callLater(Call.Builder call) {
    Call built = call.setFrameworkId(FrameworkID.newBuilder().setValue(frameworkId)).build();
    calls.execute(() -> {
      try {
        HttpURLConnection connection = post(built, streamId);
        int code = connection.getResponseCode();
        if (code != 202) {
          failures.add(built.getType() + " answered " + code + ": " + body(connection));
        }
        connection.disconnect();
      } catch (IOException e) {
        failures.add(built.getType() + " failed: " + e);
      }
    });
  }

  private HttpURLConnection post(Call call, String stream) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) new URL(endpoint).openConnection();
    connection.setConnectTimeout(5_000);
    connection.setReadTimeout(15_000);
    connection.setRequestMethod("POST");
    connection.setDoOutput(true);
    connection.setRequestProperty("Content-Type", PROTOBUF);
    connection.setRequestProperty("Accept", PROTOBUF);
    if (stream != null) {
      connection.setRequestProperty("Mesos-Stream-Id", stream);
    }
    try (OutputStream out = connection.getOutputStream()) {
      out.write(call.toByteArray());
    }
    return connection;
  }

  private static String body(HttpURLConnection connection) {
    try (InputStream in = connection.getErrorStream() != null ? connection.getErrorStream()
        : connection.getInputStream()) {
      return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no body: " + e + ")";
    }
  }

  /**
   * Sends the calls still queued, then closes the stream (the master sees the framework
   * disconnect) and stops the threads.
   */
  @Override
  public void close() throws InterruptedException {
    calls.shutdown();
    calls.awaitTermination(5, TimeUnit.SECONDS);
    HttpURLConnection current = subscription;
    subscription = null;
    if (current != null) {
      current.disconnect();
    }
    Thread thread = reader;
    if (thread != null) {
      thread.join(5_000);
    }
    calls.shutdownNow();
  }
}
