package io.cairn.bench.master;

import io.cairn.proto.mesos.v1.Protos.CommandInfo;
import io.cairn.proto.mesos.v1.Protos.Filters;
import io.cairn.proto.mesos.v1.Protos.FrameworkID;
import io.cairn.proto.mesos.v1.Protos.FrameworkInfo;
import io.cairn.proto.mesos.v1.Protos.Offer;
import io.cairn.proto.mesos.v1.Protos.Resource;
import io.cairn.proto.mesos.v1.Protos.TaskID;
import io.cairn.proto.mesos.v1.Protos.TaskInfo;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import io.cairn.proto.mesos.v1.Protos.Value;
import io.cairn.proto.mesos.v1.scheduler.Protos.Call;
import io.cairn.proto.mesos.v1.scheduler.Protos.Event;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A v1 HTTP scheduler that launches {@code tasks} tasks as fast as offers allow: SUBSCRIBE
 * (protobuf RecordIO stream), then for each offer one ACCEPT with as many LAUNCH tasks as fit
 * ({@code cpus:1;mem:128} each); offers it cannot use are DECLINEd for an hour. A task counts as
 * launched when its TASK_RUNNING update reaches this scheduler; a task that fails to launch
 * (TASK_ERROR, TASK_DROPPED, ...) is counted and launched again on a later offer. It does not
 * acknowledge updates (the simulated agents never retry them).
 *
 * <p>Threading: the stream is read on its Netty event loop, which also plans the calls; calls go
 * out on {@link CallConnection}s; {@link #awaitLaunched} polls atomic counters from the main
 * thread.
 */
final class LoadScheduler extends SimpleChannelInboundHandler<HttpObject> {
  static final double TASK_CPUS = 1;
  static final double TASK_MEM_MB = 128;
  private static final int CALL_CONNECTIONS = 4;

  private final EventLoopGroup group;
  private final InetSocketAddress master;
  private final String name;
  private final int target;
  private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
  private final List<CallConnection> connections = new ArrayList<>();
  private final CompletableFuture<String> subscribed = new CompletableFuture<>();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger failedLaunches = new AtomicInteger();
  private final AtomicLong lastRunningNanos = new AtomicLong();
  private final AtomicReference<String> firstProblem = new AtomicReference<>();
  /** Touched on the stream's event loop only. */
  private final Set<String> runningIds = new HashSet<>();
  private final ByteBuf records = Unpooled.buffer();
  private int toPlan;
  private int nextTask;
  private FrameworkID frameworkId;
  private String streamId;
  private Channel stream;
  private volatile long subscribeNanos;

  LoadScheduler(EventLoopGroup group, InetSocketAddress master, String name, int tasks) {
    this.group = group;
    this.master = master;
    this.name = name;
    this.target = tasks;
    this.toPlan = tasks;
  }

  /** Subscribes and opens the call connections; returns once SUBSCRIBED arrived. */
  void subscribe(Duration timeout) throws Exception {
    LoadScheduler handler = this;
    stream = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpClientCodec(), handler);
          }
        }).connect(master).sync().channel();
    byte[] body = Call.newBuilder().setType(Call.Type.SUBSCRIBE).setSubscribe(
        Call.Subscribe.newBuilder().setFrameworkInfo(FrameworkInfo.newBuilder().setUser("bench")
            .setName(name).setFailoverTimeout(3600))).build().toByteArray();
    FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
        "/api/v1/scheduler", Unpooled.wrappedBuffer(body));
    request.headers().set(HttpHeaderNames.HOST, master.getHostString() + ":" + master.getPort())
        .set(HttpHeaderNames.CONTENT_TYPE, "application/x-protobuf")
        .set(HttpHeaderNames.ACCEPT, "application/x-protobuf")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    subscribeNanos = System.nanoTime();
    stream.writeAndFlush(request);
    String id = subscribed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    for (int i = 0; i < CALL_CONNECTIONS; i++) {
      connections.add(CallConnection.open(group, master, id, calls, this::problem, () -> {}));
    }
    kick();
  }

  long subscribeNanos() {
    return subscribeNanos;
  }

  int failedLaunches() {
    return failedLaunches.get();
  }

  /** Waits until every task is running; returns the nanoTime of the last RUNNING update. */
  long awaitLaunched(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (running.get() < target) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + ": " + running.get() + " of " + target
            + " tasks running within " + timeout.toMillis() + " ms; " + failedLaunches.get()
            + " launches failed; first problem: " + firstProblem.get());
      }
      Thread.sleep(1); // Polling with a deadline on a counter the stream's loop advances.
    }
    return lastRunningNanos.get();
  }

  private void problem(String what) {
    firstProblem.compareAndSet(null, what);
  }

  private void kick() {
    for (CallConnection connection : connections) {
      connection.kick();
    }
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, HttpObject message) throws IOException {
    if (message instanceof HttpResponse response) {
      if (response.status().code() != 200) {
        subscribed.completeExceptionally(new IllegalStateException(
            "SUBSCRIBE was answered " + response.status()));
        return;
      }
      streamId = response.headers().get("Mesos-Stream-Id");
    }
    if (message instanceof HttpContent content) {
      records.writeBytes(content.content());
      readRecords();
    }
  }

  /** RecordIO: {@code <decimal length>\n<bytes>}, repeated. */
  private void readRecords() throws IOException {
    while (true) {
      int newline = records.indexOf(records.readerIndex(), records.writerIndex(), (byte) '\n');
      if (newline < 0) {
        break;
      }
      int length = Integer.parseInt(records.toString(records.readerIndex(),
          newline - records.readerIndex(), java.nio.charset.StandardCharsets.US_ASCII));
      if (records.writerIndex() - newline - 1 < length) {
        break;
      }
      records.readerIndex(newline + 1);
      Event event;
      try (ByteBufInputStream in = new ByteBufInputStream(records.readSlice(length))) {
        event = Event.parseFrom(in);
      }
      onEvent(event);
    }
    records.discardReadBytes();
  }

  private void onEvent(Event event) {
    switch (event.getType()) {
      case SUBSCRIBED -> {
        frameworkId = event.getSubscribed().getFrameworkId();
        subscribed.complete(streamId);
      }
      case OFFERS -> {
        event.getOffers().getOffersList().forEach(this::plan);
        kick();
      }
      case UPDATE -> onUpdate(event.getUpdate().getStatus());
      case ERROR -> problem("ERROR event: " + event.getError().getMessage());
      default -> {
        // HEARTBEAT, RESCIND, ...: nothing to do for the load.
      }
    }
  }

  private void plan(Offer offer) {
    double cpus = scalar(offer, "cpus");
    double mem = scalar(offer, "mem");
    int fit = (int) Math.min(Math.floor(cpus / TASK_CPUS), Math.floor(mem / TASK_MEM_MB));
    int launch = Math.min(fit, toPlan);
    if (launch <= 0) {
      calls.add(Call.newBuilder().setType(Call.Type.DECLINE).setFrameworkId(frameworkId)
          .setDecline(Call.Decline.newBuilder().addOfferIds(offer.getId())
              .setFilters(Filters.newBuilder().setRefuseSeconds(3600))).build());
      return;
    }
    toPlan -= launch;
    Offer.Operation.Launch.Builder tasks = Offer.Operation.Launch.newBuilder();
    for (int i = 0; i < launch; i++) {
      tasks.addTaskInfos(TaskInfo.newBuilder().setName("load")
          .setTaskId(TaskID.newBuilder().setValue(name + "-t" + nextTask++))
          .setAgentId(offer.getAgentId()).addResources(resource("cpus", TASK_CPUS))
          .addResources(resource("mem", TASK_MEM_MB))
          .setCommand(CommandInfo.newBuilder().setValue("sleep 3600")));
    }
    calls.add(Call.newBuilder().setType(Call.Type.ACCEPT).setFrameworkId(frameworkId)
        .setAccept(Call.Accept.newBuilder().addOfferIds(offer.getId()).addOperations(
            Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH).setLaunch(tasks))
            .setFilters(Filters.newBuilder().setRefuseSeconds(3600))).build());
  }

  private void onUpdate(io.cairn.proto.mesos.v1.Protos.TaskStatus status) {
    String id = status.getTaskId().getValue();
    if (status.getState() == TaskState.TASK_RUNNING) {
      if (runningIds.add(id)) {
        lastRunningNanos.accumulateAndGet(System.nanoTime(), Math::max);
        running.incrementAndGet();
      }
      return;
    }
    if (!runningIds.contains(id)) {
      failedLaunches.incrementAndGet();
      problem("task " + id + " " + status.getState() + ": " + status.getMessage());
      toPlan++;
    }
  }

  private static double scalar(Offer offer, String name) {
    double sum = 0;
    for (Resource r : offer.getResourcesList()) {
      if (r.getName().equals(name) && r.hasScalar()) {
        sum += r.getScalar().getValue();
      }
    }
    return sum;
  }

  private static Resource resource(String name, double value) {
    return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    subscribed.completeExceptionally(new IllegalStateException("the event stream closed"));
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    problem("event stream failed: " + cause);
    ctx.close();
  }

  /** Closes the call connections and the stream. */
  void close() {
    connections.forEach(CallConnection::close);
    if (stream != null) {
      stream.close().awaitUninterruptibly();
    }
  }
}
