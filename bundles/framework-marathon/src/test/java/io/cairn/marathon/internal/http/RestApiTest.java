package io.cairn.marathon.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.env.Clock;
import io.cairn.framework.Leadership;
import io.cairn.marathon.internal.core.MarathonCore;
import io.cairn.marathon.internal.driver.MarathonDriver;
import io.cairn.marathon.internal.model.AppJson;
import io.cairn.marathon.internal.store.ZkStateStore;
import io.cairn.proto.mesos.v1.Protos.AgentID;
import io.cairn.proto.mesos.v1.Protos.FrameworkID;
import io.cairn.proto.mesos.v1.Protos.Offer;
import io.cairn.proto.mesos.v1.Protos.OfferID;
import io.cairn.proto.mesos.v1.Protos.Resource;
import io.cairn.proto.mesos.v1.Protos.TaskID;
import io.cairn.proto.mesos.v1.Protos.TaskInfo;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import io.cairn.proto.mesos.v1.Protos.TaskStatus;
import io.cairn.proto.mesos.v1.Protos.Value;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * REST API v2 over real sockets: a leading instance (state in a real ZooKeeper server through
 * Curator, a strict recording SchedulerDriver in place of the master) and a standby that proxies
 * to it. Marathon's status codes, headers and bodies.
 */
class RestApiTest {
  static final String SEED = "{\"id\":\"/ocfweb/web\",\"cpus\":1,\"mem\":1024,\"instances\":3,"
      + "\"container\":{\"type\":\"DOCKER\",\"docker\":{\"image\":\"ocf/web:1\"}}}";

  @TempDir File dir;
  private ServerCnxnFactory factory;
  private ZooKeeperServer zk;
  private CuratorFramework curator;
  private MarathonDriver leaderDriver;
  private MarathonHttpServer leaderHttp;
  private MarathonDriver standbyDriver;
  private MarathonHttpServer standbyHttp;
  private String leader;
  private String standby;
  private final RecordingSchedulerDriver master = new RecordingSchedulerDriver();
  private final HttpClient client = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();
  private int offers;

  @BeforeEach
  void start() throws Exception {
    zk = new ZooKeeperServer(new File(dir, "snap"), new File(dir, "log"), 2000);
    factory = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", 0), 20);
    factory.startup(zk);
    curator = CuratorFrameworkFactory.newClient("127.0.0.1:" + factory.getLocalPort(),
        new RetryOneTime(100));
    curator.start();
    curator.blockUntilConnected();
    ZkStateStore store = new ZkStateStore(curator, "/marathon");
    leaderDriver = new MarathonDriver(Clock.system(), MarathonCore.Settings.defaults(),
        () -> store, 1);
    leaderHttp = new MarathonHttpServer(leaderDriver, new MarathonApi(leaderDriver,
        new MarathonApi.Info("marathon", "1.11.0-cairn", "127.0.0.1:0", "zk", 0)), "");
    leader = "127.0.0.1:" + leaderHttp.start("127.0.0.1", 0).getPort();
    leaderHttp.advertise(leader);
    standbyDriver = new MarathonDriver(Clock.system(), MarathonCore.Settings.defaults(),
        () -> store, 2);
    standbyHttp = new MarathonHttpServer(standbyDriver, new MarathonApi(standbyDriver,
        new MarathonApi.Info("marathon", "1.11.0-cairn", "127.0.0.1:0", "zk", 0)), "");
    standby = "127.0.0.1:" + standbyHttp.start("127.0.0.1", 0).getPort();
    standbyHttp.advertise(standby);
    leaderDriver.leadership(Leadership.leader(leader));
    standbyDriver.leadership(Leadership.standby(leader, true));
    leaderDriver.subscribed(master);
    await(() -> leaderDriver.isSubscribed(), "subscribed");
  }

  @AfterEach
  void stop() {
    standbyHttp.close();
    standbyDriver.close();
    leaderHttp.close();
    leaderDriver.close();
    curator.close();
    factory.shutdown();
    zk.shutdown();
  }

  HttpResponse<String> send(String host, String method, String path, String body)
      throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + path))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body)).build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> response) throws Exception {
    return AppJson.MAPPER.readTree(response.body());
  }

  Offer offer(String host) {
    offers++;
    return master.offer(Offer.newBuilder().setId(OfferID.newBuilder().setValue("o" + offers))
        .setFrameworkId(FrameworkID.newBuilder().setValue("fw-test"))
        .setAgentId(AgentID.newBuilder().setValue("agent-" + host)).setHostname(host)
        .addResources(scalar("cpus", 4)).addResources(scalar("mem", 8192))
        .addResources(Resource.newBuilder().setName("ports").setType(Value.Type.RANGES)
            .setRanges(Value.Ranges.newBuilder().addRange(Value.Range.newBuilder()
                .setBegin(31000).setEnd(31100)))).build());
  }

  static Resource scalar(String name, double value) {
    return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
  }

  void running(TaskInfo task) {
    leaderDriver.update(master, TaskStatus.newBuilder().setTaskId(task.getTaskId())
        .setAgentId(task.getAgentId()).setState(TaskState.TASK_RUNNING).build());
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    io.cairn.marathon.internal.Await.await(condition, Duration.ofSeconds(10), what);
  }

  @Test
  void theSeedAppIsCreatedLaunchedAndDeleted() throws Exception {
    HttpResponse<String> created = send(leader, "POST", "/v2/apps", SEED);
    assertEquals(201, created.statusCode(), created.body());
    assertEquals("/ocfweb/web", created.headers().firstValue("Location").orElseThrow());
    String deploymentId = created.headers().firstValue("Marathon-Deployment-Id").orElseThrow();
    JsonNode app = json(created);
    assertEquals(deploymentId, app.get("deployments").get(0).get("id").asText());
    assertEquals(0, app.get("tasksRunning").asInt());
    assertEquals("http://" + leader, created.headers().firstValue("X-Marathon-Leader")
        .orElseThrow());
    assertEquals(409, send(leader, "POST", "/v2/apps", SEED).statusCode());

    leaderDriver.offers(master, List.of(offer("h1")));
    await(() -> master.launched.size() == 3, "three launches");
    TaskInfo task = master.launched.get(0);
    assertEquals("ocf/web:1", task.getContainer().getDocker().getImage());
    master.launched.forEach(this::running);
    await(() -> {
      try {
        return json(send(leader, "GET", "/v2/deployments", null)).size() == 0;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, "deployment finished");

    JsonNode got = json(send(leader, "GET", "/v2/apps/ocfweb/web", null)).get("app");
    assertEquals(3, got.get("tasksRunning").asInt());
    assertEquals(3, got.get("tasks").size());
    assertEquals(3, json(send(leader, "GET", "/v2/tasks", null)).get("tasks").size());
    assertEquals(3, json(send(leader, "GET", "/v2/apps?embed=apps.tasks", null)).get("apps")
        .get(0).get("tasks").size());

    HttpResponse<String> scaled = send(leader, "PUT", "/v2/apps/ocfweb/web",
        "{\"instances\":1}");
    assertEquals(200, scaled.statusCode(), scaled.body());
    assertTrue(json(scaled).has("deploymentId"));
    await(() -> master.killed.size() == 2, "scale-down kills");

    HttpResponse<String> deleted = send(leader, "DELETE", "/v2/apps/ocfweb/web", null);
    assertEquals(200, deleted.statusCode());
    assertTrue(json(deleted).has("deploymentId"));
    HttpResponse<String> missing = send(leader, "GET", "/v2/apps/ocfweb/web", null);
    assertEquals(404, missing.statusCode());
    assertEquals("{\"message\":\"App '/ocfweb/web' does not exist\"}", missing.body());
    assertEquals(List.of(), master.violations);
  }

  @Test
  void badDefinitionsGet422WithMarathonsBody() throws Exception {
    HttpResponse<String> response = send(leader, "POST", "/v2/apps",
        "{\"id\":\"/ocfweb/web\",\"cmd\":\"x\",\"cpus\":-1}");
    assertEquals(422, response.statusCode());
    assertEquals("{\"message\":\"Object is not valid\",\"details\":[{\"path\":\"/cpus\","
        + "\"errors\":[\"got -1.0, expected 0.001 or more\"]}]}", response.body());
    HttpResponse<String> typed = send(leader, "POST", "/v2/apps", "{\"id\":5,\"cmd\":\"x\"}");
    assertEquals(422, typed.statusCode());
    assertEquals("{\"message\":\"Invalid JSON\",\"details\":[{\"path\":\"/id\","
        + "\"errors\":[\"error.expected.jsstring\"]}]}", typed.body());
    HttpResponse<String> broken = send(leader, "POST", "/v2/apps", "{\"id\":");
    assertEquals(400, broken.statusCode());
    assertEquals("Invalid JSON", json(broken).get("message").asText());
  }

  @Test
  void aStandbyProxiesToTheLeader() throws Exception {
    HttpResponse<String> created = send(standby, "POST", "/v2/apps", SEED);
    assertEquals(201, created.statusCode(), created.body());
    assertEquals("http://" + leader, created.headers().firstValue("X-Marathon-Leader")
        .orElseThrow());
    JsonNode apps = json(send(standby, "GET", "/v2/apps", null));
    assertEquals("/ocfweb/web", apps.get("apps").get(0).get("id").asText());
    assertEquals(leader, json(send(standby, "GET", "/v2/leader", null)).get("leader")
        .asText());
    assertEquals("pong", send(standby, "GET", "/ping", null).body());
    JsonNode metrics = json(send(leader, "GET", "/metrics", null));
    assertEquals(1, metrics.get("gauges").get("marathon.apps.active.gauge").get("value").asInt());
    assertEquals(1, metrics.get("gauges").get("marathon.leadership.gauge").get("value").asInt());
    assertTrue(metrics.get("counters").get("marathon.http.requests.counter").get("count")
        .asLong() > 0);
  }

  @Test
  void queueShowsWhyOffersWereNotUsedAndInfoAndGroupsAnswer() throws Exception {
    assertEquals(201, send(leader, "POST", "/v2/apps",
        "{\"id\":\"/g/big\",\"cmd\":\"x\",\"cpus\":64}").statusCode());
    leaderDriver.offers(master, List.of(offer("h1")));
    await(() -> master.declined.size() == 1, "decline");
    JsonNode queue = json(send(leader, "GET", "/v2/queue?embed=lastUnusedOffers", null))
        .get("queue").get(0);
    assertEquals(1, queue.get("count").asInt());
    assertEquals("/g/big", queue.get("app").get("id").asText());
    JsonNode attempts = queue.get("processedOffersSummary").get("rejectSummaryLaunchAttempt");
    boolean cpus = false;
    for (JsonNode row : attempts) {
      cpus |= row.get("reason").asText().equals("InsufficientCpus")
          && row.get("declined").asInt() == 1;
    }
    assertTrue(cpus, attempts.toString());
    assertTrue(queue.get("lastUnusedOffers").get(0).get("detail").asText()
        .contains("needs 64.0 cpus"));
    JsonNode info = json(send(leader, "GET", "/v2/info", null));
    assertEquals("fw-test", info.get("frameworkId").asText());
    assertTrue(info.get("elected").asBoolean());
    JsonNode root = json(send(leader, "GET", "/v2/groups", null));
    assertEquals("/g", root.get("groups").get(0).get("id").asText());
    assertEquals("/g/big", root.get("groups").get(0).get("apps").get(0).get("id").asText());
    String deployment = json(send(leader, "GET", "/v2/deployments", null)).get(0).get("id")
        .asText();
    assertEquals(202, send(leader, "DELETE", "/v2/deployments/" + deployment + "?force=true",
        null).statusCode());
    assertEquals(404, send(leader, "DELETE", "/v2/deployments/nope", null).statusCode());
  }

  @Test
  void theEventStreamShowsTheDeployment() throws Exception {
    java.net.Socket socket = new java.net.Socket("127.0.0.1",
        Integer.parseInt(leader.split(":")[1]));
    socket.setSoTimeout(10_000);
    socket.getOutputStream().write(("GET /v2/events HTTP/1.1\r\nHost: x\r\n"
        + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
        StandardCharsets.UTF_8));
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try {
        for (String line; (line = in.readLine()) != null; ) {
          if (line.startsWith("event: ")) {
            events.add(line.substring(7));
          }
        }
      } catch (java.io.IOException e) {
        events.add("closed");
      }
    });
    reader.setDaemon(true);
    reader.start();
    assertEquals("event_stream_attached", events.poll(10, TimeUnit.SECONDS));
    assertEquals(201, send(leader, "POST", "/v2/apps",
        "{\"id\":\"/e\",\"cmd\":\"x\",\"cpus\":0.1,\"mem\":8}").statusCode());
    leaderDriver.offers(master, List.of(offer("h1")));
    await(() -> master.launched.size() == 1, "launch");
    running(master.launched.get(0));
    List<String> seen = new ArrayList<>();
    while (!seen.contains("deployment_success")) {
      String event = events.poll(10, TimeUnit.SECONDS);
      if (event == null) {
        throw new AssertionError("no deployment_success; saw " + seen);
      }
      seen.add(event);
    }
    assertTrue(seen.containsAll(List.of("api_post_event", "group_change_success",
        "deployment_info", "status_update_event", "deployment_success")), seen.toString());
    socket.close();
  }

  @Test
  void killAndRestartAnswerDeploymentResults() throws Exception {
    send(leader, "POST", "/v2/apps", "{\"id\":\"/k\",\"cmd\":\"x\",\"cpus\":0.1,\"mem\":8,"
        + "\"instances\":2}");
    leaderDriver.offers(master, List.of(offer("h1")));
    await(() -> master.launched.size() == 2, "launches");
    master.launched.forEach(this::running);
    String taskId = master.launched.get(0).getTaskId().getValue();
    await(() -> {
      try {
        return json(send(leader, "GET", "/v2/deployments", null)).size() == 0;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, "deployment finished");
    HttpResponse<String> killed = send(leader, "DELETE", "/v2/apps/k/tasks/" + taskId, null);
    assertEquals(200, killed.statusCode(), killed.body());
    assertEquals(taskId, json(killed).get("task").get("id").asText());
    await(() -> master.killed.contains(taskId), "kill sent");
    HttpResponse<String> restart = send(leader, "POST", "/v2/apps/k/restart", null);
    assertEquals(200, restart.statusCode(), restart.body());
    HttpResponse<String> locked = send(leader, "PUT", "/v2/apps/k", "{\"cmd\":\"y\"}");
    assertEquals(409, locked.statusCode());
    assertTrue(json(locked).get("message").asText().startsWith("App is locked by one or more"
        + " deployments."));
    HttpResponse<String> versions = send(leader, "GET", "/v2/apps/k/versions", null);
    assertEquals(2, json(versions).get("versions").size());
    assertEquals(404, send(leader, "DELETE", "/v2/apps/k/tasks/nope", null).statusCode());
    leaderDriver.update(master, TaskStatus.newBuilder().setTaskId(TaskID.newBuilder()
        .setValue(taskId)).setState(TaskState.TASK_KILLED).build());
  }
}
