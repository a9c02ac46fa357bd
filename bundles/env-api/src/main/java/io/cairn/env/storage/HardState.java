package io.cairn.env.storage;

/**
 * The Raft state that must be durable before a node answers a message (Raft §5, Figure 2):
 * the current term, the vote cast in it, and the commit index last known.
 *
 * @param term current term, at least 0
 * @param votedFor node id voted for in {@code term}, or 0 for none
 * @param commitIndex highest index known committed, at least 0
 */
public record HardState(long term, int votedFor, long commitIndex) {
  public static final HardState INITIAL = new HardState(0, 0, 0);

  public HardState {
    if (term < 0 || votedFor < 0 || commitIndex < 0) {
      throw new IllegalArgumentException(
          "hard state fields must be >= 0: term=" + term + " votedFor=" + votedFor
              + " commitIndex=" + commitIndex);
    }
  }
}
