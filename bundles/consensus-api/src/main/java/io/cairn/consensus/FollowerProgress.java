package io.cairn.consensus;

/**
 * How far one follower (or learner) has replicated the leader's log, as the leader sees it.
 *
 * @param nodeId the follower
 * @param matchIndex the highest index known to be replicated there
 * @param lag entries the follower is behind the leader's last index (0 when up to date)
 * @param state the leader's flow control for it: {@code PROBE} (finding where the logs match),
 *     {@code REPLICATE} (pipelining appends) or {@code SNAPSHOT} (receiving a snapshot)
 * @param recentlyActive whether it answered within the current election timeout
 */
public record FollowerProgress(
    int nodeId, long matchIndex, long lag, String state, boolean recentlyActive) {
  public FollowerProgress {
    if (nodeId <= 0 || matchIndex < 0 || lag < 0 || state == null) {
      throw new IllegalArgumentException(
          "bad follower progress: node=" + nodeId + " match=" + matchIndex + " lag=" + lag);
    }
  }
}
