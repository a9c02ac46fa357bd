package io.cairn.master.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.cairn.allocator.AllocatorOptions;
import io.cairn.allocator.drf.internal.DrfAllocatorComponent;
import io.cairn.consensus.Leadership;
import io.cairn.env.Clock;
import io.cairn.master.internal.RegistryStateMachine;
import io.cairn.master.internal.core.MasterSettings;
import io.cairn.proto.agent.AgentMessage;
import io.cairn.proto.agent.RegisterAgent;
import io.cairn.proto.agent.StatusUpdate;
import io.cairn.proto.mesos.v1.Protos.AgentInfo;
import io.cairn.proto.mesos.v1.Protos.CommandInfo;
import io.cairn.proto.mesos.v1.Protos.FrameworkInfo;
import io.cairn.proto.mesos.v1.Protos.Offer;
import io.cairn.proto.mesos.v1.Protos.Resource;
import io.cairn.proto.mesos.v1.Protos.TaskID;
import io.cairn.proto.mesos.v1.Protos.TaskInfo;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import io.cairn.proto.mesos.v1.Protos.TaskStatus;
import io.cairn.proto.mesos.v1.Protos.Value;
import io.cairn.proto.mesos.v1.scheduler.Protos.Call;
import io.cairn.proto.mesos.v1.scheduler.Protos.Event;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The master over real sockets on loopback: a test agent speaking the agent channel contract and
 * a v1 scheduler over java.net.http, against the driver and Netty server with a one-node log.
 */
class MasterServerTest {
  private final RegistryStateMachine registry = new RegistryStateMachine();
  private MasterDriver driver;
  private MasterHttpServer server;
  private InetSocketAddress address;

  private void start(Leadership leadership) throws InterruptedException {
    ImmediateLog log = new ImmediateLog(registry, leadership);
    driver = new MasterDriver(new MasterDriver.Settings("localhost", "127.0.0.1", 5050,
        MasterSettings.DEFAULTS, AllocatorOptions.DEFAULTS, Map.of()), log, registry,
        Clock.system(), new DrfAllocatorComponent(), Map.of(1, "10.0.0.1", 2, "127.0.0.1"));
    server = new MasterHttpServer(driver);
    address = server.start("127.0.0.1", 0);
    driver.start();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (driver != null) {
      driver.close();
    }
  }

  private String base() {
    return "http://127.0.0.1:" + address.getPort();
  }

  /** Waits (with a deadline) until the driver's core leads. */
  private void awaitLeading() throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!driver.leading()) {
      assertTrue(System.nanoTime() < deadline, "the master did not start leading within 5 s");
      Thread.onSpinWait();
    }
  }

  @Test
  void subscribeOfferLaunchUpdateAndAcknowledgeOverRealSockets() throws Exception {
    start(new Leadership(1, 1, true));
    awaitLeading();
    try (TestAgent agent = new TestAgent(); TestScheduler scheduler = new TestScheduler(base())) {
      String head = agent.connect(address);
      assertTrue(head.startsWith("HTTP/1.1 101"), head);
      assertTrue(head.toLowerCase().contains("upgrade: cairn-agent/1"), head);
      agent.send(AgentMessage.newBuilder().setRegisterAgent(RegisterAgent.newBuilder()
          .setAgentInfo(AgentInfo.newBuilder().setHostname("agent1")
              .addResources(scalar("cpus", 2)).addResources(scalar("mem", 1024)))).build());
      AgentMessage registered = agent.await(AgentMessage::hasAgentRegistered);
      String agentId = registered.getAgentRegistered().getAgentId().getValue();
      long term = registered.getLeaderTerm();

      HttpResponse<InputStream> subscribed = scheduler.subscribe(Call.newBuilder()
          .setType(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.newBuilder()
              .setFrameworkInfo(FrameworkInfo.newBuilder().setUser("root").setName("test")))
          .build());
      assertEquals(200, subscribed.statusCode());
      assertTrue(scheduler.streamId != null, "Mesos-Stream-Id header");
      Event first = scheduler.next();
      assertEquals(Event.Type.SUBSCRIBED, first.getType());
      var frameworkId = first.getSubscribed().getFrameworkId();
      Offer offer = scheduler.await(e -> e.getType() == Event.Type.OFFERS).getOffers()
          .getOffers(0);
      assertEquals(agentId, offer.getAgentId().getValue());

      HttpResponse<String> accepted = scheduler.call(Call.newBuilder()
          .setType(Call.Type.ACCEPT).setFrameworkId(frameworkId)
          .setAccept(Call.Accept.newBuilder().addOfferIds(offer.getId()).addOperations(
              Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH).setLaunch(
                  Offer.Operation.Launch.newBuilder().addTaskInfos(TaskInfo.newBuilder()
                      .setName("sleep").setTaskId(TaskID.newBuilder().setValue("t1"))
                      .setAgentId(offer.getAgentId()).addResources(scalar("cpus", 1))
                      .addResources(scalar("mem", 128))
                      .setCommand(CommandInfo.newBuilder().setValue("sleep 10"))))))
          .build());
      assertEquals(202, accepted.statusCode(), accepted.body());
      AgentMessage run = agent.await(AgentMessage::hasRunTask);
      assertEquals("t1", run.getRunTask().getTask().getTaskId().getValue());

      ByteString uuid = ByteString.copyFrom(new byte[16]);
      agent.send(AgentMessage.newBuilder().setLeaderTerm(term).setStatusUpdate(
          StatusUpdate.newBuilder().setFrameworkId(frameworkId).setAgentId(offer.getAgentId())
              .setStatus(TaskStatus.newBuilder().setTaskId(TaskID.newBuilder().setValue("t1"))
                  .setState(TaskState.TASK_RUNNING))
              .setTimestamp(1).setUuid(uuid)).build());
      Event update = scheduler.await(e -> e.getType() == Event.Type.UPDATE);
      assertEquals(TaskState.TASK_RUNNING, update.getUpdate().getStatus().getState());

      HttpResponse<String> acked = scheduler.call(Call.newBuilder()
          .setType(Call.Type.ACKNOWLEDGE).setFrameworkId(frameworkId)
          .setAcknowledge(Call.Acknowledge.newBuilder().setAgentId(offer.getAgentId())
              .setTaskId(TaskID.newBuilder().setValue("t1")).setUuid(uuid)).build());
      assertEquals(202, acked.statusCode(), acked.body());
      AgentMessage ack = agent.await(AgentMessage::hasStatusUpdateAcknowledgement);
      assertEquals(uuid, ack.getStatusUpdateAcknowledgement().getUuid());

      HttpResponse<String> state = scheduler.get("/master/state");
      assertEquals(200, state.statusCode());
      assertTrue(state.body().contains("\"state\":\"TASK_RUNNING\""), state.body());
      assertTrue(state.body().contains("\"leader\":\"master@localhost:5050\""), state.body());
      assertEquals(200, scheduler.get("/health").statusCode());
      assertTrue(scheduler.get("/metrics").body().contains("mesos_master_elected 1.0"));
      HttpResponse<String> operator = scheduler.client.send(java.net.http.HttpRequest
          .newBuilder(java.net.URI.create(base() + "/api/v1"))
          .header("Content-Type", "application/json")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"type\":\"GET_TASKS\"}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, operator.statusCode(), operator.body());
      assertTrue(operator.body().contains("\"type\":\"GET_TASKS\"")
          && operator.body().contains("\"state\":\"TASK_RUNNING\""), operator.body());
      HttpResponse<String> redirect = scheduler.get("/redirect");
      assertEquals(307, redirect.statusCode());
      assertEquals("//localhost:5050", redirect.headers().firstValue("Location").orElse(""));
    }
  }

  @Test
  void callsWithoutTheStreamHeaderOrFromUnknownFrameworksAreRefused() throws Exception {
    start(new Leadership(1, 1, true));
    awaitLeading();
    try (TestScheduler scheduler = new TestScheduler(base())) {
      scheduler.streamId = "nope";
      HttpResponse<String> unknown = scheduler.call(Call.newBuilder().setType(Call.Type.REVIVE)
          .setFrameworkId(io.cairn.proto.mesos.v1.Protos.FrameworkID.newBuilder()
              .setValue("x")).build());
      assertEquals(403, unknown.statusCode());
      assertTrue(unknown.body().contains("not subscribed"), unknown.body());
      HttpResponse<String> garbage = scheduler.client.send(java.net.http.HttpRequest
          .newBuilder(java.net.URI.create(base() + "/api/v1/scheduler"))
          .header("Content-Type", "application/json")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{not json")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(400, garbage.statusCode(), garbage.body());
    }
  }

  @Test
  void anOperatorSubscriptionStreamsTheStateThenAgentEvents() throws Exception {
    start(new Leadership(1, 1, true));
    awaitLeading();
    try (TestScheduler operator = new TestScheduler(base()); TestAgent agent = new TestAgent()) {
      HttpResponse<InputStream> response = operator.client.send(java.net.http.HttpRequest
          .newBuilder(java.net.URI.create(base() + "/api/v1"))
          .header("Content-Type", "application/json")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"type\":\"SUBSCRIBE\"}"))
          .build(), HttpResponse.BodyHandlers.ofInputStream());
      assertEquals(200, response.statusCode());
      try (InputStream events = response.body()) {
        assertTrue(record(events).contains("\"type\":\"SUBSCRIBED\""));
        agent.connect(address);
        agent.send(AgentMessage.newBuilder().setRegisterAgent(RegisterAgent.newBuilder()
            .setAgentInfo(AgentInfo.newBuilder().setHostname("agent2")
                .addResources(scalar("cpus", 1)).addResources(scalar("mem", 256)))).build());
        String added = record(events);
        assertTrue(added.contains("\"type\":\"AGENT_ADDED\"") && added.contains("agent2"),
            added);
      }
    }
  }

  private static String record(InputStream in) throws java.io.IOException {
    StringBuilder length = new StringBuilder();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new java.io.IOException("the event stream ended");
      }
      length.append((char) c);
    }
    return new String(in.readNBytes(Integer.parseInt(length.toString())),
        java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void anUnparsableAgentFrameClosesOnlyThatConnection() throws Exception {
    start(new Leadership(1, 1, true));
    awaitLeading();
    try (TestAgent bad = new TestAgent(); TestScheduler scheduler = new TestScheduler(base())) {
      bad.connect(address);
      bad.sendRaw(new byte[] {0, 0, 0, 3, (byte) 0xff, (byte) 0xff, (byte) 0xff});
      long deadline = System.nanoTime() + 5_000_000_000L;
      boolean closed = false;
      while (!closed && System.nanoTime() < deadline) {
        closed = bad.closedByMaster();
      }
      assertTrue(closed, "the master closed the bad connection");
      assertEquals(200, scheduler.get("/health").statusCode(), "the server still serves");
    }
  }

  @Test
  void aMasterThatDoesNotLeadRedirectsSchedulersAndAgents() throws Exception {
    start(new Leadership(4, 2, false));
    try (TestAgent agent = new TestAgent(); TestScheduler scheduler = new TestScheduler(base())) {
      String head = agent.connect(address);
      assertTrue(head.startsWith("HTTP/1.1 307"), head);
      assertTrue(head.contains("//127.0.0.1:5050/cairn/agent/v1"), head);
      HttpResponse<InputStream> subscribe = scheduler.subscribe(Call.newBuilder()
          .setType(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.newBuilder()
              .setFrameworkInfo(FrameworkInfo.newBuilder().setUser("u").setName("n"))).build());
      assertEquals(307, subscribe.statusCode());
      assertEquals("//127.0.0.1:5050/api/v1/scheduler",
          subscribe.headers().firstValue("Location").orElse(""));
      assertTrue(scheduler.get("/metrics").body().contains("mesos_master_elected 0.0"));
    }
  }

  /**
   * An agent's upgrade is answered the same whether its head arrives in one read (taken by
   * {@link FirstRequest} without the HTTP codec) or split over two (the HTTP codec's path); heads
   * the fast path does not take get the HTTP path's answers; a frame sent right behind the head
   * reaches the agent channel.
   */
  @Test
  void agentUpgradesAreAnsweredAlikeOnTheFastAndTheHttpPath() throws Exception {
    start(new Leadership(1, 1, true));
    awaitLeading();
    String request = "GET /cairn/agent/v1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Connection: keep-alive, Upgrade\r\nUpgrade: CAIRN-AGENT/1\r\n\r\n";
    byte[] bytes = request.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    String fast = rawHead(bytes);
    String split = headInTwoReads(bytes, 20);
    assertEquals(new String(FirstRequest.SWITCHING_PROTOCOLS,
        java.nio.charset.StandardCharsets.US_ASCII), fast, "the fast path's 101");
    assertEquals(fast, split, "the HTTP codec's 101 is byte for byte the fast path's");
    String noUpgrade = "GET /cairn/agent/v1 HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\n\r\n";
    assertTrue(rawHead(noUpgrade.getBytes(java.nio.charset.StandardCharsets.US_ASCII))
        .startsWith("HTTP/1.1 400"), "no Upgrade header: the HTTP path's 400");
    String withBody = "GET /cairn/agent/v1 HTTP/1.1\r\nConnection: Upgrade\r\n"
        + "Upgrade: cairn-agent/1\r\nContent-Length: 2\r\n\r\nab";
    assertTrue(rawHead(withBody.getBytes(java.nio.charset.StandardCharsets.US_ASCII))
        .startsWith("HTTP/1.1 101"), "a body: the HTTP path, which upgrades as before");
    // A RegisterAgent frame in the same write as the head is read as the first frame.
    byte[] frame = AgentMessage.newBuilder().setRegisterAgent(RegisterAgent.newBuilder()
        .setVersion("t").setAgentInfo(AgentInfo.newBuilder().setHostname("h")
            .addResources(scalar("cpus", 1)))).build().toByteArray();
    java.io.ByteArrayOutputStream both = new java.io.ByteArrayOutputStream();
    both.write(bytes);
    new java.io.DataOutputStream(both).writeInt(frame.length);
    both.write(frame);
    try (java.net.Socket socket = new java.net.Socket(address.getAddress(), address.getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(both.toByteArray());
      java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
      in.readNBytes(FirstRequest.SWITCHING_PROTOCOLS.length);
      byte[] answer = in.readNBytes(in.readInt());
      assertTrue(AgentMessage.parseFrom(answer).hasAgentRegistered(),
          "the frame behind the head registered the agent");
    }
  }

  /**
   * A refused agent gets its ShutdownAgent before the master closes the connection: frames and
   * the close go to the event loop in one batch, in order. Another agent on the same master is
   * answered meanwhile.
   */
  @Test
  void aRefusedAgentReadsItsShutdownBeforeTheClose() throws Exception {
    start(new Leadership(1, 1, true));
    awaitLeading();
    try (TestAgent refused = new TestAgent(); TestAgent good = new TestAgent()) {
      assertTrue(refused.connect(address).startsWith("HTTP/1.1 101"));
      assertTrue(good.connect(address).startsWith("HTTP/1.1 101"));
      refused.send(AgentMessage.newBuilder().setReregisterAgent(
          io.cairn.proto.agent.ReregisterAgent.newBuilder().setVersion("t")
              .setAgentInfo(AgentInfo.newBuilder().setHostname("no-id")
                  .addResources(scalar("cpus", 1)))).build());
      good.send(AgentMessage.newBuilder().setRegisterAgent(RegisterAgent.newBuilder()
          .setVersion("t").setAgentInfo(AgentInfo.newBuilder().setHostname("good")
              .addResources(scalar("cpus", 1)))).build());
      AgentMessage shutdown = refused.await(m -> m.hasShutdownAgent());
      assertTrue(shutdown.getShutdownAgent().getMessage().contains("without an agent id"),
          shutdown.toString());
      long deadline = System.nanoTime() + 5_000_000_000L;
      boolean closed = false;
      while (!closed && System.nanoTime() < deadline) {
        closed = refused.closedByMaster();
      }
      assertTrue(closed, "the master closed the refused agent's connection after its shutdown");
      assertTrue(good.await(m -> m.hasAgentRegistered()).getAgentRegistered().hasAgentId());
    }
  }

  /**
   * Feeds {@code bytes} to a connection's pipeline as two reads, the first {@code firstRead} bytes
   * long, as the master's listener builds it ({@link FirstRequest} first); returns what the master
   * wrote back. Over a socket the kernel may coalesce the two writes; here the split is certain.
   */
  private String headInTwoReads(byte[] bytes, int firstRead) {
    io.netty.channel.embedded.EmbeddedChannel channel =
        new io.netty.channel.embedded.EmbeddedChannel();
    channel.pipeline().addLast(FirstRequest.NAME, new FirstRequest(driver));
    channel.writeInbound(io.netty.buffer.Unpooled.wrappedBuffer(bytes, 0, firstRead));
    channel.writeInbound(
        io.netty.buffer.Unpooled.wrappedBuffer(bytes, firstRead, bytes.length - firstRead));
    StringBuilder written = new StringBuilder();
    for (io.netty.buffer.ByteBuf out = channel.readOutbound(); out != null;
        out = channel.readOutbound()) {
      written.append(out.toString(java.nio.charset.StandardCharsets.US_ASCII));
      out.release();
    }
    channel.finishAndReleaseAll();
    return written.toString();
  }

  /** Sends {@code bytes} in one write; returns the response head. */
  private String rawHead(byte[] bytes) throws Exception {
    try (java.net.Socket socket = new java.net.Socket(address.getAddress(), address.getPort())) {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int c = in.read();
        if (c < 0) {
          break;
        }
        head.append((char) c);
      }
      return head.toString();
    }
  }

  private static Resource scalar(String name, double value) {
    return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
  }
}
