package io.cairn.consensus.internal.core;

/**
 * A confirmed ReadIndex request (thesis §6.4): the driver serves the read once this node has
 * applied at least {@code index}.
 *
 * @param requestId the id the driver chose when asking
 * @param index the commit index the read must wait for
 */
public record ReadState(long requestId, long index) {}
