package io.cairn.consensus.internal.core;

/**
 * One follower's replication state on the leader, for {@code cluster:status} and diagnostics.
 *
 * @param nodeId the follower
 * @param matchIndex highest index known replicated there
 * @param nextIndex next index to send
 * @param state PROBE, REPLICATE or SNAPSHOT (etcd-raft's flow-control states)
 * @param recentlyActive whether it answered within the current check-quorum window
 */
public record FollowerStatus(
    int nodeId, long matchIndex, long nextIndex, String state, boolean recentlyActive) {}
