package io.cairn.framework.runtime.internal.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cairn.framework.Leadership;
import io.cairn.framework.Scheduler;
import io.cairn.framework.SchedulerDriver;
import io.cairn.framework.runtime.internal.core.Backoff;
import io.cairn.proto.mesos.v1.Protos.AgentID;
import io.cairn.proto.mesos.v1.Protos.FrameworkID;
import io.cairn.proto.mesos.v1.Protos.FrameworkInfo;
import io.cairn.proto.mesos.v1.Protos.Offer;
import io.cairn.proto.mesos.v1.Protos.TaskID;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import io.cairn.proto.mesos.v1.Protos.TaskStatus;
import io.cairn.proto.mesos.v1.scheduler.Protos.Call;
import io.cairn.proto.mesos.v1.scheduler.Protos.Event;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One framework instance end to end on loopback: a real (Apache) ZooKeeper server holds the
 * MasterInfo znode and the election; master A (found under /mesos) redirects to master B, a fake
 * v1 scheduler API that streams SUBSCRIBED and an UPDATE. The instance follows the 307, stores the
 * FrameworkID, acknowledges the update with the stream id, re-subscribes with the stored id after
 * the stream ends, and sends TEARDOWN when its Scheduler (failover_timeout 0) goes away.
 */
class FrameworkInstanceTest {
  @TempDir File dir;
  private ServerCnxnFactory zkFactory;
  private ZooKeeperServer zk;
  private CuratorFramework curator;
  private HttpServer masterA;
  private HttpServer masterB;
  private final List<Call> callsToB = new CopyOnWriteArrayList<>();
  private final List<String> streamIds = new CopyOnWriteArrayList<>();
  private final List<HttpExchange> streams = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    zk = new ZooKeeperServer(new File(dir, "snap"), new File(dir, "log"), 2000);
    zkFactory = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", 0), 20);
    zkFactory.startup(zk);
    curator = CuratorFrameworkFactory.newClient("127.0.0.1:" + zkFactory.getLocalPort(),
        10_000, 5_000, new RetryOneTime(100));
    curator.start();
    masterB = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
    masterB.createContext("/api/v1/scheduler", this::masterB);
    masterB.start();
    masterA = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
    masterA.createContext("/api/v1/scheduler", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().add("Location", "//127.0.0.1:"
          + masterB.getAddress().getPort() + "/api/v1/scheduler");
      exchange.sendResponseHeaders(307, -1);
      exchange.close();
    });
    masterA.start();
    String json = "{\"id\":\"a\",\"ip\":16777343,\"port\":" + masterA.getAddress().getPort()
        + ",\"hostname\":\"127.0.0.1\",\"address\":{\"hostname\":\"127.0.0.1\",\"ip\":"
        + "\"127.0.0.1\",\"port\":" + masterA.getAddress().getPort() + "}}";
    curator.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
        .forPath("/mesos/json.info_", json.getBytes(StandardCharsets.UTF_8));
  }

  @AfterEach
  void stop() {
    masterA.stop(0);
    masterB.stop(0);
    curator.close();
    zkFactory.shutdown();
    zk.shutdown();
  }

  private void masterB(HttpExchange exchange) throws IOException {
    Call call = Call.parseFrom(exchange.getRequestBody().readAllBytes());
    callsToB.add(call);
    if (call.getType() != Call.Type.SUBSCRIBE) {
      streamIds.add(exchange.getRequestHeaders().getFirst("Mesos-Stream-Id"));
      exchange.sendResponseHeaders(202, -1);
      exchange.close();
      return;
    }
    String streamId = "stream-" + streams.size();
    exchange.getResponseHeaders().add("Mesos-Stream-Id", streamId);
    exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
    exchange.sendResponseHeaders(200, 0);
    streams.add(exchange);
    OutputStream out = exchange.getResponseBody();
    write(out, Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(
        Event.Subscribed.newBuilder().setFrameworkId(FrameworkID.newBuilder().setValue("fw-1"))
            .setHeartbeatIntervalSeconds(15)).build());
    write(out, Event.newBuilder().setType(Event.Type.UPDATE).setUpdate(Event.Update.newBuilder()
        .setStatus(TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue("t1"))
            .setAgentId(AgentID.newBuilder().setValue("a1")).setState(TaskState.TASK_RUNNING)
            .setUuid(ByteString.copyFromUtf8("uuid-" + streamId)))).build());
  }

  private static void write(OutputStream out, Event event) throws IOException {
    byte[] bytes = event.toByteArray();
    out.write((bytes.length + "\n").getBytes(StandardCharsets.UTF_8));
    out.write(bytes);
    out.flush();
  }

  @Test
  void subscribesAcknowledgesResubscribesAndTearsDown() throws Exception {
    RecordingScheduler scheduler = new RecordingScheduler();
    FrameworkInstance instance = new FrameworkInstance(scheduler, curator,
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
        new FrameworkInstance.Settings("node-1", "/mesos", new Backoff(50, 200), 3, 5_000,
            2_000));
    instance.start();

    await(() -> scheduler.events.contains("subscribed fw-1"), "SUBSCRIBED", scheduler);
    assertEquals("leadership leading=true", scheduler.events.get(0));
    Call subscribe = callsToB.get(0);
    assertEquals(Call.Type.SUBSCRIBE, subscribe.getType());
    assertTrue(!subscribe.hasFrameworkId(), "first subscription has no framework_id");
    assertEquals("fw-1", new String(curator.getData().forPath("/cairn/frameworks/test/id"),
        StandardCharsets.UTF_8));
    assertEquals("127.0.0.1:" + masterB.getAddress().getPort(), instance.status().master());
    assertTrue(instance.status().subscribed() && instance.status().leadership().leading());

    await(() -> callsToB.stream().anyMatch(c -> c.getType() == Call.Type.ACKNOWLEDGE),
        "ACKNOWLEDGE", scheduler);
    Call ack = callsToB.stream().filter(c -> c.getType() == Call.Type.ACKNOWLEDGE).findFirst()
        .orElseThrow();
    assertEquals("uuid-stream-0", ack.getAcknowledge().getUuid().toStringUtf8());
    assertEquals("fw-1", ack.getFrameworkId().getValue());
    assertEquals("stream-0", streamIds.get(0));

    streams.get(0).close(); // the master goes away
    await(() -> scheduler.events.contains("disconnected"), "disconnected", scheduler);
    await(() -> streams.size() == 2 && scheduler.events.stream()
        .filter(e -> e.equals("subscribed fw-1")).count() == 2, "re-subscription", scheduler);
    Call again = callsToB.stream().filter(c -> c.getType() == Call.Type.SUBSCRIBE)
        .skip(1).findFirst().orElseThrow();
    assertEquals("fw-1", again.getFrameworkId().getValue());
    assertEquals("fw-1", again.getSubscribe().getFrameworkInfo().getId().getValue());

    instance.close();
    Call teardown = callsToB.get(callsToB.size() - 1);
    assertEquals(Call.Type.TEARDOWN, teardown.getType());
    assertEquals("stream-1", streamIds.get(streamIds.size() - 1));
    assertNull(curator.checkExists().forPath("/cairn/frameworks/test/id"),
        "a torn down framework forgets its id");
  }

  private static void await(BooleanSupplier condition, String what, RecordingScheduler s) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("no " + what + " within 20 s; scheduler saw " + s.events);
      }
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
  }

  /** Records its callbacks as text, in order. */
  private static final class RecordingScheduler implements Scheduler {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public FrameworkInfo frameworkInfo() {
      return FrameworkInfo.newBuilder().setName("test").setUser("").setFailoverTimeout(0)
          .build();
    }

    @Override
    public void leadership(Leadership leadership) {
      events.add("leadership leading=" + leadership.leading());
    }

    @Override
    public void subscribed(SchedulerDriver driver, Event.Subscribed subscribed) {
      events.add("subscribed " + subscribed.getFrameworkId().getValue());
    }

    @Override
    public void offers(SchedulerDriver driver, List<Offer> offers) {
      events.add("offers " + offers.size());
    }

    @Override
    public void update(SchedulerDriver driver, TaskStatus status) {
      events.add("update " + status.getTaskId().getValue() + " " + status.getState());
    }

    @Override
    public void disconnected() {
      events.add("disconnected");
    }
  }
}
