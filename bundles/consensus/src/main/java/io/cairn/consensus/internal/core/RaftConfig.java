package io.cairn.consensus.internal.core;

import io.cairn.env.Check;
import java.util.Set;

/**
 * Static parameters of one node's Raft core. Times are counted in ticks: the driver calls {@link
 * RaftCore#tick()} at a fixed interval (for example every 10 ms), so the core never reads a clock.
 *
 * @param nodeId this node's id, positive
 * @param voters the bootstrap voters, used until the log holds a configuration entry; a node
 *     joining an existing group is not among them and waits to be added (Raft §6)
 * @param electionTimeoutTicks base election timeout; each node draws its timeout uniformly from
 *     {@code [electionTimeoutTicks, 2 * electionTimeoutTicks)} (Raft §5.2)
 * @param heartbeatTicks interval between leader heartbeats; well below the election timeout
 * @param maxInflightAppends appends in flight per follower in replicate state (pipelining)
 * @param maxEntriesPerAppend entries batched into one append
 * @param maxBytesPerAppend payload bytes batched into one append (at least one entry is sent)
 * @param maxUncommittedEntries proposals are refused while this many entries are uncommitted
 *     (backpressure: a leader cut off from its quorum must not grow its log without bound)
 * @param preVote run the pre-vote phase before an election (thesis §9.6)
 * @param checkQuorum a leader steps down when it has not heard from a quorum within an election
 *     timeout, and followers ignore votes while they hear from a leader (thesis §6.2, §4.2.3)
 */
public record RaftConfig(
    int nodeId,
    Set<Integer> voters,
    int electionTimeoutTicks,
    int heartbeatTicks,
    int maxInflightAppends,
    int maxEntriesPerAppend,
    long maxBytesPerAppend,
    int maxUncommittedEntries,
    boolean preVote,
    boolean checkQuorum) {

  public RaftConfig {
    voters = Set.copyOf(voters);
    Check.argument(nodeId > 0, "nodeId must be positive, was %s", nodeId);
    Check.argument(!voters.isEmpty(), "the bootstrap voters of node %s are empty", nodeId);
    Check.argument(
        heartbeatTicks > 0 && electionTimeoutTicks > heartbeatTicks,
        "need 0 < heartbeatTicks < electionTimeoutTicks, was heartbeatTicks=%s "
            + "electionTimeoutTicks=%s",
        heartbeatTicks,
        electionTimeoutTicks);
    Check.argument(maxInflightAppends > 0, "maxInflightAppends must be > 0: %s", maxInflightAppends);
    Check.argument(maxEntriesPerAppend > 0, "maxEntriesPerAppend must be > 0: %s", maxEntriesPerAppend);
    Check.argument(maxBytesPerAppend > 0, "maxBytesPerAppend must be > 0: %s", maxBytesPerAppend);
    Check.argument(
        maxUncommittedEntries > 0, "maxUncommittedEntries must be > 0: %s", maxUncommittedEntries);
  }

  /** Defaults in the spirit of etcd: election 10 ticks, heartbeat 1 tick, both safety options on. */
  public static RaftConfig defaults(int nodeId, Set<Integer> voters) {
    return new RaftConfig(nodeId, voters, 10, 1, 64, 256, 1 << 20, 4096, true, true);
  }

}
