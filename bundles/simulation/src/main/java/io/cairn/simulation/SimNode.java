package io.cairn.simulation;

import io.cairn.consensus.internal.core.DurableState;
import io.cairn.consensus.internal.core.EntryKind;
import io.cairn.consensus.internal.core.Message;
import io.cairn.consensus.internal.core.ProposeResult;
import io.cairn.consensus.internal.core.RaftConfig;
import io.cairn.consensus.internal.core.RaftCore;
import io.cairn.consensus.internal.core.ReadState;
import io.cairn.consensus.internal.core.Ready;
import io.cairn.consensus.internal.core.Snapshot;
import io.cairn.consensus.internal.driver.SnapshotReceiver;
import io.cairn.consensus.internal.driver.SnapshotSender;
import io.cairn.consensus.internal.driver.SnapshotSettings;
import io.cairn.consensus.internal.wire.SnapshotTransfer;
import io.cairn.env.storage.SnapshotMeta;
import io.cairn.env.storage.SnapshotStore;
import io.cairn.storage.sim.SimSnapshotDisk;
import io.cairn.env.RandomSource;
import io.cairn.env.storage.LogEntry;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One simulated node: a {@link RaftCore} driven exactly as the production driver must drive it
 * (the {@link Ready} contract), over a {@link DurableLog} with the crash fault model and the
 * {@link SimNetwork}. A crash throws away everything volatile (the core, unsynced writes, messages
 * waiting for a sync, the applied state); a restart rebuilds the core from durable state and
 * re-applies the committed log from the start.
 *
 * <p>Snapshots travel as the production driver sends them: the leader's core asks for its snapshot
 * to be sent, and the driver's {@link SnapshotSender} streams it in 16-byte chunks from a {@link
 * SnapshotStore} to the follower's {@link SnapshotReceiver}, over the same faulty network; the
 * follower's core is handed the snapshot only once it is complete and published. The store is the
 * transfer medium of one incarnation (filled at start from the durable snapshot): the durability
 * of snapshots is modelled by the {@link DurableLog}, as before. Single-threaded.
 */
final class SimNode {
  /** Virtual ticks are exact: one tick of margin covers tick granularity (production: 2). */
  private static final int LEASE_MARGIN_TICKS = 1;
  /** Messages and a persistence mark waiting for the writes up to {@code writeSeq} to sync. */
  private record Waiting(long writeSeq, List<Message> messages, long index, long term) {}

  private final int id;
  private final RaftConfig config;
  private final RandomSource random;
  private final Simulator sim;
  private final DurableLog durable;
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private RaftCore core;
  private int incarnation;
  private long lastSubmitted;
  private long lastSyncDone;
  private long appliedIndex;
  private long digest;
  private long snapshotIndex;
  private final int snapshotEvery;
  private long snapshotsInstalled;
  private final List<ReadState> confirmedReads = new ArrayList<>();
  private final java.util.TreeMap<Integer, Long> kv = new java.util.TreeMap<>();
  private final java.util.TreeMap<Long, List<Long>> readsWaiting = new java.util.TreeMap<>();
  private boolean crashAfterNextSync;
  /** Tiny chunks, so that even the few dozen bytes of a snapshot take several. */
  private static final SnapshotSettings TRANSFER = new SnapshotSettings(1, 1, 0, 16, 3, 60, false);
  private SnapshotStore snapshotStore;
  private SnapshotSender snapshotSender;
  private SnapshotReceiver snapshotReceiver;
  private long ticks;

  SimNode(int id, RaftConfig config, RandomSource random, Simulator sim, int snapshotEvery) {
    this.id = id;
    this.snapshotEvery = snapshotEvery;
    this.config = config;
    this.random = random;
    this.sim = sim;
    this.durable =
        sim.engineStorage() ? new EngineDurableLog(random.split()) : new SimDurableLog(random.split());
    start();
  }

  int id() {
    return id;
  }

  boolean alive() {
    return core != null;
  }

  /** The core; only while alive. */
  RaftCore core() {
    return core;
  }

  List<ReadState> confirmedReads() {
    return confirmedReads;
  }

  private void start() {
    incarnation++;
    DurableState recovered = durable.recover();
    core = new RaftCore(config, random.split(), recovered);
    if (sim.leaseReads()) {
      core.enableLeaseReads(LEASE_MARGIN_TICKS);
    }
    appliedIndex = 0;
    digest = 0;
    kv.clear();
    readsWaiting.clear();
    snapshotIndex = 0;
    waiting.clear();
    lastSubmitted = 0;
    lastSyncDone = 0;
    sim.checker().onRestart(id);
    snapshotStore = new SimSnapshotDisk().open();
    snapshotSender = new SnapshotSender(snapshotStore, TRANSFER, sim::send);
    snapshotReceiver = new SnapshotReceiver(snapshotStore, TRANSFER, sim::send);
    ticks = 0;
    if (recovered.snapshot() != null) {
      restore(recovered.snapshot());
      publish(recovered.snapshot());
    }
    scheduleTick(incarnation, sim.now() + 1 + random.nextInt(sim.tickMs()));
  }

  void crash() {
    if (core == null) {
      return;
    }
    durable.crash();
    core = null;
    snapshotStore.close();
    waiting.clear();
    crashAfterNextSync = false;
    incarnation++;
  }

  void restart() {
    if (core == null) {
      start();
    }
  }

  /** Scenario hook: crash right after the next sync, before sending what waited for it. */
  void crashAfterNextSync() {
    crashAfterNextSync = true;
  }

  ProposeResult propose(byte[] payload) {
    ProposeResult result = core.propose(payload);
    drain();
    return result;
  }

  ProposeResult proposeConfiguration(java.util.Set<Integer> voters, java.util.Set<Integer> learners) {
    ProposeResult result = core.proposeConfiguration(voters, learners);
    drain();
    return result;
  }

  void requestRead(long requestId) {
    core.requestRead(requestId);
    drain();
  }

  void transferLeadership(int target) {
    core.transferLeadership(target);
    drain();
  }

  void deliver(Message message) {
    if (core == null) {
      return;
    }
    core.step(message);
    drain();
  }

  /** A snapshot chunk (follower) or its answer (leader), as the production driver handles it. */
  void deliver(SnapshotTransfer transfer) {
    if (core == null) {
      return;
    }
    if (transfer instanceof SnapshotTransfer.Ack ack) {
      if (core.role() == io.cairn.consensus.internal.core.Role.LEADER) {
        snapshotSender.onAck(ack, ticks);
      }
    } else {
      Message.InstallSnapshot complete =
          snapshotReceiver.onChunk((SnapshotTransfer.Chunk) transfer, core, ticks);
      if (complete != null) {
        core.step(withBytes(complete));
      }
    }
    drain();
  }

  /**
   * The receiver hands the core a snapshot without bytes (they are in the store). Published: the
   * core will install it, so give it the bytes the simulated state machine restores from. Not
   * published: the core must not install it (restoring empty bytes would fail the run).
   */
  private Message.InstallSnapshot withBytes(Message.InstallSnapshot complete) {
    Snapshot offered = complete.snapshot();
    SnapshotMeta latest = snapshotStore.latest().orElse(null);
    if (latest == null || latest.lastIndex() != offered.index()
        || latest.lastTerm() != offered.term()) {
      return complete;
    }
    byte[] bytes = snapshotStore.read(latest, 0, (int) latest.sizeBytes() + 1);
    return new Message.InstallSnapshot(complete.from(), complete.to(), complete.term(),
        new Snapshot(offered.index(), offered.term(), offered.configuration(), bytes));
  }

  /** Routes a core message: a snapshot to send goes through the chunking sender. */
  private void send(Message message) {
    if (message instanceof Message.InstallSnapshot install) {
      snapshotSender.start(install, snapshotStore.latest().orElse(null), ticks);
      return;
    }
    sim.send(message);
  }

  /** Makes {@code snapshot} the store's latest (the transfer source), unless it has a newer one. */
  private void publish(Snapshot snapshot) {
    SnapshotMeta latest = snapshotStore.latest().orElse(null);
    if (latest != null && latest.lastIndex() >= snapshot.index()) {
      return;
    }
    SnapshotStore.SnapshotWriter writer = snapshotStore.begin(snapshot.index(), snapshot.term());
    writer.write(snapshot.data());
    writer.publish();
  }

  private void scheduleTick(int forIncarnation, long at) {
    sim.queue().at(
        at,
        () -> {
          if (incarnation != forIncarnation) {
            return;
          }
          ticks++;
          snapshotSender.tick(ticks);
          snapshotReceiver.tick(ticks);
          core.tick();
          drain();
          scheduleTick(forIncarnation, sim.now() + sim.tickMs());
        });
  }

  /** Handles every pending {@link Ready} in the documented order. */
  private void drain() {
    while (core != null && core.hasReady()) {
      Ready ready = core.ready();
      if (ready.softState() != null) {
        sim.checker().onSoftState(this, ready.softState());
        if (ready.softState().role() != io.cairn.consensus.internal.core.Role.LEADER) {
          snapshotSender.clear();
        }
      }
      ready.sendNow().forEach(this::send);
      if (ready.snapshot() != null) {
        snapshotsInstalled++;
        lastSubmitted = durable.submitSnapshot(ready.snapshot());
        restore(ready.snapshot());
      }
      persist(ready);
      apply(ready.committedEntries());
      maybeSnapshot();
      for (ReadState read : ready.readStates()) {
        sim.checker().onReadConfirmed(this, read);
        confirmedReads.add(read);
        readsWaiting.computeIfAbsent(read.index(), i -> new ArrayList<>()).add(read.requestId());
      }
      ready.failedReads().forEach(sim.clients()::onReadFailed);
      releaseReads();
      sim.checker().onCommitKnown(this);
    }
  }

  private void persist(Ready ready) {
    if (ready.write() != null || ready.snapshot() != null) {
      if (ready.write() != null) {
        lastSubmitted = durable.submit(ready.write());
      }
      long seq = lastSubmitted;
      int forIncarnation = incarnation;
      sim.queue().at(sim.now() + sim.diskDelayMs(), () -> onSynced(forIncarnation, seq));
    }
    if (lastSubmitted == lastSyncDone) {
      ready.sendAfterPersist().forEach(this::send);
      return;
    }
    waiting.addLast(
        new Waiting(
            lastSubmitted, ready.sendAfterPersist(), ready.persistIndex(), ready.persistTerm()));
  }

  /** A sync finished: release what waited for it, in order (syncs complete in order). */
  private void onSynced(int forIncarnation, long seq) {
    if (incarnation != forIncarnation || seq <= lastSyncDone) {
      return;
    }
    durable.syncThrough(seq);
    lastSyncDone = seq;
    if (crashAfterNextSync) {
      sim.crashNode(id);
      return;
    }
    while (!waiting.isEmpty() && waiting.peekFirst().writeSeq() <= seq) {
      Waiting done = waiting.removeFirst();
      done.messages().forEach(this::send);
      core.onPersisted(done.index(), done.term());
    }
    drain();
  }

  private void apply(List<LogEntry> entries) {
    for (LogEntry entry : entries) {
      if (entry.index() != appliedIndex + 1) {
        throw new SimulationFailure(
            "node " + id + " applied index " + entry.index() + " after " + appliedIndex);
      }
      appliedIndex = entry.index();
      digest = chain(digest, entry);
      sim.checker().onApplied(this, entry, digest);
      if (EntryKind.of(entry) == EntryKind.COMMAND) {
        ByteBuffer command = ByteBuffer.wrap(EntryKind.data(entry));
        kv.put(command.getInt(), command.getLong());
        sim.clients().onApplied(id, entry.index(), entry.term());
      }
    }
  }

  /** Reads whose read index is applied here are answered from this node's state. */
  private void releaseReads() {
    while (!readsWaiting.isEmpty() && readsWaiting.firstKey() <= appliedIndex) {
      for (long requestId : readsWaiting.pollFirstEntry().getValue()) {
        sim.clients().onReadReady(id, requestId, kv);
      }
    }
  }

  /** The state machine: a hash chain over every applied entry, so equal digests mean equal state. */
  private static long chain(long digest, LogEntry entry) {
    long h = digest * 0x9E3779B97F4A7C15L + entry.index();
    h = h * 31 + entry.term();
    h = h * 31 + Arrays.hashCode(entry.payload());
    return h ^ (h >>> 29);
  }

  private void restore(Snapshot snapshot) {
    appliedIndex = snapshot.index();
    snapshotIndex = snapshot.index();
    ByteBuffer data = ByteBuffer.wrap(snapshot.data());
    digest = data.getLong();
    kv.clear();
    int entries = data.getInt();
    for (int i = 0; i < entries; i++) {
      kv.put(data.getInt(), data.getLong());
    }
    sim.checker().onSnapshotRestored(this, snapshot.index(), digest);
  }

  /**
   * Takes a snapshot of the applied state every {@code snapshotEvery} entries and compacts the log
   * (Raft §7), only while no write is in flight so that everything applied is durable.
   */
  private void maybeSnapshot() {
    if (snapshotEvery == 0 || core == null || appliedIndex - snapshotIndex < snapshotEvery
        || lastSubmitted != lastSyncDone) {
      return;
    }
    Snapshot snapshot =
        core.compact(appliedIndex, snapshotData());
    durable.compact(snapshot);
    publish(snapshot);
    snapshotIndex = appliedIndex;
  }

  /** The state machine's state: digest, then the key-value pairs. */
  private byte[] snapshotData() {
    ByteBuffer data =
        ByteBuffer.allocate(Long.BYTES + Integer.BYTES + kv.size() * (Integer.BYTES + Long.BYTES));
    data.putLong(digest).putInt(kv.size());
    kv.forEach((key, value) -> data.putInt(key).putLong(value));
    return data.array();
  }

  long appliedIndex() {
    return appliedIndex;
  }

  /** Snapshots this node installed from a leader, over all its restarts. */
  long snapshotsInstalled() {
    return snapshotsInstalled;
  }
}
