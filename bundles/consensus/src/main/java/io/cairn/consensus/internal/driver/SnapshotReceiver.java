package io.cairn.consensus.internal.driver;

import io.cairn.consensus.internal.core.Message.InstallSnapshot;
import io.cairn.consensus.internal.core.RaftCore;
import io.cairn.consensus.internal.core.Role;
import io.cairn.consensus.internal.core.Snapshot;
import io.cairn.consensus.internal.wire.SnapshotTransfer;
import io.cairn.env.storage.SnapshotStore;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The follower's side of chunked InstallSnapshot (Raft §7, Figure 13). Chunks are written in order
 * through the {@link SnapshotStore}; every chunk is answered with the offset expected next (a gap
 * or a duplicate is answered the same way, so the leader resends from there). On the last chunk
 * the snapshot is published atomically and only then handed to the core as one {@link
 * InstallSnapshot}; the driver restores the state machines from the store when the core accepts
 * it. A snapshot the core would not install (it is not beyond the commit index, or the log already
 * holds its last entry) is never written: the core is told at once and fast-forwards.
 *
 * <p>Called only on the group's event loop.
 */
public final class SnapshotReceiver {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotReceiver.class);

  private final SnapshotStore store;
  private final SnapshotSettings settings;
  private final Consumer<SnapshotTransfer> send;
  private SnapshotStore.SnapshotWriter writer;
  private SnapshotTransfer.Chunk first;
  private long expected;
  private long lastChunkTick;

  public SnapshotReceiver(
      SnapshotStore store, SnapshotSettings settings, Consumer<SnapshotTransfer> send) {
    this.store = store;
    this.settings = settings;
    this.send = send;
  }

  /**
   * Handles one chunk.
   *
   * @return the message to step into the core (the snapshot is complete and published, or not
   *     needed), or null
   */
  public InstallSnapshot onChunk(SnapshotTransfer.Chunk chunk, RaftCore core, long tick) {
    if (chunk.term() < core.term()
        || (core.role() == Role.LEADER && chunk.term() == core.term())) {
      return null;
    }
    if (!wanted(chunk, core)) {
      abortIfFor(chunk);
      ack(chunk, chunk.offset() + chunk.data().length, true);
      return chunk.offset() == 0 || chunk.done() ? message(chunk) : null;
    }
    if (writer == null || !sameSnapshot(chunk)) {
      if (chunk.offset() != 0) {
        ack(chunk, 0, false);
        return null;
      }
      abort();
      writer = store.begin(chunk.index(), chunk.snapshotTerm());
      first = chunk;
      expected = 0;
      LOG.info("receiving snapshot node={} from={} index={} term={}", chunk.to(), chunk.from(),
          chunk.index(), chunk.snapshotTerm());
    }
    lastChunkTick = tick;
    if (chunk.offset() != expected) {
      ack(chunk, expected, false);
      return null;
    }
    writer.write(chunk.data());
    expected += chunk.data().length;
    if (!chunk.done()) {
      ack(chunk, expected, false);
      return null;
    }
    if (!wanted(chunk, core)) {
      // The log caught up meanwhile: the core fast-forwards instead, nothing is published.
      abort();
      ack(chunk, expected, true);
      return message(chunk);
    }
    writer.publish();
    writer = null;
    first = null;
    LOG.info("snapshot received node={} index={} bytes={}", chunk.to(), chunk.index(), expected);
    ack(chunk, expected, true);
    return message(chunk);
  }

  /**
   * Would the core install this snapshot? Only then is it written: stepping it must then replace
   * the core's log (it is beyond the commit index and the log does not hold its last entry), so
   * the store and the core agree. A sender of a higher term makes a leader step down first.
   */
  private static boolean wanted(SnapshotTransfer.Chunk chunk, RaftCore core) {
    return chunk.index() > core.commitIndex()
        && core.termAt(chunk.index()) != chunk.snapshotTerm();
  }

  /** Gives up a transfer whose leader went silent. */
  public void tick(long tick) {
    if (writer != null && tick - lastChunkTick >= settings.transferTimeoutTicks()) {
      LOG.warn("snapshot transfer from node {} stalled for {} ticks; discarded index={}",
          first.from(), settings.transferTimeoutTicks(), first.index());
      abort();
    }
  }

  /** Discards a transfer in progress. */
  public void abort() {
    if (writer != null) {
      writer.abort();
      writer = null;
      first = null;
    }
  }

  private void abortIfFor(SnapshotTransfer.Chunk chunk) {
    if (writer != null && sameSnapshot(chunk)) {
      abort();
    }
  }

  private boolean sameSnapshot(SnapshotTransfer.Chunk chunk) {
    return first.from() == chunk.from() && first.term() == chunk.term()
        && first.index() == chunk.index() && first.snapshotTerm() == chunk.snapshotTerm();
  }

  private void ack(SnapshotTransfer.Chunk chunk, long nextOffset, boolean done) {
    send.accept(new SnapshotTransfer.Ack(
        chunk.to(), chunk.from(), chunk.term(), chunk.index(), nextOffset, done));
  }

  /** The snapshot as the core sees it: its bytes stay in the store. */
  private static InstallSnapshot message(SnapshotTransfer.Chunk chunk) {
    return new InstallSnapshot(chunk.from(), chunk.to(), chunk.term(),
        new Snapshot(chunk.index(), chunk.snapshotTerm(), chunk.configuration(), new byte[0]));
  }
}
