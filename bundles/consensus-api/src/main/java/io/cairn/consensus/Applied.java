package io.cairn.consensus;

/**
 * The outcome of a proposed command: where it sits in the log and what its state machine returned.
 *
 * @param index the log index of the entry, at least 1
 * @param term the term in which the entry was created, at least 1
 * @param result the bytes the state machine's {@code apply} returned (empty when none)
 */
public record Applied(long index, long term, byte[] result) {
  public Applied {
    if (index < 1 || term < 1 || result == null) {
      throw new IllegalArgumentException(
          "applied entry needs index >= 1, term >= 1 and a result: index=" + index + " term="
              + term);
    }
  }
}
