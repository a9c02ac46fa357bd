package io.cairn.consensus.internal.core;

import io.cairn.env.Check;

/**
 * A state-machine snapshot as the core handles it (Raft §7): the state after applying every entry
 * up to {@code index}, whose term was {@code term}, and the configuration in effect there (Figure
 * 12 "last config"). The bytes are opaque to the core; the driver owns their storage
 * (SnapshotStore) and their chunking on the wire.
 *
 * @param index last log index covered, at least 1
 * @param term term of that entry, at least 1
 * @param configuration the membership as of {@code index}
 * @param data the serialized state machines
 */
public record Snapshot(long index, long term, Configuration configuration, byte[] data) {
  public Snapshot {
    Check.argument(index > 0 && term > 0, "snapshot needs index, term > 0: %s, %s", index, term);
    Check.argument(configuration != null, "snapshot %s has no configuration", index);
    Check.argument(data != null, "snapshot %s has no data", index);
  }
}
