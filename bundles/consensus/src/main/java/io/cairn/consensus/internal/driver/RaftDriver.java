package io.cairn.consensus.internal.driver;

import io.cairn.consensus.Applied;
import io.cairn.consensus.ConsensusUnavailableException;
import io.cairn.consensus.GroupStatus;
import io.cairn.consensus.Leadership;
import io.cairn.consensus.LeadershipListener;
import io.cairn.consensus.LeadershipLostException;
import io.cairn.consensus.Membership;
import io.cairn.consensus.NotLeaderException;
import io.cairn.consensus.ReplicatedLog;
import io.cairn.consensus.internal.core.Configuration;
import io.cairn.consensus.internal.core.DurableState;
import io.cairn.consensus.internal.core.EntryKind;
import io.cairn.consensus.internal.core.Message;
import io.cairn.consensus.internal.core.ProposeResult;
import io.cairn.consensus.internal.core.RaftConfig;
import io.cairn.consensus.internal.core.RaftCore;
import io.cairn.consensus.internal.core.ReadState;
import io.cairn.consensus.internal.core.Ready;
import io.cairn.consensus.internal.core.Role;
import io.cairn.consensus.internal.core.SoftState;
import io.cairn.consensus.internal.wire.MalformedMessageException;
import io.cairn.consensus.internal.wire.RaftCodec;
import io.cairn.consensus.spi.StateMachine;
import io.cairn.env.Check;
import io.cairn.env.RandomSource;
import io.cairn.env.Transport;
import io.cairn.env.storage.LogEntry;
import io.cairn.env.storage.LogStorage;
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
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link RaftCore} on one event loop (a single-thread scheduled executor) and provides
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
 * <p>Not yet: snapshots through {@code SnapshotStore} (the core supports them), follower reads.
 */
public final class RaftDriver implements ReplicatedLog, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RaftDriver.class);

  private record PendingProposal(long term, CompletableFuture<Applied> future) {}

  private record Waiting(long writeSeq, List<Message> messages, long index, long term) {}

  private record PendingChange(
      long index, long term, Membership target, CompletableFuture<Membership> future) {}

  private final RaftCore core;
  private final LogStorage storage;
  private final Transport transport;
  /** Touched on the loop only. */
  private final Map<String, StateMachine> machines = new HashMap<>();
  private final ScheduledExecutorService loop;
  private final Map<Long, PendingProposal> proposals = new HashMap<>();
  private final Map<Long, CompletableFuture<Long>> reads = new HashMap<>();
  private final TreeMap<Long, List<CompletableFuture<Long>>> readsWaitingForApply = new TreeMap<>();
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private final List<LeadershipListener> listeners = new CopyOnWriteArrayList<>();
  private PendingChange pendingChange;
  private long writesSubmitted;
  private long writesDone;
  private long nextReadId;
  private long applied;
  private volatile GroupStatus status;
  private volatile boolean failed;

  private RaftDriver(
      RaftCore core, LogStorage storage, Transport transport, Map<String, StateMachine> machines) {
    this.core = core;
    this.storage = storage;
    this.transport = transport;
    this.machines.putAll(machines);
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "cairn-raft-" + core.nodeId());
              thread.setDaemon(true);
              return thread;
            });
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
    List<LogEntry> entries =
        storage.lastIndex() < storage.firstIndex()
            ? List.of()
            : storage.read(storage.firstIndex(), storage.lastIndex() + 1, Long.MAX_VALUE);
    DurableState durable = new DurableState(storage.hardState(), null, entries);
    RaftDriver driver = new RaftDriver(new RaftCore(config, random, durable), storage, transport, machines);
    transport.setReceiver(driver::onMessage);
    long tickMs = tick.toMillis();
    driver.loop.scheduleAtFixedRate(driver::onTick, tickMs, tickMs, TimeUnit.MILLISECONDS);
    LOG.info("raft group started node={} lastIndex={}", config.nodeId(), storage.lastIndex());
    return driver;
  }

  // ---------------------------------------------------------------- service

  @Override
  public CompletionStage<Applied> propose(String namespace, byte[] command) {
    CompletableFuture<Applied> future = new CompletableFuture<>();
    byte[] data = new CommandFrame(namespace, command).encode();
    submit(future, () -> {
      // Checked on the loop, so it is ordered with addStateMachine/removeStateMachine.
      if (!machines.containsKey(namespace)) {
        future.completeExceptionally(
            new IllegalArgumentException(
                "no state machine registered for namespace '" + namespace + "'"));
        return;
      }
      ProposeResult result = core.propose(data);
      if (!result.accepted()) {
        future.completeExceptionally(new NotLeaderException(core.nodeId(), result.leaderHint()));
        return;
      }
      proposals.put(result.index(), new PendingProposal(result.term(), future));
    });
    return future;
  }

  @Override
  public CompletionStage<Long> readBarrier() {
    CompletableFuture<Long> future = new CompletableFuture<>();
    submit(future, () -> {
      long id = ++nextReadId;
      reads.put(id, future);
      core.requestRead(id);
    });
    return future;
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
    submit(future, () -> {
      ProposeResult result = core.proposeConfiguration(target.voters(), target.learners());
      if (result.rejection() == ProposeResult.Rejection.NOT_LEADER) {
        future.completeExceptionally(new NotLeaderException(core.nodeId(), result.leaderHint()));
        return;
      }
      if (!result.accepted()) {
        future.completeExceptionally(new IllegalStateException(
            "membership change to " + target + " refused: " + result.rejection()));
        return;
      }
      pendingChange = new PendingChange(result.index(), result.term(), target, future);
    });
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
   * never lost. {@code machine} must be empty. Until the driver compacts its log (snapshots are not
   * wired into the driver yet) the whole history is in storage.
   */
  public void addStateMachine(StateMachine machine) {
    loop.execute(() -> {
      long replayed = replay(machine);
      machines.put(machine.namespace(), machine);
      LOG.info("state machine added namespace={} replayedEntries={} appliedIndex={}",
          machine.namespace(), replayed, applied);
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

  private long replay(StateMachine machine) {
    long replayed = 0;
    long next = storage.firstIndex();
    while (next <= applied) {
      List<LogEntry> batch = storage.read(next, applied + 1, 4L << 20);
      Check.state(!batch.isEmpty(), "log has no entry %s though %s is applied", next, applied);
      for (LogEntry entry : batch) {
        if (EntryKind.of(entry) == EntryKind.COMMAND) {
          CommandFrame frame = CommandFrame.decode(EntryKind.data(entry));
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

  /** Stops ticking, fails what is pending, and waits (bounded) for the loop to finish. */
  @Override
  public void close() {
    try {
      loop.execute(() -> failAll(new ConsensusUnavailableException("raft group closed", null)));
    } catch (RejectedExecutionException e) {
      LOG.debug("raft group already stopped node={}", core.nodeId());
    }
    loop.shutdown();
    try {
      if (!loop.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("raft loop did not stop within 5 s node={}; interrupting", core.nodeId());
        loop.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      loop.shutdownNow();
    }
  }

  private void submit(CompletableFuture<?> future, Runnable work) {
    if (failed) {
      future.completeExceptionally(new ConsensusUnavailableException("raft group failed", null));
      return;
    }
    try {
      loop.execute(() -> {
        work.run();
        drain();
      });
    } catch (RejectedExecutionException e) {
      future.completeExceptionally(new ConsensusUnavailableException("raft group stopped", e));
    }
  }

  // ---------------------------------------------------------------- loop

  private void onTick() {
    if (!failed) {
      core.tick();
      drain();
    }
  }

  /** Called on the transport's thread: decode there, step on the loop. */
  private void onMessage(int from, byte[] payload) {
    Message message;
    try {
      message = RaftCodec.decode(payload);
    } catch (MalformedMessageException e) {
      LOG.warn("dropped malformed raft message node={} from={}: {}", core.nodeId(), from, e.getMessage());
      return;
    }
    if (message.from() != from || message.to() != core.nodeId()) {
      LOG.warn("dropped misaddressed raft message node={} from={} claims={}->{}",
          core.nodeId(), from, message.from(), message.to());
      return;
    }
    try {
      loop.execute(() -> {
        if (!failed) {
          core.step(message);
          drain();
        }
      });
    } catch (RejectedExecutionException e) {
      LOG.debug("raft group stopped; dropped message node={} from={}", core.nodeId(), from);
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
      apply(ready.committedEntries());
      ready.readStates().forEach(this::onReadState);
      for (long id : ready.failedReads()) {
        CompletableFuture<Long> read = reads.remove(id);
        if (read != null) {
          read.completeExceptionally(new NotLeaderException(core.nodeId(), core.leaderId()));
        }
      }
    }
    updateStatus();
  }

  private void send(Message message) {
    transport.send(message.to(), RaftCodec.encode(message));
  }

  private void persist(Ready ready) {
    if (ready.snapshot() != null) {
      fail(new IllegalStateException("snapshot install is not wired to SnapshotStore yet"));
      return;
    }
    if (ready.write() != null) {
      long seq = ++writesSubmitted;
      storage.write(ready.write()).whenComplete((lastIndex, error) -> {
        try {
          loop.execute(() -> onWritten(seq, error));
        } catch (RejectedExecutionException e) {
          LOG.debug("raft group stopped before write {} completed", seq);
        }
      });
    }
    if (writesSubmitted == writesDone) {
      ready.sendAfterPersist().forEach(this::send);
      return;
    }
    waiting.addLast(
        new Waiting(writesSubmitted, ready.sendAfterPersist(), ready.persistIndex(), ready.persistTerm()));
  }

  /** A write is durable (LogStorage completes in submission order): release what waited. */
  private void onWritten(long seq, Throwable error) {
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
    drain();
  }

  private void apply(List<LogEntry> entries) {
    for (LogEntry entry : entries) {
      byte[] result = new byte[0];
      if (EntryKind.of(entry) == EntryKind.COMMAND) {
        CommandFrame frame = CommandFrame.decode(EntryKind.data(entry));
        StateMachine machine = machines.get(frame.namespace());
        if (machine != null) {
          result = machine.apply(entry.index(), frame.command());
        } else {
          // Its bundle is being updated or not yet started: addStateMachine replays the entry.
          LOG.debug("no state machine for namespace={} index={}; kept for replay",
              frame.namespace(), entry.index());
        }
      } else if (EntryKind.of(entry) == EntryKind.CONFIGURATION) {
        settleMembershipChange(entry);
      }
      applied = entry.index();
      completeProposal(entry, result);
    }
    while (!readsWaitingForApply.isEmpty() && readsWaitingForApply.firstKey() <= applied) {
      long index = readsWaitingForApply.firstKey();
      readsWaitingForApply.pollFirstEntry().getValue().forEach(read -> read.complete(index));
    }
  }

  /**
   * A membership change completes when the final configuration (not the joint one) is applied;
   * it failed if another entry took the place of its joint configuration (Raft §6).
   */
  private void settleMembershipChange(LogEntry entry) {
    PendingChange change = pendingChange;
    if (change == null) {
      return;
    }
    Configuration configuration = EntryKind.configuration(entry);
    if (entry.index() == change.index() && entry.term() != change.term()) {
      pendingChange = null;
      change.future().completeExceptionally(new LeadershipLostException(
          "membership change at " + change.index() + " was replaced by term " + entry.term()));
    } else if (entry.index() > change.index() && !configuration.joint()
        && configuration.voters().equals(change.target().voters())) {
      pendingChange = null;
      change.future().complete(change.target());
    }
  }

  /** The proposal at this index is ours only if the terms agree (Raft §5.3); else it was lost. */
  private void completeProposal(LogEntry entry, byte[] result) {
    PendingProposal pending = proposals.remove(entry.index());
    if (pending == null) {
      return;
    }
    if (pending.term() == entry.term()) {
      pending.future().complete(new Applied(entry.index(), entry.term(), result));
    } else {
      pending.future().completeExceptionally(new LeadershipLostException(
          "entry " + entry.index() + " was replaced by term " + entry.term()));
    }
  }

  private void onReadState(ReadState read) {
    CompletableFuture<Long> future = reads.remove(read.requestId());
    if (future == null) {
      return;
    }
    if (read.index() <= applied) {
      future.complete(read.index());
    } else {
      readsWaitingForApply.computeIfAbsent(read.index(), i -> new ArrayList<>()).add(future);
    }
  }

  private void onSoftState(SoftState soft) {
    LOG.info("raft role node={} term={} leader={} role={}",
        core.nodeId(), soft.term(), soft.leaderId(), soft.role());
    Leadership leadership =
        new Leadership(soft.term(), soft.leaderId(), soft.role() == Role.LEADER);
    for (LeadershipListener listener : listeners) {
      listener.onLeadershipChange(leadership);
    }
  }

  private void updateStatus() {
    Configuration configuration = core.configuration();
    status = new GroupStatus(
        core.nodeId(),
        new Leadership(core.term(), core.leaderId(), core.role() == Role.LEADER),
        core.commitIndex(), applied,
        new Membership(configuration.allVoters(), configuration.learners()));
  }

  /** Storage failed: stop the group, never continue on unknown state (STYLE.md §5). */
  private void fail(Throwable cause) {
    if (failed) {
      return;
    }
    failed = true;
    LOG.error("raft group failed node={}; stopping", core.nodeId(), cause);
    failAll(new ConsensusUnavailableException("raft group failed on node " + core.nodeId(), cause));
    loop.shutdown();
  }

  private void failAll(RuntimeException error) {
    if (pendingChange != null) {
      pendingChange.future().completeExceptionally(error);
      pendingChange = null;
    }
    proposals.values().forEach(p -> p.future().completeExceptionally(error));
    proposals.clear();
    reads.values().forEach(r -> r.completeExceptionally(error));
    reads.clear();
    readsWaitingForApply.values().forEach(list -> list.forEach(r -> r.completeExceptionally(error)));
    readsWaitingForApply.clear();
  }
}
