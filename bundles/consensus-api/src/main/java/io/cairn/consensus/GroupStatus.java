package io.cairn.consensus;

import java.util.List;

/**
 * A point-in-time view of the group from this node, for status pages and the shell.
 *
 * @param nodeId this node's id
 * @param leadership the current term and leader as known here
 * @param commitIndex the highest index known committed
 * @param appliedIndex the highest index applied to the state machines here
 * @param membership the configuration in effect here
 * @param snapshotIndex the last index covered by this node's latest snapshot (0 for none): the
 *     log before it may be compacted away
 * @param followers on the leader, each other member's replication progress; empty elsewhere
 */
public record GroupStatus(
    int nodeId, Leadership leadership, long commitIndex, long appliedIndex, Membership membership,
    long snapshotIndex, List<FollowerProgress> followers) {
  public GroupStatus {
    followers = List.copyOf(followers);
  }

  /** A status without snapshot or follower details. */
  public GroupStatus(
      int nodeId, Leadership leadership, long commitIndex, long appliedIndex,
      Membership membership) {
    this(nodeId, leadership, commitIndex, appliedIndex, membership, 0, List.of());
  }
}
