package io.cairn.master.internal.server;

import io.cairn.allocator.AllocatorBooks;
import io.cairn.allocator.AllocatorOptions;
import io.cairn.allocator.spi.Allocator;
import io.cairn.allocator.spi.AllocatorFactory;
import io.cairn.consensus.Leadership;
import io.cairn.consensus.ReplicatedLog;
import io.cairn.env.Clock;
import io.cairn.master.RegistryView;
import io.cairn.master.internal.RegistryStateMachine;
import io.cairn.master.internal.core.MasterCore;
import io.cairn.master.internal.core.MasterOutbox;
import io.cairn.master.internal.core.MasterSettings;
import io.cairn.master.internal.proto.RegistryProtos.RegistryCommand;
import io.cairn.master.internal.proto.RegistryProtos.RegistryResult;
import io.cairn.proto.agent.AgentMessage;
import io.cairn.proto.mesos.v1.Protos.Address;
import io.cairn.proto.mesos.v1.Protos.MasterInfo;
import io.cairn.proto.mesos.v1.scheduler.Protos.Event;
import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production driver of {@link MasterCore}: one thread ("cairn-master") feeds the core with
 * agent frames, scheduler calls, stream closes, ticks and registry outcomes, and executes its
 * outbox on Netty channels and the replicated log. It follows leadership: a core exists only while
 * this node is the Raft leader, created after a read barrier (so the registry it starts from holds
 * every committed entry) and stopped, with every stream and agent connection dropped, when
 * leadership is lost.
 *
 * <p>Threading: public methods may be called from any thread (Netty event loops, DS, the log's
 * completion thread); they hand work to the master thread. The core, {@link #core} and the
 * stream objects are touched only there.
 */
public final class MasterDriver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MasterDriver.class);
  private static final long TICK_MS = 100;
  /**
   * The most bytes queued for one slow peer (agent or scheduler) before its connection is closed:
   * it reconnects and catches up (re-registration, reconciliation) instead of growing the heap.
   */
  static final long MAX_PENDING_BYTES = 32L * 1024 * 1024;

  /** Where this master serves and how it finds the others. */
  public record Settings(String hostname, String ip, int port, MasterSettings master,
      AllocatorOptions allocator, Map<Integer, String> peerHttp) {}

  private final Settings settings;
  private final ReplicatedLog log;
  private final RegistryView registry;
  private final Clock clock;
  private final ScheduledExecutorService loop;
  private final Map<Integer, String> peerHosts;
  private final List<Consumer<Optional<MasterInfo>>> leadershipWatchers =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Map<Long, Channel> agentChannels = new ConcurrentHashMap<>();
  private final Map<String, HttpStream> streams = new ConcurrentHashMap<>();
  private final AtomicLong nextConnection = new AtomicLong(1);
  private volatile AllocatorFactory factory;
  private volatile Leadership leadership = new Leadership(0, 0, false);
  private volatile MasterInfo leadingInfo;
  private volatile long electedMs;
  private final long startMs;
  private MasterCore core;
  private ReplicatedLog.Registration registration;
  /** Agent frames and closes from the Netty threads, drained by the master thread in runs. */
  private final java.util.concurrent.ConcurrentLinkedQueue<AgentInput> agentInbox =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final java.util.concurrent.atomic.AtomicBoolean agentDrainScheduled =
      new java.util.concurrent.atomic.AtomicBoolean();
  /** Agent inputs handled per run of the master thread before other queued work gets a turn. */
  private static final int MAX_AGENT_INPUTS_PER_RUN = 256;
  /** Frames (and closes) for agent connections, handed to their event loops in batches. */
  private final AgentWrites agentWrites = new AgentWrites();

  public MasterDriver(Settings settings, ReplicatedLog log, RegistryView registry, Clock clock,
      AllocatorFactory factory, Map<Integer, String> peerHosts) {
    this.settings = settings;
    this.log = log;
    this.registry = registry;
    this.clock = clock;
    this.factory = factory;
    this.peerHosts = Map.copyOf(peerHosts);
    this.startMs = clock.wallMillis();
    this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "cairn-master");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts ticking and following leadership. */
  public void start() {
    loop.scheduleAtFixedRate(() -> guarded(() -> {
      if (core != null) {
        core.onTick();
      }
    }), TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    registration = log.addLeadershipListener(this::onLeadershipChange);
  }

  @Override
  public void close() {
    if (registration != null) {
      registration.close();
    }
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    loop.execute(() -> {
      stopCore();
      stopped.complete(null);
    });
    try {
      stopped.get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      LOG.warn("master core did not stop within 5 s; closing anyway reason={}", e.toString());
    }
    loop.shutdownNow();
  }

  /** Told with this master's info when it starts leading, and with empty when it stops. */
  public void watchLeadership(Consumer<Optional<MasterInfo>> watcher) {
    leadershipWatchers.add(watcher);
  }

  // ------------------------------------------------------------------------------------------
  // Leadership.
  // ------------------------------------------------------------------------------------------

  private void onLeadershipChange(Leadership now) {
    leadership = now;
    loop.execute(() -> guarded(() -> follow(now)));
  }

  private void follow(Leadership now) {
    if (!now.local()) {
      stopCore();
      return;
    }
    if (core != null && leadingTerm() == now.term()) {
      return;
    }
    stopCore();
    log.readBarrier().whenComplete((index, error) -> loop.execute(() -> guarded(() -> {
      Leadership current = leadership;
      if (error != null) {
        LOG.warn("read barrier failed; not leading yet term={} reason={}", now.term(),
            error.toString());
        return;
      }
      if (current.local() && current.term() == now.term() && core == null) {
        startCore(now.term());
      }
    })));
  }

  private long coreTerm = -1;

  private long leadingTerm() {
    return coreTerm;
  }

  private void startCore(long term) {
    MasterInfo info = masterInfo(term);
    Allocator allocator = factory.create(settings.allocator(), AllocatorBooks.EMPTY);
    CoreOutbox outbox = new CoreOutbox();
    core = new MasterCore(settings.master(), clock, allocator, outbox, info, term,
        registry.registry());
    outbox.owner = core;
    coreTerm = term;
    leadingInfo = info;
    electedMs = clock.wallMillis();
    LOG.info("master elected term={} id={} allocator={}", term, info.getId(), factory.name());
    leadershipWatchers.forEach(w -> w.accept(Optional.of(info)));
  }

  private void stopCore() {
    if (core != null) {
      core.stop();
      core = null;
      coreTerm = -1;
      leadingInfo = null;
      leadershipWatchers.forEach(w -> w.accept(Optional.empty()));
    }
    for (Long id : new ArrayList<>(agentChannels.keySet())) {
      Channel channel = agentChannels.remove(id);
      if (channel != null) {
        channel.close();
      }
    }
    for (String id : new ArrayList<>(streams.keySet())) {
      HttpStream stream = streams.remove(id);
      if (stream != null) {
        stream.close();
      }
    }
  }

  private MasterInfo masterInfo(long term) {
    String id = UUID.randomUUID().toString();
    MasterInfo.Builder info = MasterInfo.newBuilder().setId(id).setPort(settings.port())
        .setIp(ipv4(settings.ip())).setHostname(settings.hostname())
        .setPid("master@" + settings.ip() + ":" + settings.port()).setVersion("1.11.0")
        .setAddress(Address.newBuilder().setHostname(settings.hostname()).setIp(settings.ip())
            .setPort(settings.port()));
    return info.build();
  }

  /** Mesos's MasterInfo.ip: the IPv4 address in network byte order read as a little-endian int. */
  static int ipv4(String ip) {
    try {
      byte[] b = InetAddress.getByName(ip).getAddress();
      if (b.length != 4) {
        return 0;
      }
      return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    } catch (UnknownHostException e) {
      LOG.warn("master ip={} does not resolve; MasterInfo.ip is 0", ip);
      return 0;
    }
  }

  /** Swaps the allocator, handing the books over (ARCHITECTURE.md, "Hot swap"). */
  public void useAllocator(AllocatorFactory newFactory) {
    this.factory = newFactory;
    loop.execute(() -> guarded(() -> {
      if (core != null) {
        core.replaceAllocator(books -> newFactory.create(settings.allocator(), books));
        LOG.info("allocator swapped name={}", newFactory.name());
      }
    }));
  }

  // ------------------------------------------------------------------------------------------
  // Queries from the HTTP side.
  // ------------------------------------------------------------------------------------------

  /** The name of the allocator the master uses (e.g. {@code drf}, {@code first-fit}). */
  public String allocatorName() {
    return factory.name();
  }

  /** True while a core leads on this node. */
  public boolean leading() {
    return leadingInfo != null;
  }

  public Optional<MasterInfo> leadingInfo() {
    return Optional.ofNullable(leadingInfo);
  }

  public Leadership leadership() {
    return leadership;
  }

  public long electedMs() {
    return electedMs;
  }

  public long startMs() {
    return startMs;
  }

  /** Milliseconds since this driver was created, by its clock. */
  public long uptimeMs() {
    return clock.wallMillis() - startMs;
  }

  public Settings settings() {
    return settings;
  }

  /** {@code host:port} of the leading master's HTTP endpoint, if a leader is known. */
  public Optional<String> leaderAddress() {
    Leadership now = leadership;
    if (!now.known()) {
      return Optional.empty();
    }
    if (now.local()) {
      return Optional.of(settings.hostname() + ":" + settings.port());
    }
    String configured = settings.peerHttp().get(now.leaderId());
    if (configured != null) {
      return Optional.of(configured);
    }
    String host = peerHosts.get(now.leaderId());
    return host == null ? Optional.empty() : Optional.of(host + ":" + settings.port());
  }

  /**
   * Runs {@code action} on the master thread with the leading core; completes with empty when
   * this node does not lead.
   */
  public <T> CompletableFuture<Optional<T>> withCore(Function<MasterCore, T> action) {
    CompletableFuture<Optional<T>> result = new CompletableFuture<>();
    loop.execute(() -> {
      try {
        result.complete(core == null ? Optional.empty() : Optional.ofNullable(action.apply(core)));
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
        failed(e);
      }
    });
    return result;
  }

  // ------------------------------------------------------------------------------------------
  // Agent connections and scheduler streams.
  // ------------------------------------------------------------------------------------------

  /** An upgraded agent connection; returns its id. */
  public long agentConnected(Channel channel) {
    long id = nextConnection.getAndIncrement();
    agentChannels.put(id, channel);
    return id;
  }

  public void agentMessage(long connectionId, AgentMessage message) {
    agentInbox.add(new AgentInput(connectionId, message));
    scheduleAgentDrain();
  }

  public void agentDisconnected(long connectionId) {
    agentChannels.remove(connectionId);
    agentInbox.add(new AgentInput(connectionId, null));
    scheduleAgentDrain();
  }

  /** An agent frame, or (message null) the close of its connection. */
  private record AgentInput(long connectionId, AgentMessage message) {}

  /**
   * Agent inputs reach the master thread through one queue drained in runs, instead of one task
   * each: when 10,000 agents re-register, the Netty threads add to a lock-free queue and wake the
   * master thread once per run, not once per frame. Order per connection is kept (frames and the
   * close go through the same queue).
   */
  private void scheduleAgentDrain() {
    if (agentDrainScheduled.compareAndSet(false, true)) {
      loop.execute(this::drainAgentInputs);
    }
  }

  private void drainAgentInputs() {
    agentDrainScheduled.set(false);
    for (int i = 0; i < MAX_AGENT_INPUTS_PER_RUN; i++) {
      AgentInput input = agentInbox.poll();
      if (input == null) {
        return;
      }
      guarded(() -> {
        if (core == null) {
          return;
        }
        if (input.message() == null) {
          core.onAgentDisconnected(input.connectionId());
        } else if (agentChannels.containsKey(input.connectionId())) {
          core.onAgentMessage(input.connectionId(), input.message());
        }
      });
    }
    scheduleAgentDrain(); // More are queued: the next run comes after what else waits (ticks).
  }

  /** Registers a stream before its SUBSCRIBE reaches the core (call on the master thread). */
  void addStream(HttpStream stream) {
    streams.put(stream.id(), stream);
  }

  void removeStream(String streamId) {
    streams.remove(streamId);
  }

  /** The scheduler's connection closed. */
  public void streamClosed(String streamId) {
    loop.execute(() -> guarded(() -> {
      if (streams.remove(streamId) != null && core != null) {
        core.onStreamClosed(streamId);
      }
    }));
  }

  private void guarded(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  /**
   * A bug surfaced in the core: its state can no longer be trusted, so it is dropped (every
   * connection closed, as in a fail-over) and a fresh core is started from the registry.
   */
  private void failed(RuntimeException e) {
    LOG.error("master core failed; restarting it from the registry term={}", coreTerm, e);
    stopCore();
    Leadership now = leadership;
    if (now.local()) {
      follow(now);
    }
  }

  /**
   * Agent frames the master thread sends, handed to each connection's event loop in batches: one
   * task per loop writes every frame of the batch and then flushes each connection once, instead
   * of one task (and possibly one loop wake-up) per frame. A batch is handed over when the master
   * thread has run what was queued before the batch's first frame (the answers to one burst of
   * re-registrations go together), or at {@link #MAX_BATCH} frames. Order per connection is kept,
   * closes included: a close goes into the batch after the frames queued before it.
   *
   * <p>Threading: master thread only; the batches run on the event loops.
   */
  private final class AgentWrites {
    static final int MAX_BATCH = 256;
    private final Map<io.netty.channel.EventLoop, List<Object>> batches = new java.util.HashMap<>();
    private int queued;
    private boolean handOverScheduled;

    /** Queues {@code message} for {@code channel}. */
    void write(Channel channel, AgentMessage message) {
      add(channel, message);
    }

    /** Queues the close of {@code channel} after what is already queued for it. */
    void close(Channel channel) {
      add(channel, null);
    }

    private void add(Channel channel, AgentMessage messageOrClose) {
      List<Object> batch = batches.computeIfAbsent(channel.eventLoop(), l -> new ArrayList<>());
      batch.add(channel);
      batch.add(messageOrClose);
      if (++queued >= MAX_BATCH) {
        handOver();
      } else if (!handOverScheduled) {
        handOverScheduled = true;
        try {
          loop.execute(this::handOver);
        } catch (java.util.concurrent.RejectedExecutionException e) {
          handOver(); // The driver is closing: hand over now, the loops drop what they cannot send.
        }
      }
    }

    private void handOver() {
      handOverScheduled = false;
      if (queued == 0) {
        return;
      }
      queued = 0;
      for (Map.Entry<io.netty.channel.EventLoop, List<Object>> entry : batches.entrySet()) {
        List<Object> batch = entry.getValue();
        if (!batch.isEmpty()) {
          List<Object> work = new ArrayList<>(batch);
          batch.clear();
          try {
            entry.getKey().execute(() -> writeAll(work));
          } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("agent frames dropped: their event loop stopped frames={}", work.size() / 2);
          }
        }
      }
    }

    /** On the event loop: every frame written, then every connection flushed once or closed. */
    private static void writeAll(List<Object> work) {
      java.util.Set<Channel> toFlush = new java.util.LinkedHashSet<>();
      for (int i = 0; i < work.size(); i += 2) {
        Channel channel = (Channel) work.get(i);
        Object message = work.get(i + 1);
        if (message == null) {
          if (toFlush.remove(channel)) {
            channel.flush();
          }
          channel.close();
        } else {
          channel.write(message, channel.voidPromise());
          toFlush.add(channel);
        }
      }
      for (Channel channel : toFlush) {
        channel.flush();
      }
    }
  }

  /** Executes the outbox of one core; outputs of a stopped core are dropped. */
  private final class CoreOutbox implements MasterOutbox {
    MasterCore owner;

    @Override
    public void toAgent(long connectionId, AgentMessage message) {
      Channel channel = agentChannels.get(connectionId);
      if (channel == null) {
        return;
      }
      long backlog = channel.bytesBeforeWritable();
      if (backlog == Long.MAX_VALUE) {
        return; // Closed (no outbound buffer any more): its disconnect is on its way to the core.
      }
      if (backlog > MAX_PENDING_BYTES) {
        LOG.warn("closing agent connection={} peer={}: more than {} bytes wait to be sent",
            connectionId, channel.remoteAddress(), MAX_PENDING_BYTES);
        agentWrites.close(channel);
        return;
      }
      agentWrites.write(channel, message); // Serialized on the event loop (AgentMessageEncoder).
    }

    @Override
    public void closeAgent(long connectionId, String reason) {
      Channel channel = agentChannels.remove(connectionId);
      if (channel != null) {
        LOG.debug("closing agent connection={} reason={}", connectionId, reason);
        agentWrites.close(channel); // After the frames queued before it (e.g. ShutdownAgent).
      }
    }

    @Override
    public void toFramework(String streamId, Event event) {
      HttpStream stream = streams.get(streamId);
      if (stream != null) {
        stream.send(event);
      }
    }

    @Override
    public void toOperatorStream(String streamId,
        io.cairn.proto.mesos.v1.master.Protos.Event event) {
      HttpStream stream = streams.get(streamId);
      if (stream != null) {
        stream.send(event);
      }
    }

    @Override
    public void closeStream(String streamId, String reason) {
      HttpStream stream = streams.remove(streamId);
      if (stream != null) {
        LOG.debug("closing scheduler stream={} reason={}", streamId, reason);
        stream.close();
      }
    }

    @Override
    public void propose(long proposalId, RegistryCommand command) {
      MasterCore proposer = owner;
      log.propose(RegistryStateMachine.NAMESPACE, command.toByteArray())
          .whenComplete((applied, error) -> loop.execute(() -> guarded(() -> {
            if (core == null || core != proposer) {
              return;
            }
            if (error != null) {
              core.onRegistryFailure(proposalId, "the registry write failed: " + error);
              return;
            }
            try {
              core.onRegistryResult(proposalId, RegistryResult.parseFrom(applied.result()));
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
              core.onRegistryFailure(proposalId, "the registry answered unreadable bytes");
            }
          })));
    }
  }
}
