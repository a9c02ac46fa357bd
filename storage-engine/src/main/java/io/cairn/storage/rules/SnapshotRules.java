package io.cairn.storage.rules;

import io.cairn.env.Check;
import io.cairn.env.storage.SnapshotMeta;
import java.util.Optional;

/**
 * The rules every {@link io.cairn.env.storage.SnapshotStore} implementation enforces, so that Rocks
 * and Sim reject exactly the same inputs. Pure functions.
 */
public final class SnapshotRules {
  /** The largest chunk one {@code write} accepts: bounded, like every buffer (STYLE.md §5). */
  public static final int CHUNK_BYTES_MAX = 16 * 1024 * 1024;

  private SnapshotRules() {}

  /** Checks the position a new snapshot claims to cover. */
  public static void checkBegin(long lastIndex, long lastTerm) {
    Check.argument(lastIndex >= 1, "snapshot lastIndex must be >= 1, was %s", lastIndex);
    Check.argument(lastTerm >= 1, "snapshot lastTerm must be >= 1, was %s", lastTerm);
  }

  /** Checks one chunk before it is written. */
  public static void checkChunk(byte[] chunk) {
    Check.argument(chunk != null, "snapshot chunk must not be null");
    Check.argument(
        chunk.length <= CHUNK_BYTES_MAX,
        "snapshot chunk of %s bytes exceeds the maximum %s",
        chunk.length,
        CHUNK_BYTES_MAX);
  }

  /** A snapshot may not replace a newer one: publishing must never move the log backwards. */
  public static void checkPublish(long lastIndex, Optional<SnapshotMeta> latest) {
    Check.state(
        latest.isEmpty() || lastIndex >= latest.get().lastIndex(),
        "snapshot through %s is older than the published snapshot through %s",
        lastIndex,
        latest.map(SnapshotMeta::lastIndex).orElse(0L));
  }

  /** Checks the arguments of {@code read}. */
  public static void checkRead(SnapshotMeta snapshot, long offset, int maxBytes) {
    Check.argument(snapshot != null, "snapshot must not be null");
    Check.argument(
        offset >= 0 && offset <= snapshot.sizeBytes(),
        "offset %s outside [0, %s]",
        offset,
        snapshot.sizeBytes());
    Check.argument(maxBytes >= 1, "maxBytes must be >= 1, was %s", maxBytes);
  }
}
