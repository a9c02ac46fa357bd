package io.cairn.consensus.internal.core;

/**
 * Volatile state worth reporting when it changes: the term, the leader known in it, and the role.
 *
 * @param term the current term
 * @param leaderId the leader known in {@code term}, or 0
 * @param role this node's role
 */
public record SoftState(long term, int leaderId, Role role) {}
