package io.cairn.env.storage;

/**
 * A published snapshot: the state-machine state after applying every entry up to {@code
 * lastIndex}.
 *
 * @param lastIndex last log index included
 * @param lastTerm term of that entry
 * @param sizeBytes total size of the snapshot's bytes
 */
public record SnapshotMeta(long lastIndex, long lastTerm, long sizeBytes) {}
