package io.cairn.consensus;

/**
 * A point-in-time view of the group from this node, for status pages and the shell.
 *
 * @param nodeId this node's id
 * @param leadership the current term and leader as known here
 * @param commitIndex the highest index known committed
 * @param appliedIndex the highest index applied to the state machines here
 * @param membership the configuration in effect here
 */
public record GroupStatus(
    int nodeId, Leadership leadership, long commitIndex, long appliedIndex, Membership membership) {}
