package io.cairn.consensus.internal.driver;

import io.cairn.env.Check;

/**
 * When the driver snapshots its state machines and compacts the log (Raft §7), and how it streams
 * a snapshot to a follower that fell behind the compaction point. Bounded like every buffer
 * (STYLE.md §5): a snapshot travels in chunks of at most {@code chunkBytes}, one chunk in flight
 * per follower.
 *
 * @param snapshotEntries applied entries since the last snapshot that trigger the next one
 * @param snapshotBytes applied payload bytes since the last snapshot that trigger the next one
 * @param trailingEntries entries kept in the log behind the snapshot, so that a follower only a
 *     little behind catches up by appends rather than by the whole snapshot
 * @param chunkBytes the largest chunk of an InstallSnapshot transfer (16 B .. 8 MiB; tiny only in
 *     the simulator, whose snapshots are a few dozen bytes)
 * @param chunkRetransmitTicks ticks without an answer before the leader sends the chunk again
 * @param transferTimeoutTicks ticks without progress before either side gives a transfer up
 * @param spread each node snapshots after a random share, between half and all, of {@code
 *     snapshotEntries} (and bytes), drawn again after every snapshot, as ZooKeeper does with
 *     snapCount: a snapshot pauses the node's loop, and the members of a group that all applied
 *     the same entries would otherwise all pause at once
 */
public record SnapshotSettings(
    long snapshotEntries,
    long snapshotBytes,
    long trailingEntries,
    int chunkBytes,
    int chunkRetransmitTicks,
    int transferTimeoutTicks,
    boolean spread) {

  public SnapshotSettings {
    Check.argument(snapshotEntries > 0, "snapshotEntries must be > 0, was %s", snapshotEntries);
    Check.argument(snapshotBytes > 0, "snapshotBytes must be > 0, was %s", snapshotBytes);
    Check.argument(trailingEntries >= 0, "trailingEntries must be >= 0, was %s", trailingEntries);
    Check.argument(
        chunkBytes >= 16 && chunkBytes <= 8 << 20, "chunkBytes must be in [16 B, 8 MiB], was %s",
        chunkBytes);
    Check.argument(
        chunkRetransmitTicks > 0 && transferTimeoutTicks > chunkRetransmitTicks,
        "need 0 < chunkRetransmitTicks < transferTimeoutTicks, was %s and %s",
        chunkRetransmitTicks, transferTimeoutTicks);
  }

  /**
   * Every 50,000..100,000 entries or 32..64 MiB (spread), keeping 1,000 entries behind; 1 MiB
   * chunks, resent after 5 ticks, a transfer abandoned after 100 ticks without progress. 100,000 is
   * ZooKeeper's snapCount; at 10,000 a node under write load paused to snapshot its whole tree
   * every second or two.
   */
  public static SnapshotSettings defaults() {
    return new SnapshotSettings(100_000, 64L << 20, 1_000, 1 << 20, 5, 100, true);
  }
}
