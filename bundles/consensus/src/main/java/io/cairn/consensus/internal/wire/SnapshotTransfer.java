package io.cairn.consensus.internal.wire;

import io.cairn.consensus.internal.core.Configuration;
import io.cairn.env.Check;

/**
 * The chunked form of InstallSnapshot on the wire (Raft §7, Figure 13: offset, data, done). The
 * core hands the driver a whole snapshot to send; the driver streams it from its SnapshotStore in
 * bounded chunks and the receiving driver writes them into its own SnapshotStore, publishing on the
 * last one before it steps the core. They travel in {@code cairn.raft.RaftMessage} frames
 * ({@code install_snapshot}, {@code install_snapshot_response}) but never enter the core.
 */
public sealed interface SnapshotTransfer {
  int from();

  int to();

  /** The leader's term (chunk) or the follower's term (ack). */
  long term();

  /** The last log index the snapshot covers; identifies the snapshot with its term. */
  long index();

  /**
   * One chunk of the snapshot through ({@code index}, {@code snapshotTerm}) starting at byte
   * {@code offset}; {@code done} on the last one. Every chunk names the configuration as of {@code
   * index} (Raft Figure 12 "last config"), so the follower can step the core after the last.
   */
  record Chunk(
      int from, int to, long term, long index, long snapshotTerm, Configuration configuration,
      long offset, byte[] data, boolean done) implements SnapshotTransfer {
    public Chunk {
      Check.argument(index > 0 && snapshotTerm > 0, "snapshot chunk needs index, term > 0: %s, %s",
          index, snapshotTerm);
      Check.argument(offset >= 0, "snapshot chunk offset must be >= 0, was %s", offset);
      Check.argument(configuration != null && data != null, "snapshot chunk %s is incomplete",
          index);
    }
  }

  /**
   * The follower expects byte {@code nextOffset} of the snapshot through {@code index} next (so a
   * lost or duplicated chunk heals), or has published it ({@code done}).
   */
  record Ack(int from, int to, long term, long index, long nextOffset, boolean done)
      implements SnapshotTransfer {
    public Ack {
      Check.argument(nextOffset >= 0, "snapshot ack offset must be >= 0, was %s", nextOffset);
    }
  }
}
