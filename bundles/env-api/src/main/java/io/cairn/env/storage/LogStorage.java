package io.cairn.env.storage;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The durable replicated log of one Raft group.
 *
 * <p>Contract (shared by every implementation and checked by one contract test suite):
 *
 * <ul>
 *   <li>A {@link #write} completes only after its whole effect is durable (synced); completions
 *       fire in submission order. Concurrent writes may be coalesced into one sync (group commit).
 *   <li>Reads reflect every write submitted so far, durable or not, so a leader can replicate
 *       entries while they are being persisted.
 *   <li>Every entry carries a checksum verified on read; a mismatch raises {@link
 *       CorruptionException} naming the index. Nothing corrupt is ever returned.
 *   <li>After any {@link StorageException} from a write the storage is failed: every later call
 *       fails too, and the owner must stop and reopen it. It never continues on unknown state.
 *   <li>{@link #firstIndex()} is one past the compacted prefix; an empty log has {@code
 *       lastIndex() == firstIndex() - 1}.
 * </ul>
 */
@ProviderType
public interface LogStorage extends AutoCloseable {
  /** Index of the first entry still stored (compacted prefix + 1). */
  long firstIndex();

  /** Index of the last entry, or {@code firstIndex() - 1} when empty. */
  long lastIndex();

  /**
   * The term of the entry at {@code index}; for {@code firstIndex() - 1} the term of the
   * compaction point (0 for a log never compacted).
   *
   * @throws IndexOutOfBoundsException when {@code index} is neither stored nor the compaction point
   */
  long term(long index);

  /** Entries in {@code [fromIndex, toIndexExclusive)}, stopping early after {@code maxBytes} (at least one). */
  List<LogEntry> read(long fromIndex, long toIndexExclusive, long maxBytes);

  /** The last durable hard state ({@link HardState#INITIAL} for a new log). */
  HardState hardState();

  /** Applies {@code write} atomically; completes with the new last index once durable. */
  CompletionStage<Long> write(LogWrite write);

  /**
   * Drops every entry up to and including {@code throughIndex}, recording {@code term} as the
   * term of the compaction point. Called after a snapshot covering that index is published.
   */
  CompletionStage<Void> compactPrefix(long throughIndex, long term);

  @Override
  void close();
}
