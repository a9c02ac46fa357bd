package io.cairn.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A minimal Mesos v1 scheduler, as an external framework would write one: {@code java.net.http}
 * and JSON (Jackson) against {@code POST /api/v1/scheduler} (Mesos {@code
 * docs/scheduler-http-api.md}). SUBSCRIBE keeps the response open as a RecordIO stream ({@code
 * <length>\n<json>}) and remembers its {@code Mesos-Stream-Id}; every other call is a POST with
 * that header that must be answered 202. Every event ever received (over all subscriptions) is kept
 * in order, so a test waits for one with {@link #await} from an index it noted before acting.
 *
 * <p>Updates that carry a uuid are acknowledged automatically unless {@link #holdAcks} says
 * otherwise; offers are declined automatically once {@link #declineOffers} is on.
 *
 * <p>Threading: one daemon thread per subscription reads the stream ("mesos-e2e-events");
 * automatic acknowledgements and declines run on one daemon thread ("mesos-e2e-calls"); the
 * other methods are called by the test thread. The event list is a concurrent list.
 */
final class MesosSchedulerClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MesosSchedulerClient.class);
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
  private final URI endpoint;
  private final List<JsonNode> events = new CopyOnWriteArrayList<>();
  private final List<String> failedActions = new CopyOnWriteArrayList<>();
  private final ExecutorService actions = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "mesos-e2e-calls");
    thread.setDaemon(true);
    return thread;
  });
  private volatile Predicate<JsonNode> holdAck = status -> false;
  private volatile boolean declineOffers;
  private volatile String streamId;
  private volatile String frameworkId;
  private volatile InputStream stream;
  private volatile Thread reader;
  private volatile boolean streamOpen;

  /** A client of the master at {@code http://hostPort}. */
  MesosSchedulerClient(String hostPort) {
    this.endpoint = URI.create("http://" + hostPort + "/api/v1/scheduler");
  }

  /**
   * SUBSCRIBEs (with {@code frameworkInfo.id} when it has one: a re-subscription), retrying while
   * the master does not answer or does not lead yet (connection refused, 307, 503), and waits for
   * SUBSCRIBED. Returns the framework id.
   */
  String subscribe(ObjectNode frameworkInfo, Duration timeout) throws Exception {
    ObjectNode call = JSON.createObjectNode().put("type", "SUBSCRIBE");
    if (frameworkInfo.has("id")) {
      call.set("framework_id", frameworkInfo.get("id"));
    }
    call.putObject("subscribe").set("framework_info", frameworkInfo);
    HttpRequest request = HttpRequest.newBuilder(endpoint)
        .header("Content-Type", "application/json").header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(call))).build();
    long end = System.nanoTime() + timeout.toNanos();
    String last = "no attempt";
    int from = events.size();
    while (System.nanoTime() < end) {
      HttpResponse<InputStream> response;
      try {
        response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        last = "connection failed: " + e;
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
        continue;
      }
      if (response.statusCode() == 200) {
        streamId = response.headers().firstValue("Mesos-Stream-Id").orElseThrow(
            () -> new AssertionError("SUBSCRIBE answered 200 without a Mesos-Stream-Id"));
        startReader(response.body());
        JsonNode subscribed = await(e -> type(e).equals("SUBSCRIBED") || type(e).equals("ERROR"),
            from, Duration.ofSeconds(30), "SUBSCRIBED");
        if (type(subscribed).equals("ERROR")) {
          throw new AssertionError("SUBSCRIBE answered ERROR: " + subscribed);
        }
        frameworkId = subscribed.path("subscribed").path("framework_id").path("value").asText();
        return frameworkId;
      }
      try (InputStream body = response.body()) {
        last = response.statusCode() + " " + new String(body.readAllBytes(),
            StandardCharsets.UTF_8);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
    }
    throw new AssertionError("SUBSCRIBE to " + endpoint + " did not succeed within " + timeout
        + "; last answer: " + last);
  }

  private void startReader(InputStream body) {
    stream = body;
    streamOpen = true;
    String id = streamId;
    Thread thread = new Thread(() -> readEvents(body, id), "mesos-e2e-events");
    thread.setDaemon(true);
    reader = thread;
    thread.start();
  }

  private void readEvents(InputStream body, String id) {
    try {
      while (true) {
        JsonNode event = next(body);
        if (event == null) {
          LOG.info("scheduler stream={} ended by the master", id);
          return;
        }
        events.add(event);
        LOG.info("event {}", summary(event));
        react(event);
      }
    } catch (IOException e) {
      LOG.info("scheduler stream={} ended: {}", id, e.toString());
    } finally {
      if (id.equals(streamId)) {
        streamOpen = false;
      }
    }
  }

  /** One RecordIO record, or null at the end of the stream. */
  private static JsonNode next(InputStream body) throws IOException {
    StringBuilder length = new StringBuilder();
    int c;
    while ((c = body.read()) != '\n') {
      if (c < 0) {
        return null;
      }
      length.append((char) c);
    }
    byte[] record = body.readNBytes(Integer.parseInt(length.toString().strip()));
    return JSON.readTree(record);
  }

  private void react(JsonNode event) {
    if (type(event).equals("UPDATE")) {
      JsonNode status = event.path("update").path("status");
      // Updates without a uuid (reconciliation answers) must not be acknowledged.
      if (!status.path("uuid").asText("").isEmpty() && !holdAck.test(status)) {
        actions.execute(() -> background("ACKNOWLEDGE " + summary(event),
            () -> acknowledge(status)));
      }
    } else if (type(event).equals("OFFERS") && declineOffers) {
      ArrayNode ids = JSON.createArrayNode();
      event.path("offers").path("offers").forEach(offer -> ids.add(offer.path("id")));
      actions.execute(() -> background("DECLINE " + ids, () -> decline(ids, 3600)));
    }
  }

  private interface Action {
    void run() throws Exception;
  }

  private void background(String what, Action action) {
    try {
      action.run();
    } catch (Exception | AssertionError e) {
      // Recorded for the test to assert on (failedActions), and logged.
      LOG.warn("automatic {} failed: {}", what, e.toString());
      failedActions.add(what + ": " + e);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Statuses for which this returns true are not acknowledged automatically. */
  void holdAcks(Predicate<JsonNode> hold) {
    this.holdAck = hold;
  }

  void declineOffers(boolean on) {
    this.declineOffers = on;
  }

  List<String> failedActions() {
    return List.copyOf(failedActions);
  }

  /**
   * Forgets the failed actions so far: after the master was killed, an acknowledgement that was
   * in flight fails with it (Mesos's agents resend unacknowledged updates, which are then
   * acknowledged again), so a test asserts on the failures after its re-subscription only.
   */
  void forgetFailedActions() {
    failedActions.clear();
  }

  String frameworkId() {
    return frameworkId;
  }

  boolean streamOpen() {
    return streamOpen;
  }

  int eventCount() {
    return events.size();
  }

  List<JsonNode> eventsFrom(int from) {
    List<JsonNode> all = List.copyOf(events);
    return all.subList(Math.min(from, all.size()), all.size());
  }

  /** The first event at index {@code from} or later that matches, within the timeout. */
  JsonNode await(Predicate<JsonNode> wanted, int from, Duration timeout, String what) {
    long end = System.nanoTime() + timeout.toNanos();
    int index = from;
    while (true) {
      while (index < events.size()) {
        JsonNode event = events.get(index++);
        if (wanted.test(event)) {
          return event;
        }
      }
      if (System.nanoTime() >= end) {
        throw new AssertionError("no " + what + " within " + timeout + "; events since: "
            + eventsFrom(from).stream().map(MesosSchedulerClient::summary).toList());
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  /** Index of the first matching event at {@code from} or later, or -1. */
  int indexOf(Predicate<JsonNode> wanted, int from) {
    for (int i = from; i < events.size(); i++) {
      if (wanted.test(events.get(i))) {
        return i;
      }
    }
    return -1;
  }

  // ---- calls ---------------------------------------------------------------------------------

  private ObjectNode call(String type) {
    ObjectNode call = JSON.createObjectNode();
    call.putObject("framework_id").put("value", frameworkId);
    return call.put("type", type);
  }

  /** POSTs a call with the stream id; anything but 202 is an AssertionError naming the answer. */
  void send(ObjectNode call) throws Exception {
    HttpResponse<String> response = post(call);
    if (response.statusCode() != 202) {
      throw new AssertionError(call.path("type").asText() + " answered "
          + response.statusCode() + ": " + response.body());
    }
  }

  HttpResponse<String> post(ObjectNode call) throws Exception {
    return http.send(HttpRequest.newBuilder(endpoint).timeout(CALL_TIMEOUT)
        .header("Content-Type", "application/json").header("Mesos-Stream-Id", streamId)
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(call))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  void accept(JsonNode offerId, ArrayNode taskInfos, int refuseSeconds) throws Exception {
    ObjectNode call = call("ACCEPT");
    ObjectNode accept = call.putObject("accept");
    accept.putArray("offer_ids").add(offerId);
    ObjectNode launch = accept.putArray("operations").addObject().put("type", "LAUNCH");
    launch.putObject("launch").set("task_infos", taskInfos);
    accept.putObject("filters").put("refuse_seconds", refuseSeconds);
    send(call);
  }

  void decline(ArrayNode offerIds, int refuseSeconds) throws Exception {
    ObjectNode call = call("DECLINE");
    ObjectNode decline = call.putObject("decline");
    decline.set("offer_ids", offerIds);
    decline.putObject("filters").put("refuse_seconds", refuseSeconds);
    send(call);
  }

  /** Acknowledges the update that carried {@code status} (its agent, task and uuid). */
  void acknowledge(JsonNode status) throws Exception {
    ObjectNode call = call("ACKNOWLEDGE");
    ObjectNode ack = call.putObject("acknowledge");
    ack.set("agent_id", status.path("agent_id"));
    ack.set("task_id", status.path("task_id"));
    ack.set("uuid", status.path("uuid"));
    send(call);
  }

  /** Explicit reconciliation of the given tasks on the given agent. */
  void reconcile(String agentId, String... taskIds) throws Exception {
    ObjectNode call = call("RECONCILE");
    ArrayNode tasks = call.putObject("reconcile").putArray("tasks");
    for (String taskId : taskIds) {
      ObjectNode task = tasks.addObject();
      task.putObject("task_id").put("value", taskId);
      task.putObject("agent_id").put("value", agentId);
    }
    send(call);
  }

  void kill(String agentId, String taskId) throws Exception {
    ObjectNode call = call("KILL");
    ObjectNode kill = call.putObject("kill");
    kill.putObject("task_id").put("value", taskId);
    kill.putObject("agent_id").put("value", agentId);
    send(call);
  }

  void teardown() throws Exception {
    send(call("TEARDOWN"));
  }

  /** At the end of a test: TEARDOWN while subscribed (a failure is only logged), then close. */
  void teardownAndClose() throws Exception {
    if (streamOpen()) {
      try {
        teardown();
      } catch (Exception | AssertionError e) {
        LOG.warn("TEARDOWN at the end failed (the node is stopped anyway): {}", e.toString());
      }
    }
    close();
  }

  // ---- reading events ------------------------------------------------------------------------

  static String type(JsonNode event) {
    return event.path("type").asText();
  }

  /** The status of an UPDATE event for {@code taskId} in {@code state}, else null. */
  static JsonNode update(JsonNode event, String taskId, String state) {
    JsonNode status = event.path("update").path("status");
    boolean matches = type(event).equals("UPDATE")
        && status.path("task_id").path("value").asText().equals(taskId)
        && status.path("state").asText().equals(state);
    return matches ? status : null;
  }

  static String summary(JsonNode event) {
    String type = type(event);
    if (type.equals("UPDATE")) {
      JsonNode s = event.path("update").path("status");
      return "UPDATE task=" + s.path("task_id").path("value").asText() + " state="
          + s.path("state").asText() + " reason=" + s.path("reason").asText("-") + " uuid="
          + s.path("uuid").asText("-") + " message=" + s.path("message").asText("-");
    }
    if (type.equals("OFFERS")) {
      return "OFFERS " + event.path("offers").path("offers").size();
    }
    return type.equals("HEARTBEAT") ? type : event.toString();
  }

  /** Ends the current stream (the connection) and the background threads. */
  @Override
  public void close() throws Exception {
    InputStream current = stream;
    if (current != null) {
      current.close();
    }
    Thread thread = reader;
    if (thread != null) {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    }
    actions.shutdownNow();
    if (!actions.awaitTermination(5, TimeUnit.SECONDS)) {
      LOG.warn("the mesos-e2e-calls thread did not end within 5 s");
    }
  }
}
