package io.cairn.bench.master;

import io.cairn.proto.mesos.v1.Protos.AgentInfo;
import io.cairn.proto.mesos.v1.Protos.Resource;
import io.cairn.proto.mesos.v1.Protos.Value;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A fleet of {@link SimAgent}s in this process, each on its own TCP connection to the master (a
 * real Netty client socket on loopback), all sharing one event loop group.
 *
 * <p>A phase ({@link #registerAll} or {@link #reconnectAll}) keeps at most {@code window}
 * agents between "connecting" and "answered", as a crowd of agents with registration back-off
 * would: each answer starts the next agent. {@link #awaitPhase} waits for every agent's answer.
 *
 * <p>Threading: phases are started from the bench's main thread; agents call back on their event
 * loops; counters are atomic.
 */
final class SimAgents implements AutoCloseable {
  /**
   * The agents' loops: native epoll where it loads, as a real agent's loop would cost on its own
   * host; the JDK selector costs noticeably more per connection on the machine the master shares.
   */
  private final EventLoopGroup group = Epoll.isAvailable()
      ? new EpollEventLoopGroup(2, SimAgents::agentThread)
      : new NioEventLoopGroup(2, SimAgents::agentThread);
  private final SimAgent[] agents;
  private final Bootstrap bootstrap;
  private volatile InetSocketAddress master;
  /** The upgrade request every agent of the phase sends (the same bytes for the same master). */
  private volatile byte[] upgradeRequest;
  private final AtomicInteger nextToStart = new AtomicInteger();
  private final AtomicInteger answered = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger connected = new AtomicInteger();
  private final AtomicLong lastAnswerNanos = new AtomicLong();
  private final AtomicReference<String> firstProblem = new AtomicReference<>();

  /** {@code count} agents, each offering {@code cpus} and {@code memMb} (and 500 GB of disk). */
  SimAgents(int count, double cpus, double memMb) {
    agents = new SimAgent[count];
    for (int i = 0; i < count; i++) {
      AgentInfo.Builder info = AgentInfo.newBuilder().setHostname("sim-agent-" + i)
          .setPort(5051).addResources(scalar("cpus", cpus)).addResources(scalar("mem", memMb))
          .addResources(scalar("disk", 500_000));
      agents[i] = new SimAgent(this, i, info);
    }
    bootstrap = new Bootstrap().group(group).channel(group instanceof EpollEventLoopGroup
        ? EpollSocketChannel.class : NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
  }

  private static Thread agentThread(Runnable r) {
    Thread t = new Thread(r, "bench-agents");
    t.setDaemon(true);
    return t;
  }

  private static Resource scalar(String name, double value) {
    return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
  }

  int size() {
    return agents.length;
  }

  /** Registers every agent with the master at {@code address}. */
  void registerAll(InetSocketAddress address, int window) {
    startPhase(address, window);
  }

  /** The new master is known (as a ZooKeeper watch would tell): every agent reconnects. */
  void reconnectAll(InetSocketAddress address, int window) {
    startPhase(address, window);
  }

  private void startPhase(InetSocketAddress address, int window) {
    master = address;
    upgradeRequest = AgentUpgradeDecoder.request(address.getHostString() + ":" + address.getPort());
    answered.set(0);
    refused.set(0);
    firstProblem.set(null);
    nextToStart.set(0);
    for (int i = 0; i < Math.min(window, agents.length); i++) {
      startNext();
    }
  }

  private void startNext() {
    int i = nextToStart.getAndIncrement();
    if (i >= agents.length) {
      return;
    }
    SimAgent agent = agents[i];
    agent.startedNanos = System.nanoTime();
    InetSocketAddress to = master;
    byte[] request = upgradeRequest;
    ChannelFuture connecting = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast("upgrade", new AgentUpgradeDecoder(SimAgents.this, agent, request));
      }
    }).connect(to);
    agent.attach(connecting.channel());
    connecting.addListener(f -> {
      if (f.isSuccess()) {
        agent.connectedNanos = System.nanoTime();
        connected.incrementAndGet();
        connecting.channel().closeFuture().addListener(c -> connected.decrementAndGet());
      } else {
        onRefused(agent, "connect to " + to + " failed: " + f.cause());
      }
    });
  }

  /**
   * Waits until every agent of the phase answered (registered, or refused); returns the nanoTime
   * of the last registration, or throws if the deadline passed.
   */
  long awaitPhase(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (answered.get() + refused.get() < agents.length) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(answered.get() + " of " + agents.length
            + " agents answered and " + refused.get() + " were refused within "
            + timeout.toMillis() + " ms; first problem: " + firstProblem.get());
      }
      Thread.sleep(1); // Polling with a deadline on counters the event loops advance.
    }
    return lastAnswerNanos.get();
  }

  /**
   * Every agent serializes its re-registration now (see {@link SimAgent#prepareReregistration});
   * call after {@link #awaitAllDisconnected}. Returns the bytes prepared.
   */
  long prepareReregistration() {
    long bytes = 0;
    for (SimAgent agent : agents) {
      agent.prepareReregistration();
      bytes += agent.preparedBytes();
    }
    return bytes;
  }

  /** Waits until no agent holds a connection any more (the old master closed them all). */
  void awaitAllDisconnected(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (connected.get() > 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(connected.get() + " agents still hold a connection "
            + timeout.toMillis() + " ms after the master stopped");
      }
      Thread.sleep(1); // Polling with a deadline on a counter the event loops advance.
    }
  }

  /**
   * Where the last phase's time went, per agent: p50 and max of start→connected, connected→101
   * and 101→answered, in milliseconds.
   */
  String phaseBreakdown() {
    long[][] steps = new long[3][agents.length];
    for (int i = 0; i < agents.length; i++) {
      SimAgent a = agents[i];
      steps[0][i] = a.connectedNanos - a.startedNanos;
      steps[1][i] = a.upgradedNanos - a.connectedNanos;
      steps[2][i] = a.answeredNanos - a.upgradedNanos;
    }
    String[] names = {"connect", "upgrade", "answer"};
    long[] answers = new long[agents.length];
    long first = Long.MAX_VALUE;
    for (int i = 0; i < agents.length; i++) {
      answers[i] = agents[i].answeredNanos;
      first = Math.min(first, agents[i].startedNanos);
    }
    java.util.Arrays.sort(answers);
    StringBuilder text = new StringBuilder();
    for (int s = 0; s < 3; s++) {
      java.util.Arrays.sort(steps[s]);
      text.append(String.format(java.util.Locale.ROOT, "%s%s p50 %.1f ms max %.1f ms",
          s == 0 ? "" : ", ", names[s], steps[s][agents.length / 2] / 1e6,
          steps[s][agents.length - 1] / 1e6));
    }
    text.append("; answered after the first start: ");
    int[] percents = {10, 25, 50, 75, 90, 100};
    for (int p = 0; p < percents.length; p++) {
      int index = Math.max(0, (int) Math.ceil(agents.length * percents[p] / 100.0) - 1);
      text.append(String.format(java.util.Locale.ROOT, "%s%d%% %.2f s", p == 0 ? "" : ", ",
          percents[p], (answers[index] - first) / 1e9));
    }
    return text.toString();
  }

  int refused() {
    return refused.get();
  }

  String firstProblem() {
    return firstProblem.get();
  }

  /** Tasks the agents run (what they would report on re-registration). */
  long tasksRunning() {
    long sum = 0;
    for (SimAgent agent : agents) {
      sum += agent.taskCount();
    }
    return sum;
  }

  void onRegistered(SimAgent agent, boolean again) {
    lastAnswerNanos.accumulateAndGet(System.nanoTime(), Math::max);
    answered.incrementAndGet();
    startNext();
  }

  void onRefused(SimAgent agent, String why) {
    firstProblem.compareAndSet(null, "agent " + agent.index() + ": " + why);
    refused.incrementAndGet();
    startNext();
  }

  void onDisconnected(SimAgent agent) {
    // Counted by the channel's close future, which also covers closes before the upgrade.
  }

  void onError(SimAgent agent, Throwable cause) {
    firstProblem.compareAndSet(null, "agent " + agent.index() + ": " + cause);
  }

  /** Closes every agent's connection and stops the event loops. */
  @Override
  public void close() {
    for (SimAgent agent : agents) {
      Channel channel = agent.channel();
      if (channel != null) {
        channel.close();
      }
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
  }
}
