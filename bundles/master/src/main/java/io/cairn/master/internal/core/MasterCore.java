package io.cairn.master.internal.core;

import io.cairn.allocator.AgentId;
import io.cairn.allocator.AgentResources;
import io.cairn.allocator.AgentSpec;
import io.cairn.allocator.Allocation;
import io.cairn.allocator.Filters;
import io.cairn.allocator.FrameworkSpec;
import io.cairn.allocator.Offer;
import io.cairn.allocator.OfferPlan;
import io.cairn.allocator.spi.Allocator;
import io.cairn.env.Clock;
import io.cairn.master.AgentState;
import io.cairn.master.Registry;
import io.cairn.master.internal.core.MasterBooks.AgentEntry;
import io.cairn.master.internal.core.MasterBooks.FrameworkEntry;
import io.cairn.master.internal.core.MasterBooks.OfferEntry;
import io.cairn.master.internal.core.MasterBooks.TaskEntry;
import io.cairn.master.internal.proto.RegistryProtos.RegistryCommand;
import io.cairn.master.internal.proto.RegistryProtos.RegistryResult;
import io.cairn.proto.agent.AgentMessage;
import io.cairn.proto.mesos.v1.Protos.MasterInfo;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import io.cairn.proto.mesos.v1.Protos.TaskStatus;
import io.cairn.proto.mesos.v1.scheduler.Protos.Call;
import io.cairn.proto.mesos.v1.scheduler.Protos.Event;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leading master of one Raft term: agents, frameworks, offers and tasks (Mesos {@code
 * src/master/master.cpp}), as a deterministic single-threaded core.
 *
 * <p>Inputs: agent frames and disconnects ({@link AgentChannel}), scheduler calls and stream
 * closes ({@link SchedulerCalls}), {@link #onTick}, registry outcomes ({@link #onRegistryResult}).
 * Outputs go to the {@link MasterOutbox}. Time comes only from the {@link Clock} given, offers only
 * from the {@link Allocator} given. A core exists only while its node leads: the driver creates
 * one when leadership is gained (with the registry as then applied) and calls {@link #stop} when
 * it is lost, so a node that does not lead makes no offers and launches nothing.
 *
 * <p>Threading: not thread-safe; every method is called from the driver's one event loop.
 */
public final class MasterCore {
  private static final Logger LOG = LoggerFactory.getLogger(MasterCore.class);

  final MasterSettings settings;
  final Clock clock;
  Allocator allocator;
  final MasterOutbox outbox;
  final MasterInfo masterInfo;
  final long term;

  final Map<String, AgentEntry> agents = new LinkedHashMap<>();
  final Map<Long, String> agentByConnection = new HashMap<>();
  final Map<String, FrameworkEntry> frameworks = new LinkedHashMap<>();
  final Map<String, String> frameworkByStream = new HashMap<>();
  final Map<String, OfferEntry> offers = new LinkedHashMap<>();
  /** Registry state of every agent id this term knows of (admitted, unreachable, gone). */
  final Map<String, AgentState> registryStates = new HashMap<>();
  final Map<String, String> registryFrameworks = new HashMap<>();
  /** Continuations of registry proposals in flight, by proposal id. */
  final Map<Long, Consumer<RegistryResult>> pending = new HashMap<>();

  final AgentChannel agentChannel;
  final SchedulerCalls schedulerCalls;
  final OperatorEvents operatorEvents;

  private long nextProposal = 1;
  private long nextOffer = 1;
  long nextFramework;
  long nextAgent = 1;
  private final TreeSet<AgentId> allocationCandidates = new TreeSet<>();
  private boolean allocateAll;
  private long nextAllocationMs;
  private long nextHeartbeatMs;
  private long nextPingMs;
  private boolean stopped;
  /** The last allocation over every agent (for {@code allocator:why}); null before the first. */
  private OfferPlan lastFullPlan;

  /**
   * A core that leads from now on.
   *
   * @param masterInfo this master (its id prefixes every id the core makes)
   * @param term the Raft term this node leads in; fences agent messages
   * @param registry the registry as applied when leadership was gained
   */
  public MasterCore(MasterSettings settings, Clock clock, Allocator allocator,
      MasterOutbox outbox, MasterInfo masterInfo, long term, Registry registry) {
    this.settings = settings;
    this.clock = clock;
    this.allocator = allocator;
    this.outbox = outbox;
    this.masterInfo = masterInfo;
    this.term = term;
    registry.agents().forEach(a -> registryStates.put(a.id(), a.state()));
    registry.frameworks().forEach(f -> registryFrameworks.put(f.id(), f.name()));
    AllocatorControl.seed(allocator, registry);
    this.nextFramework = registry.frameworks().size();
    long now = clock.wallMillis();
    this.nextAllocationMs = now + settings.allocationIntervalMs();
    this.nextHeartbeatMs = now + settings.heartbeatIntervalMs();
    this.nextPingMs = now + settings.agentPingTimeoutMs();
    this.operatorEvents = new OperatorEvents(this);
    this.agentChannel = new AgentChannel(this);
    this.schedulerCalls = new SchedulerCalls(this);
    LOG.info("master leading term={} id={} registryAgents={} registryFrameworks={}", term,
        masterInfo.getId(), registryStates.size(), registryFrameworks.size());
  }

  // ------------------------------------------------------------------------------------------
  // Inputs.
  // ------------------------------------------------------------------------------------------

  /** A frame from agent connection {@code connectionId}. */
  public void onAgentMessage(long connectionId, AgentMessage message) {
    if (stopped) {
      return;
    }
    agentChannel.onMessage(connectionId, message);
  }

  /** Agent connection {@code connectionId} closed. */
  public void onAgentDisconnected(long connectionId) {
    if (stopped) {
      return;
    }
    agentChannel.onDisconnected(connectionId);
  }

  /** A SUBSCRIBE call that opened stream {@code streamId}; see {@link SchedulerCalls}. */
  public CallResult onSubscribe(String streamId, Call call) {
    if (stopped) {
      return new CallResult(CallResult.Status.NOT_LEADER, "this master no longer leads");
    }
    CallResult result = schedulerCalls.subscribe(streamId, call);
    return result;
  }

  /** Any other scheduler call, made with the {@code Mesos-Stream-Id} {@code streamId}. */
  public CallResult onCall(String streamId, Call call) {
    if (stopped) {
      return new CallResult(CallResult.Status.NOT_LEADER, "this master no longer leads");
    }
    CallResult result = schedulerCalls.call(streamId, call);
    return result;
  }

  /** An operator API SUBSCRIBE that opened stream {@code streamId}. */
  public CallResult onOperatorSubscribe(String streamId) {
    if (stopped) {
      return new CallResult(CallResult.Status.NOT_LEADER, "this master no longer leads");
    }
    return operatorEvents.subscribe(streamId);
  }

  /** Scheduler or operator stream {@code streamId} closed (the client went away). */
  public void onStreamClosed(String streamId) {
    if (stopped || operatorEvents.closed(streamId)) {
      return;
    }
    schedulerCalls.streamClosed(streamId);
  }

  /** Time passes: allocation, heartbeats, agent pings, framework failover timeouts. */
  public void onTick() {
    if (stopped) {
      return;
    }
    long now = clock.wallMillis();
    if (now >= nextPingMs) {
      nextPingMs = now + settings.agentPingTimeoutMs();
      agentChannel.pingAll();
    }
    if (now >= nextHeartbeatMs) {
      nextHeartbeatMs = now + settings.heartbeatIntervalMs();
      Event heartbeat = Event.newBuilder().setType(Event.Type.HEARTBEAT).build();
      for (FrameworkEntry f : frameworks.values()) {
        if (f.streamId != null) {
          outbox.toFramework(f.streamId, heartbeat);
        }
      }
      operatorEvents.heartbeat();
    }
    agentChannel.checkTimers(now);
    schedulerCalls.expireFailoverTimeouts(now);
    if (now >= nextAllocationMs) {
      nextAllocationMs = now + settings.allocationIntervalMs();
      allocateAll = true;
    }
    runAllocation();
  }

  /** The registry applied proposal {@code proposalId} with {@code result}. */
  public void onRegistryResult(long proposalId, RegistryResult result) {
    Consumer<RegistryResult> continuation = pending.remove(proposalId);
    if (stopped || continuation == null) {
      return;
    }
    continuation.accept(result);
  }

  /** Proposal {@code proposalId} failed before an outcome was known (e.g. leadership lost). */
  public void onRegistryFailure(long proposalId, String reason) {
    onRegistryResult(proposalId, RegistryResult.newBuilder()
        .setCode(RegistryResult.Code.INVALID).setMessage(reason).build());
  }

  /** Leadership is lost: every stream and agent connection is dropped; the core is done. */
  public void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    for (FrameworkEntry f : frameworks.values()) {
      if (f.streamId != null) {
        outbox.closeStream(f.streamId, "the master lost leadership");
      }
    }
    for (long connection : agentByConnection.keySet()) {
      outbox.closeAgent(connection, "the master lost leadership");
    }
    for (String stream : operatorEvents.streams()) {
      outbox.closeStream(stream, "the master lost leadership");
    }
    frameworkByStream.clear();
    agentByConnection.clear();
    pending.clear();
    LOG.info("master stopped leading term={}", term);
  }

  /**
   * Hands the allocator's books to a new allocator made by {@code successor} and uses it from now
   * on (a hot swap: nothing is lost or offered twice; refusal filters are dropped).
   */
  public void replaceAllocator(
      java.util.function.Function<io.cairn.allocator.AllocatorBooks, Allocator> successor) {
    allocator = successor.apply(allocator.books());
    allocateAll = true;
  }

  /** The operator view of agents, frameworks and tasks (v1 GET_STATE). */
  public io.cairn.proto.mesos.v1.master.Protos.Response.GetState state() {
    return StateViews.state(this);
  }

  public boolean stopped() {
    return stopped;
  }

  // ------------------------------------------------------------------------------------------
  // Allocator views and policy (the allocator:* shell commands).
  // ------------------------------------------------------------------------------------------

  /** A copy of the allocator's books: agents, frameworks, allocations, weights, quotas. */
  public io.cairn.allocator.AllocatorBooks allocatorBooks() {
    return allocator.books();
  }

  /** What is offered and not yet answered, one allocation per outstanding offer. */
  public List<Allocation> outstandingOffers() {
    return offers.values().stream().map(o -> o.offer().asAllocation()).toList();
  }

  /** The plan (with its explanation) of the last allocation over every agent. */
  public java.util.Optional<OfferPlan> lastFullAllocation() {
    return java.util.Optional.ofNullable(lastFullPlan);
  }

  /** Sets role weights through the registry; {@code done} gets null or why nothing changed. */
  public void updateWeights(Map<String, Double> weights, Consumer<String> done) {
    AllocatorControl.updateWeights(this, Map.copyOf(weights), done);
  }

  /** Sets or (with Quota.NONE) removes a role's quota through the registry; see above. */
  public void updateQuota(String role, io.cairn.allocator.Quota quota, Consumer<String> done) {
    AllocatorControl.updateQuota(this, role, quota, done);
  }

  // ------------------------------------------------------------------------------------------
  // Shared helpers for AgentChannel and SchedulerCalls.
  // ------------------------------------------------------------------------------------------

  long now() {
    return clock.wallMillis();
  }

  void propose(RegistryCommand command, Consumer<RegistryResult> continuation) {
    long id = nextProposal++;
    pending.put(id, continuation);
    outbox.propose(id, command);
  }

  void sendToAgent(AgentEntry agent, AgentMessage.Builder message) {
    if (agent.connected()) {
      outbox.toAgent(agent.connectionId, message.setLeaderTerm(term).build());
    }
  }

  void sendToFramework(FrameworkEntry framework, Event event) {
    if (framework.streamId != null) {
      outbox.toFramework(framework.streamId, event);
    }
  }

  void sendUpdate(FrameworkEntry framework, TaskStatus status) {
    sendToFramework(framework, Event.newBuilder().setType(Event.Type.UPDATE)
        .setUpdate(Event.Update.newBuilder().setStatus(status)).build());
  }

  /** Schedules an allocation run over {@code agentId} at the end of this input. */
  void allocateSoon(String agentId) {
    allocationCandidates.add(AgentId.of(agentId));
  }

  /** Schedules an allocation run over every agent at the end of this input. */
  void allocateAllSoon() {
    allocateAll = true;
  }

  /** Gives held resources back to the allocator and offers that agent again soon. */
  void recover(Allocation allocation, Filters filters) {
    allocator.recoverResources(allocation, filters, now());
    allocateSoon(allocation.agentId().value());
  }

  /** Forgets an offer and gives its resources back; sends RESCIND when {@code rescind}. */
  void removeOffer(OfferEntry offer, boolean rescind, Filters filters) {
    offers.remove(offer.id());
    AgentEntry agent = agents.get(offer.agentId());
    if (agent != null) {
      agent.offerIds.remove(offer.id());
    }
    FrameworkEntry framework = frameworks.get(offer.frameworkId());
    if (framework != null) {
      framework.offerIds.remove(offer.id());
      if (rescind) {
        sendToFramework(framework, Event.newBuilder().setType(Event.Type.RESCIND)
            .setRescind(Event.Rescind.newBuilder().setOfferId(
                io.cairn.proto.mesos.v1.Protos.OfferID.newBuilder().setValue(offer.id())))
            .build());
      }
    }
    recover(offer.offer().asAllocation(), filters);
  }

  /** Returns a task's resources to the allocator once (on its first terminal state). */
  void recoverTask(TaskEntry task) {
    if (!task.recovered && !task.resources.isEmpty()) {
      task.recovered = true;
      recover(task.allocation(), Filters.NONE);
    }
    task.recovered = true;
  }

  /** The allocator's spec of a framework: its roles (MULTI_ROLE) or its single role. */
  static FrameworkSpec frameworkSpec(io.cairn.proto.mesos.v1.Protos.FrameworkInfo info) {
    TreeSet<String> roles = new TreeSet<>(info.getRolesList());
    if (roles.isEmpty()) {
      roles.add(info.hasRole() ? info.getRole() : "*");
    }
    return new FrameworkSpec(io.cairn.allocator.FrameworkId.of(info.getId().getValue()),
        info.getName(), roles);
  }

  static AgentSpec agentSpec(AgentEntry agent) {
    return new AgentSpec(AgentId.of(agent.id()), agent.info.getHostname(), agent.total);
  }

  // ------------------------------------------------------------------------------------------
  // Allocation.
  // ------------------------------------------------------------------------------------------

  /**
   * Runs the allocation batched since the last tick: over every agent when the interval is due
   * or a framework (re)subscribed or revived, else over the agents whose resources changed
   * (Mesos batches the same way: one pending run, candidate agents accumulate). Running it per
   * input instead would cost one allocator pass per frame at scale.
   */
  private void runAllocation() {
    if (stopped || (!allocateAll && allocationCandidates.isEmpty())) {
      return;
    }
    long now = now();
    OfferPlan plan;
    if (allocateAll) {
      plan = allocator.allocate(now);
      lastFullPlan = plan;
    } else {
      plan = allocator.allocate(now, new TreeSet<>(allocationCandidates));
    }
    allocateAll = false;
    allocationCandidates.clear();
    sendOffers(plan);
  }

  private void sendOffers(OfferPlan plan) {
    Map<String, List<io.cairn.proto.mesos.v1.Protos.Offer>> byFramework = new LinkedHashMap<>();
    for (Offer planned : plan.offers()) {
      FrameworkEntry framework = frameworks.get(planned.frameworkId().value());
      AgentEntry agent = agents.get(planned.agentId().value());
      if (framework == null || agent == null || framework.streamId == null) {
        // The allocator should not offer to these; give the resources back at once.
        LOG.warn("allocator offered to an absent party framework={} agent={}",
            planned.frameworkId(), planned.agentId());
        allocator.recoverResources(planned.asAllocation(), Filters.NONE, now());
        continue;
      }
      String id = masterInfo.getId() + "-O" + nextOffer++;
      OfferEntry entry = new OfferEntry(id, planned);
      offers.put(id, entry);
      agent.offerIds.add(id);
      framework.offerIds.add(id);
      byFramework.computeIfAbsent(framework.id(), k -> new ArrayList<>())
          .add(StateViews.offerProto(entry, agent));
    }
    byFramework.forEach((frameworkId, list) -> sendToFramework(frameworks.get(frameworkId),
        Event.newBuilder().setType(Event.Type.OFFERS)
            .setOffers(Event.Offers.newBuilder().addAllOffers(list)).build()));
  }

  /** A master-generated status (no uuid: never retried, never acknowledged). */
  TaskStatus masterStatus(TaskEntry task, TaskState state, TaskStatus.Reason reason,
      String message) {
    return StateViews.masterStatus(task.task.getTaskId(), task.task.getAgentId(), state, reason,
        message, now());
  }

  static AgentResources none() {
    return AgentResources.EMPTY;
  }
}
