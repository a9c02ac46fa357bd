package io.cairn.coordination.internal.server;

/**
 * The server's facts at one moment, for the four-letter words, the admin endpoint and the shell.
 *
 * @param mode leader, follower or standalone (a group of one), as in ZooKeeper's {@code srvr}
 * @param nodeId this node's id in the group
 * @param connections open client connections on this node (the operator session's included)
 * @param outstanding requests received on this node and not answered yet
 * @param sessions live sessions in the replicated state (all nodes)
 * @param znodes znodes in the tree
 * @param watches (connection, path) watch pairs on this node
 * @param watchedPaths distinct paths watched on this node
 * @param watchingConnections connections holding at least one watch on this node
 * @param ephemerals ephemeral znodes of all sessions
 * @param lastZxid zxid of the last applied entry
 * @param uptimeMs time since this server started, ms
 * @param metrics packets and latency counters
 */
public record Stats(
    String mode,
    int nodeId,
    int connections,
    int outstanding,
    int sessions,
    int znodes,
    int watches,
    int watchedPaths,
    int watchingConnections,
    int ephemerals,
    long lastZxid,
    long uptimeMs,
    ServerMetrics.Snapshot metrics) {}
