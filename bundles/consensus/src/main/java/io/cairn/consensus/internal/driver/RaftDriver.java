package io.cairn.consensus.internal.driver;

import io.cairn.consensus.Applied;
import io.cairn.consensus.ConsensusUnavailableException;
import io.cairn.consensus.FollowerProgress;
import io.cairn.consensus.GroupStatus;
import io.cairn.consensus.Leadership;
import io.cairn.consensus.LeadershipListener;
import io.cairn.consensus.LeadershipLostException;
import io.cairn.consensus.Membership;
import io.cairn.consensus.NotLeaderException;
import io.cairn.consensus.ReplicatedLog;
import io.cairn.consensus.internal.core.Configuration;
import io.cairn.consensus.internal.core.EntryKind;
import io.cairn.consensus.internal.core.FollowerStatus;
import io.cairn.consensus.internal.core.Message;
import io.cairn.consensus.internal.core.ProposeResult;
import io.cairn.consensus.internal.core.RaftConfig;
import io.cairn.consensus.internal.core.RaftCore;
import io.cairn.consensus.internal.core.ReadState;
import io.cairn.consensus.internal.core.Ready;
import io.cairn.consensus.internal.core.Role;
import io.cairn.consensus.internal.core.Snapshot;
import io.cairn.consensus.internal.core.SoftState;
import io.cairn.consensus.internal.wire.Forward;
import io.cairn.consensus.internal.wire.Frame;
import io.cairn.consensus.internal.wire.MalformedMessageException;
import io.cairn.consensus.internal.wire.RaftCodec;
import io.cairn.consensus.internal.wire.SnapshotTransfer;
import io.cairn.consensus.spi.StateMachine;
import io.cairn.env.Check;
import io.cairn.env.RandomSource;
import io.cairn.env.Transport;
import io.cairn.env.storage.LogEntry;
import io.cairn.env.storage.LogStorage;
import io.cairn.env.storage.SnapshotStore;
import io.cairn.env.storage.StorageException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link RaftCore} on one event loop ({@link DriverLoop}: the Netty transport's own) and provides
 * the {@link ReplicatedLog} service. It feeds the core ticks and decoded messages, executes each
 * {@link Ready} in the documented order (send leader appends at once; write to {@link LogStorage};
 * once that write and every earlier one is durable, send the acknowledgements and report {@code
 * onPersisted}; apply committed entries to the {@link StateMachine} of their namespace) and
 * completes callers' stages.
 *
 * <p>Threading: public methods are thread-safe and hand work to the loop; everything else runs on
 * the loop. Failure: a storage error fail-stops the group (STYLE.md §5): every pending stage fails
 * with {@link ConsensusUnavailableException} and nothing more is accepted.
 *
 * <p>Followers forward, as etcd-raft does (thesis §6.2: "clients ... contact a follower, which
 * redirects or forwards the request"): {@link #propose} on a follower sends the command to the
 * leader it knows ({@link Forward.Proposal}); the leader appends it and answers at once with the
 * entry's (index, term); the follower completes the caller's stage when it has applied that entry
 * itself, with its own state machine's result, so a client reads its own writes on the node it
 * talks to. {@link #readBarrier} on a follower asks the leader for a read index (thesis §6.4,
 * {@link Forward.ReadRequest}) and completes once it has applied up to it. No leader known: the
 * stage fails at once with {@link NotLeaderException} (hint 0), so the caller retries. Leader
 * changed before the answer: {@link LeadershipLostException} (the command may have been appended).
 * A refusal because the receiver was not the leader is retried once on the leader known then.
 * In-flight forwards are bounded and time out ({@link ForwardingLimits}). The follower side is
 * the {@link Forwarder}'s; the leader side (append, answer) is here.
 *
 * <p>Snapshots, log compaction and chunked InstallSnapshot (Raft §7) are the {@link
 * SnapshotKeeper}'s; this class calls it after applying, on ticks and for transfer frames.
 *
 * <p>Reads use the leader's lease when check-quorum is on ({@link RaftCore#enableLeaseReads}):
 * within an election timeout (less {@link #LEASE_MARGIN_TICKS}) of a heartbeat round a quorum
 * answered, the leader answers a read barrier at its commit index without a round of messages;
 * otherwise it runs ReadIndex. The core's clock follows {@link System#nanoTime()}, not the number
 * of timer callbacks, so a paused loop cannot stretch a lease.
 */
public final class RaftDriver implements ReplicatedLog, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RaftDriver.class);

  /** A proposal waiting for its entry to be applied here; {@code forwarded} if a leader took it. */
  private record PendingProposal(long term, boolean forwarded, CompletableFuture<Applied> future) {}

  /** On the leader: a follower's read request {@code id}, served under a local read id. */
  private record RemoteRead(int follower, long id) {}

  private record Waiting(long writeSeq, List<Message> messages, long index, long term) {}

  /**
   * Everything a driver is started with.
   *
   * @param config the core's parameters
   * @param random this node's seeded source
   * @param storage the group's log
   * @param snapshots the group's snapshot store, or null to never snapshot nor compact
   * @param transport the network
   * @param machines the state machines known at start (more may come later)
   * @param tick the tick interval
   * @param limits bounds on forwarding
   * @param snapshotSettings when to snapshot and how to send snapshots
   */
  public record Setup(
      RaftConfig config, RandomSource random, LogStorage storage, SnapshotStore snapshots,
      Transport transport, Map<String, StateMachine> machines, Duration tick,
      ForwardingLimits limits, SnapshotSettings snapshotSettings) {}

  /** Ticks of a leader's lease given up for tick granularity and clock drift (thesis §6.4.1). */
  private static final int LEASE_MARGIN_TICKS = 2;

  private final RaftCore core;
  private final LogStorage storage;
  /** Null when the group has no snapshot store (it never snapshots nor compacts). */
  private final SnapshotKeeper snapshots;
  /** The highest commit index submitted to storage (durable or not). */
  private long submittedCommit;
  private final Transport transport;
  /** Touched on the loop only. */
  private final Map<String, StateMachine> machines = new HashMap<>();
  private final DriverLoop loop;
  private final Map<Long, PendingProposal> proposals = new HashMap<>();
  private final Map<Long, CompletableFuture<Long>> reads = new HashMap<>();
  private final TreeMap<Long, List<CompletableFuture<Long>>> readsWaitingForApply = new TreeMap<>();
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private final ForwardingLimits limits;
  /** Follower side: forwards waiting for the leader's answer. */
  private final Forwarder forwarder;
  /** Leader side: followers' reads by the local read id given to the core. */
  private final Map<Long, RemoteRead> remoteReads = new HashMap<>();
  /** Forwarded proposals the leader accepted that wait in {@link #proposals} for their apply. */
  private int forwardedWaitingForApply;
  private long ticks;
  /** The core's clock follows real time (leases), whatever the pace of the tick callbacks. */
  private final long tickNanos;
  private long startedNanos;
  private long appliedTerm;
  private final List<LeadershipListener> listeners = new CopyOnWriteArrayList<>();
  private final MembershipChange membershipChange = new MembershipChange();
  /** A {@link #drain} is queued for the end of the loop's current iteration. */
  private boolean drainQueued;
  private final Runnable drainTask = () -> {
    drainQueued = false;
    drain();
  };
  /** {@link #close} was called: callers get "closed", not "failed". */
  private volatile boolean closing;
  private long writesSubmitted;
  private long writesDone;
  private long nextReadId;
  private long applied;
  private volatile GroupStatus status;
  private volatile boolean failed;

  private RaftDriver(RaftCore core, Setup setup) {
    this.core = core;
    this.tickNanos = setup.tick().toNanos();
    core.useDriverClock();
    if (setup.config().checkQuorum()) {
      core.enableLeaseReads(LEASE_MARGIN_TICKS);
    }
    this.limits = setup.limits();
    this.forwarder = new Forwarder(core, limits, new ForwarderHost());
    this.storage = setup.storage();
    this.transport = setup.transport();
    this.snapshots = setup.snapshots() == null ? null
        : new SnapshotKeeper(core, setup.storage(), setup.snapshots(), setup.snapshotSettings(),
            setup.random().split(), this::send, this::failFromAnyThread, this::onLoop);
    this.machines.putAll(setup.machines());
    this.submittedCommit = setup.storage().hardState().commitIndex();
    this.loop = DriverLoop.forTransport(setup.transport(), core.nodeId());
    updateStatus();
  }

  /**
   * Recovers the node from {@code storage}, connects it to {@code transport} and starts ticking.
   * The state machines must be empty: the committed log is applied to them again from the start.
   * More can join later through {@link #addStateMachine}.
   */
  public static RaftDriver start(
      RaftConfig config, RandomSource random, LogStorage storage, Transport transport,
      Map<String, StateMachine> machines, Duration tick) {
    return start(config, random, storage, transport, machines, tick, ForwardingLimits.defaults());
  }

  /** As {@link #start(RaftConfig, RandomSource, LogStorage, Transport, Map, Duration)}, with limits. */
  public static RaftDriver start(
      RaftConfig config, RandomSource random, LogStorage storage, Transport transport,
      Map<String, StateMachine> machines, Duration tick, ForwardingLimits limits) {
    return start(new Setup(config, random, storage, null, transport, machines, tick, limits,
        SnapshotSettings.defaults()));
  }

  /**
   * Recovers the node from its log and latest snapshot (the given machines are restored from it,
   * then replayed the log after it), connects it to the transport and starts ticking.
   */
  public static RaftDriver start(Setup setup) {
    SnapshotRecovery.Recovered recovered = SnapshotRecovery.recover(
        setup.storage(), setup.snapshots(), setup.snapshotSettings().chunkBytes());
    RaftDriver driver = new RaftDriver(
        new RaftCore(setup.config(), setup.random(), recovered.durable()), setup);
    if (recovered.meta() != null) {
      try {
        driver.snapshots.restore(recovered.meta(), driver.machines);
        driver.applied = recovered.meta().lastIndex();
        driver.appliedTerm = recovered.meta().lastTerm();
        driver.updateStatus();
      } catch (RuntimeException e) {
        driver.loop.close(() -> { }, Duration.ofSeconds(5));
        throw e;
      }
    }
    setup.transport().setReceiver(driver::onMessage);
    driver.startedNanos = System.nanoTime();
    driver.loop.tickEvery(setup.tick(), driver::onTick);
    LOG.info("raft group started node={} snapshotIndex={} lastIndex={}", setup.config().nodeId(),
        driver.snapshotIndex(), setup.storage().lastIndex());
    return driver;
  }

  // ---------------------------------------------------------------- service

  @Override
  public CompletionStage<Applied> propose(String namespace, byte[] command) {
    CompletableFuture<Applied> future = new CompletableFuture<>();
    byte[] copy = command.clone();
    submit(future, () -> {
      // Checked on the loop, so it is ordered with addStateMachine/removeStateMachine.
      if (!machines.containsKey(namespace)) {
        future.completeExceptionally(
            new IllegalArgumentException(
                "no state machine registered for namespace '" + namespace + "'"));
        return;
      }
      proposeOnLoop(namespace, copy, future, 0);
    });
    return future;
  }

  /** Proposes on the leader; forwards to the leader on a follower. */
  private void proposeOnLoop(
      String namespace, byte[] command, CompletableFuture<Applied> future, int attempt) {
    if (core.role() != Role.LEADER) {
      forwarder.propose(namespace, command, future, attempt, ticks, forwardedWaitingForApply);
      return;
    }
    ProposeResult result = core.propose(new CommandFrame(namespace, command).encode());
    if (!result.accepted()) {
      future.completeExceptionally(refusal(result.rejection(), result.leaderHint()));
      return;
    }
    track(result.index(), new PendingProposal(result.term(), false, future));
  }

  /** The exception a caller gets for a refused proposal; each says what to do next. */
  private RuntimeException refusal(ProposeResult.Rejection rejection, int leaderHint) {
    if (rejection == ProposeResult.Rejection.OVERLOADED) {
      return new ConsensusUnavailableException(
          "the leader has too many uncommitted entries (backpressure); retry later", null);
    }
    return new NotLeaderException(core.nodeId(), leaderHint);
  }

  /**
   * Waits for the entry at {@code index} to be applied here. An older proposal still waiting at
   * the same index belongs to an earlier term, so a newer leader replaced it (Raft §5.3).
   */
  private void track(long index, PendingProposal pending) {
    PendingProposal replaced = proposals.put(index, pending);
    if (replaced != null) {
      settled(replaced);
      replaced.future().completeExceptionally(new LeadershipLostException(
          "entry " + index + " of term " + replaced.term() + " was replaced by term "
              + pending.term()));
    }
    if (pending.forwarded()) {
      forwardedWaitingForApply++;
    }
  }

  /** Bookkeeping when a pending proposal leaves {@link #proposals}. */
  private void settled(PendingProposal pending) {
    if (pending.forwarded()) {
      forwardedWaitingForApply--;
    }
  }

  @Override
  public CompletionStage<Long> readBarrier() {
    CompletableFuture<Long> future = new CompletableFuture<>();
    submit(future, () -> readOnLoop(future, 0));
    return future;
  }

  /** ReadIndex on the leader (thesis §6.4); on a follower, asks the leader for the index. */
  private void readOnLoop(CompletableFuture<Long> future, int attempt) {
    if (core.role() != Role.LEADER) {
      forwarder.read(future, attempt, ticks);
      return;
    }
    long id = ++nextReadId;
    reads.put(id, future);
    updateClock();
    core.requestRead(id);
  }

  @Override
  public CompletionStage<Void> transferLeadership(int nodeId) {
    CompletableFuture<Void> future = new CompletableFuture<>();
    submit(future, () -> {
      core.transferLeadership(nodeId);
      future.complete(null);
    });
    return future;
  }

  /** Completes once the final configuration is applied here (so: committed). */
  @Override
  public CompletionStage<Membership> changeMembership(Membership target) {
    CompletableFuture<Membership> future = new CompletableFuture<>();
    submit(future, () -> membershipChange.start(core, target, future));
    return future;
  }

  @Override
  public GroupStatus status() {
    return status;
  }

  @Override
  public Registration addLeadershipListener(LeadershipListener listener) {
    listeners.add(listener);
    loop.execute(() -> listener.onLeadershipChange(status.leadership()));
    return () -> listeners.remove(listener);
  }

  /**
   * Adds (or replaces) the state machine of its namespace while the group runs — the whiteboard
   * path for a bundle installed or updated at run time. On the loop, every committed entry of that
   * namespace applied so far is read back from storage and applied to {@code machine}, in order,
   * before it receives live entries; entries committed while a namespace had no machine are thus
   * never lost. {@code machine} must be empty. Once the log is compacted, the machine is first
   * restored from its namespace's section of the latest snapshot and replayed the entries after it.
   */
  public void addStateMachine(StateMachine machine) {
    loop.execute(() -> {
      long replayed;
      try {
        replayed = replay(machine);
      } catch (IOException | RuntimeException e) {
        // Its entries wait in the log (and snapshots wait for it); the rest of the group goes on.
        LOG.error("state machine not added namespace={}: restoring it from the snapshot through {} "
            + "failed; update or restart its bundle", machine.namespace(), snapshotIndex(), e);
        return;
      }
      machines.put(machine.namespace(), machine);
      LOG.info("state machine added namespace={} snapshotIndex={} replayedEntries={} "
          + "appliedIndex={}", machine.namespace(), snapshotIndex(), replayed, applied);
    });
  }

  /** Stops applying entries to {@code machine}; later entries of its namespace wait in the log. */
  public void removeStateMachine(StateMachine machine) {
    loop.execute(() -> {
      if (machines.remove(machine.namespace(), machine)) {
        LOG.info("state machine removed namespace={}", machine.namespace());
      }
    });
  }

  private long replay(StateMachine machine) throws IOException {
    long replayed = 0;
    long next = snapshots == null ? storage.firstIndex() : snapshots.restoreLate(machine);
    while (next <= applied) {
      List<LogEntry> batch = storage.read(next, applied + 1, 4L << 20);
      Check.state(!batch.isEmpty(), "log has no entry %s though %s is applied", next, applied);
      for (LogEntry entry : batch) {
        if (EntryKind.of(entry) == EntryKind.COMMAND) {
          CommandFrame frame = CommandFrame.decode(entry.payload(), 1);
          if (frame.namespace().equals(machine.namespace())) {
            machine.apply(entry.index(), frame.command());
            replayed++;
          }
        }
      }
      next = batch.get(batch.size() - 1).index() + 1;
    }
    return replayed;
  }

  /**
   * Stops ticking, fails what is pending, and waits (bounded) for that to finish on the loop. Later
   * calls fail at once; frames still arriving on a shared transport loop are dropped.
   */
  @Override
  public void close() {
    closing = true;
    loop.close(() -> {
      failed = true;
      failAll(new ConsensusUnavailableException("raft group closed", null));
      if (snapshots != null) {
        snapshots.close();
      }
    }, Duration.ofSeconds(5));
  }

  private void submit(CompletableFuture<?> future, Runnable work) {
    if (failed || closing) {
      future.completeExceptionally(new ConsensusUnavailableException(
          "raft group " + (closing ? "closed" : "failed") + " on node " + core.nodeId(), null));
      return;
    }
    try {
      loop.execute(() -> {
        // The group may have failed after the check above, with this task already queued (a
        // storage error handled first): then the work would register a caller nobody completes.
        if (failed) {
          future.completeExceptionally(new ConsensusUnavailableException(
              "raft group " + (closing ? "closed" : "failed") + " on node " + core.nodeId(), null));
          return;
        }
        work.run();
        requestDrain();
      });
    } catch (RejectedExecutionException e) {
      future.completeExceptionally(new ConsensusUnavailableException("raft group stopped", e));
    }
  }

  // ---------------------------------------------------------------- snapshots

  /** The last index of the snapshot the core is based on, or 0. */
  long snapshotIndex() {
    return snapshots == null ? 0 : snapshots.index();
  }

  /**
   * The core accepted a snapshot from the leader: the keeper empties the log up to it and
   * restores the machines; proposals it covers have an unknown outcome here.
   */
  private void installSnapshot(Snapshot snapshot) {
    try {
      snapshots.install(snapshot, submittedCommit, machines, this::trackWrite);
    } catch (RuntimeException e) {
      fail(e);
      return;
    }
    applied = snapshot.index();
    appliedTerm = Math.max(appliedTerm, snapshot.term());
    membershipChange.onSnapshotInstalled(snapshot.index());
    var iterator = proposals.entrySet().iterator();
    while (iterator.hasNext()) {
      var pending = iterator.next();
      if (pending.getKey() <= snapshot.index()) {
        iterator.remove();
        settled(pending.getValue());
        pending.getValue().future().completeExceptionally(new LeadershipLostException(
            "entry " + pending.getKey() + " was covered by a snapshot from the leader; its "
                + "outcome is unknown here"));
      }
    }
    releaseReads();
  }

  private void maybeSnapshot() {
    if (snapshots == null || failed) {
      return;
    }
    try {
      snapshots.maybeTake(applied, machines);
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  /** A snapshot chunk (follower) or its acknowledgement (leader). */
  private void onTransfer(SnapshotTransfer transfer) {
    if (snapshots == null) {
      LOG.warn("dropped a snapshot transfer node={} from={}: this node has no snapshot store",
          core.nodeId(), transfer.from());
      return;
    }
    Message.InstallSnapshot complete = snapshots.onTransfer(transfer, ticks);
    if (complete != null) {
      core.step(complete);
    }
  }

  /** Runs {@code task} on the loop unless the group stopped (for the snapshot keeper's thread). */
  private void onLoop(Runnable task) {
    try {
      loop.execute(task);
    } catch (RejectedExecutionException e) {
      LOG.debug("raft group stopped node={}; dropped a completion", core.nodeId());
    }
  }

  /** A storage failure reported on another thread: stop the group on the loop. */
  private void failFromAnyThread(Throwable error) {
    try {
      loop.execute(() -> fail(error));
    } catch (RejectedExecutionException e) {
      LOG.debug("raft group already stopped node={}: {}", core.nodeId(), error.getMessage());
    }
  }

  // ---------------------------------------------------------------- forwarding (follower side)

  /** The {@link Forwarder}'s view of this driver. */
  private final class ForwarderHost implements Forwarder.Host {
    @Override
    public void send(Forward forward) {
      RaftDriver.this.send(forward);
    }

    @Override
    public void accepted(long index, long term, CompletableFuture<Applied> future) {
      if (index <= applied) {
        future.completeExceptionally(new LeadershipLostException("entry " + index
            + " was applied before the leader's answer arrived; its outcome is unknown here"));
      } else {
        track(index, new PendingProposal(term, true, future));
      }
    }

    @Override
    public void proposeAgain(String namespace, byte[] command, CompletableFuture<Applied> future) {
      proposeOnLoop(namespace, command, future, 1);
    }

    @Override
    public void readAgain(CompletableFuture<Long> future) {
      readOnLoop(future, 1);
    }

    @Override
    public void readAt(CompletableFuture<Long> future, long index) {
      completeRead(future, index);
    }
  }

  private void onForward(Forward forward) {
    if (forward instanceof Forward.Proposal m) {
      onForwardedProposal(m);
    } else if (forward instanceof Forward.ProposalResult m) {
      forwarder.onProposalResult(m);
    } else if (forward instanceof Forward.ReadRequest m) {
      onReadRequest(m);
    } else if (forward instanceof Forward.ReadResult m) {
      forwarder.onReadResult(m);
    }
  }

  // ---------------------------------------------------------------- forwarding (leader side)

  /**
   * A follower's proposal: append it like a local one and answer with (index, term) at once,
   * before the entry itself is sent (the caller drains the core afterwards), so the follower
   * knows what to wait for by the time the entry reaches it.
   */
  private void onForwardedProposal(Forward.Proposal request) {
    ProposeResult result = core.propose(
        new CommandFrame(request.namespace(), request.command()).encode());
    Forward.Error error = Forward.Error.NONE;
    if (!result.accepted()) {
      error = switch (result.rejection()) {
        case TRANSFERRING -> Forward.Error.TRANSFERRING;
        case OVERLOADED -> Forward.Error.OVERLOADED;
        default -> Forward.Error.NOT_LEADER;
      };
    }
    send(new Forward.ProposalResult(core.nodeId(), request.from(), request.id(), result.index(),
        result.term(), error, result.accepted() ? core.nodeId() : result.leaderHint()));
  }

  /** A follower's read: a ReadIndex round like a local one; answered in {@link #onReadState}. */
  private void onReadRequest(Forward.ReadRequest request) {
    Forward.Error error = Forward.Error.NONE;
    if (core.role() != Role.LEADER) {
      error = Forward.Error.NOT_LEADER;
    } else if (remoteReads.size() >= limits.maxInFlight()) {
      error = Forward.Error.OVERLOADED;
    }
    if (error != Forward.Error.NONE) {
      send(new Forward.ReadResult(core.nodeId(), request.from(), request.id(), 0, error,
          core.leaderId()));
      return;
    }
    long id = ++nextReadId;
    remoteReads.put(id, new RemoteRead(request.from(), request.id()));
    updateClock();
    core.requestRead(id);
  }

  // ---------------------------------------------------------------- loop

  private void onTick() {
    if (!failed) {
      ticks++;
      forwarder.expire(ticks);
      if (snapshots != null) {
        snapshots.tick(ticks);
      }
      updateClock();
      core.tick();
      requestDrain();
    }
  }

  /**
   * Sets the core's clock from {@link System#nanoTime()}. A leader's lease is counted on it, so a
   * stalled loop (GC, a stopped process) cannot make the core believe less time passed than did;
   * reads call this first. Timer ticks themselves keep the executor's pace: after a stall they run
   * late, interleaved with the messages that queued meanwhile, so check-quorum sees the answers.
   */
  private void updateClock() {
    core.clock((System.nanoTime() - startedNanos) / tickNanos);
  }

  /** Called on the transport's thread, which is the loop for a Netty transport: decode, step. */
  private void onMessage(int from, byte[] payload) {
    Frame frame;
    try {
      frame = RaftCodec.decodeFrame(payload);
    } catch (MalformedMessageException e) {
      LOG.warn("dropped malformed raft message node={} from={}: {}", core.nodeId(), from, e.getMessage());
      return;
    }
    if (frame.from() != from || frame.to() != core.nodeId()) {
      LOG.warn("dropped misaddressed raft message node={} from={} claims={}->{}",
          core.nodeId(), from, frame.from(), frame.to());
      return;
    }
    if (loop.inLoop()) {
      step(frame);
      return;
    }
    try {
      loop.execute(() -> step(frame));
    } catch (RejectedExecutionException e) {
      LOG.debug("raft group stopped; dropped message node={} from={}", core.nodeId(), from);
    }
  }

  private void step(Frame frame) {
    if (failed) {
      return;
    }
    try {
      if (frame.rpc() != null) {
        core.step(frame.rpc());
      } else if (frame.forward() != null) {
        onForward(frame.forward());
      } else {
        onTransfer(frame.transfer());
      }
      requestDrain();
    } catch (StorageException e) {
      fail(e);
    }
  }

  /**
   * Drains the core at the end of the loop's current iteration, once every frame read and every
   * task queued in it has been stepped, rather than after each: the proposals, messages and
   * completions that arrived together then leave as one append per follower, one storage write
   * and one batch of acknowledgements. Under load a send, a write and an acknowledgement per
   * message cost each node more than the work itself, and the slowest follower fell seconds
   * behind. It stays on the loop's thread, so a lone request pays no extra hop.
   */
  private void requestDrain() {
    if (drainQueued || failed) {
      return;
    }
    drainQueued = true;
    try {
      loop.afterIteration(drainTask);
    } catch (RejectedExecutionException e) {
      drainQueued = false;
      LOG.debug("raft group stopped; not draining node={}", core.nodeId());
    }
  }

  private void drain() {
    while (!failed && core.hasReady()) {
      Ready ready = core.ready();
      if (ready.softState() != null) {
        onSoftState(ready.softState());
      }
      ready.sendNow().forEach(this::send);
      persist(ready);
      if (!ready.committedEntries().isEmpty()) {
        // Callers completed by apply see a status that already counts their commit.
        updateStatus();
      }
      apply(ready.committedEntries());
      maybeSnapshot();
      ready.readStates().forEach(this::onReadState);
      for (long id : ready.failedReads()) {
        RemoteRead remote = remoteReads.remove(id);
        if (remote != null) {
          send(new Forward.ReadResult(core.nodeId(), remote.follower(), remote.id(), 0,
              Forward.Error.NOT_LEADER, core.leaderId()));
        }
        CompletableFuture<Long> read = reads.remove(id);
        if (read != null) {
          read.completeExceptionally(new NotLeaderException(core.nodeId(), core.leaderId()));
        }
      }
    }
    updateStatus();
  }

  private void send(Message message) {
    if (message instanceof Message.InstallSnapshot install) {
      // The core's snapshot has no bytes here: they are streamed from the store in chunks.
      if (snapshots != null) {
        snapshots.send(install, ticks);
      }
      return;
    }
    transport.send(message.to(), RaftCodec.encode(message));
  }

  private void send(SnapshotTransfer transfer) {
    transport.send(transfer.to(), RaftCodec.encode(transfer));
  }

  private void send(Forward forward) {
    transport.send(forward.to(), RaftCodec.encode(forward));
  }

  private void persist(Ready ready) {
    if (ready.snapshot() != null) {
      installSnapshot(ready.snapshot());
      if (failed) {
        return;
      }
    }
    if (ready.write() != null) {
      if (ready.write().hardState() != null) {
        submittedCommit = Math.max(submittedCommit, ready.write().hardState().commitIndex());
      }
      trackWrite(storage.write(ready.write()));
    }
    if (writesSubmitted == writesDone) {
      ready.sendAfterPersist().forEach(this::send);
      return;
    }
    waiting.addLast(
        new Waiting(writesSubmitted, ready.sendAfterPersist(), ready.persistIndex(), ready.persistTerm()));
  }

  /** Counts a storage change among the writes that later messages wait for. */
  private void trackWrite(java.util.concurrent.CompletionStage<?> stage) {
    long seq = ++writesSubmitted;
    stage.whenComplete((result, error) -> {
      try {
        loop.execute(() -> onWritten(seq, error));
      } catch (RejectedExecutionException e) {
        LOG.debug("raft group stopped before write {} completed", seq);
      }
    });
  }

  /** A write is durable (LogStorage completes in submission order): release what waited. */
  private void onWritten(long seq, Throwable error) {
    if (failed) {
      return;
    }
    if (error != null) {
      fail(error);
      return;
    }
    writesDone = seq;
    while (!waiting.isEmpty() && waiting.peekFirst().writeSeq() <= seq) {
      Waiting done = waiting.removeFirst();
      done.messages().forEach(this::send);
      core.onPersisted(done.index(), done.term());
    }
    requestDrain();
  }

  private void apply(List<LogEntry> entries) {
    for (LogEntry entry : entries) {
      byte[] result = new byte[0];
      String namespace = null;
      if (EntryKind.of(entry) == EntryKind.COMMAND) {
        CommandFrame frame = CommandFrame.decode(entry.payload(), 1);
        namespace = frame.namespace();
        StateMachine machine = machines.get(frame.namespace());
        if (machine != null) {
          result = machine.apply(entry.index(), frame.command());
        } else {
          // Its bundle is being updated or not yet started: addStateMachine replays the entry.
          LOG.debug("no state machine for namespace={} index={}; kept for replay",
              frame.namespace(), entry.index());
        }
      }
      membershipChange.onApplied(entry);
      applied = entry.index();
      if (snapshots != null) {
        snapshots.onApplied(entry, namespace);
      }
      completeProposal(entry, result);
      if (entry.term() > appliedTerm) {
        appliedTerm = entry.term();
        failProposalsOlderThan(entry);
      }
    }
    releaseReads();
  }

  private void releaseReads() {
    while (!readsWaitingForApply.isEmpty() && readsWaitingForApply.firstKey() <= applied) {
      long index = readsWaitingForApply.firstKey();
      readsWaitingForApply.pollFirstEntry().getValue().forEach(read -> read.complete(index));
    }
  }

  /** The proposal at this index is ours only if the terms agree (Raft §5.3); else it was lost. */
  private void completeProposal(LogEntry entry, byte[] result) {
    PendingProposal pending = proposals.remove(entry.index());
    if (pending == null) {
      return;
    }
    settled(pending);
    if (pending.term() == entry.term()) {
      pending.future().complete(new Applied(entry.index(), entry.term(), result));
    } else {
      pending.future().completeExceptionally(new LeadershipLostException(
          "entry " + entry.index() + " was replaced by term " + entry.term()));
    }
  }

  /**
   * Once an entry of a newer term is applied, no entry of an older term can be committed after it
   * (the log's terms never decrease, and a new leader's first entry follows all it holds, Raft
   * §5.4): proposals of older terms still waiting, necessarily at later indexes, were lost.
   */
  private void failProposalsOlderThan(LogEntry entry) {
    var iterator = proposals.entrySet().iterator();
    while (iterator.hasNext()) {
      PendingProposal pending = iterator.next().getValue();
      if (pending.term() < entry.term()) {
        iterator.remove();
        settled(pending);
        pending.future().completeExceptionally(new LeadershipLostException(
            "a proposal of term " + pending.term() + " was overtaken by entry " + entry.index()
                + " of term " + entry.term()));
      }
    }
  }

  private void onReadState(ReadState read) {
    RemoteRead remote = remoteReads.remove(read.requestId());
    if (remote != null) {
      // The follower waits for its own apply; the leader only vouches for the index.
      send(new Forward.ReadResult(core.nodeId(), remote.follower(), remote.id(), read.index(),
          Forward.Error.NONE, core.nodeId()));
      return;
    }
    CompletableFuture<Long> future = reads.remove(read.requestId());
    if (future == null) {
      return;
    }
    completeRead(future, read.index());
  }

  /** Completes a read once {@code index} is applied here. */
  private void completeRead(CompletableFuture<Long> future, long index) {
    if (index <= applied) {
      future.complete(index);
    } else {
      readsWaitingForApply.computeIfAbsent(index, i -> new ArrayList<>()).add(future);
    }
  }

  private void onSoftState(SoftState soft) {
    LOG.info("raft role node={} term={} leader={} role={}",
        core.nodeId(), soft.term(), soft.leaderId(), soft.role());
    forwarder.leaderChanged(soft.leaderId(), soft.term());
    if (snapshots != null && soft.role() != Role.LEADER) {
      snapshots.stoppedLeading();
    }
    Leadership leadership =
        new Leadership(soft.term(), soft.leaderId(), soft.role() == Role.LEADER);
    for (LeadershipListener listener : listeners) {
      listener.onLeadershipChange(leadership);
    }
  }

  private void updateStatus() {
    Configuration configuration = core.configuration();
    List<FollowerProgress> followers = new ArrayList<>();
    for (FollowerStatus follower : core.followers()) {
      followers.add(new FollowerProgress(follower.nodeId(), follower.matchIndex(),
          Math.max(0, core.lastIndex() - follower.matchIndex()), follower.state(),
          follower.recentlyActive()));
    }
    status = new GroupStatus(
        core.nodeId(),
        new Leadership(core.term(), core.leaderId(), core.role() == Role.LEADER),
        core.commitIndex(), applied,
        new Membership(configuration.allVoters(), configuration.learners()), snapshotIndex(),
        followers);
  }

  /** Storage failed: stop the group, never continue on unknown state (STYLE.md §5). */
  private void fail(Throwable cause) {
    if (failed) {
      return;
    }
    failed = true;
    LOG.error("raft group failed node={}; stopping", core.nodeId(), cause);
    failAll(new ConsensusUnavailableException("raft group failed on node " + core.nodeId(), cause));
    loop.stopTicking();
  }

  private void failAll(RuntimeException error) {
    membershipChange.failAll(error);
    proposals.values().forEach(p -> p.future().completeExceptionally(error));
    proposals.clear();
    forwardedWaitingForApply = 0;
    forwarder.failAll(error);
    remoteReads.clear();
    reads.values().forEach(r -> r.completeExceptionally(error));
    reads.clear();
    readsWaitingForApply.values().forEach(list -> list.forEach(r -> r.completeExceptionally(error)));
    readsWaitingForApply.clear();
  }
}
