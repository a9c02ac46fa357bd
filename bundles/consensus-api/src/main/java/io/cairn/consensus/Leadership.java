package io.cairn.consensus;

/**
 * Who leads the group in a term, as observed by this node.
 *
 * @param term the term observed, at least 0
 * @param leaderId the leader's node id, or 0 when no leader is known in {@code term}
 * @param local true when this node is the leader
 */
public record Leadership(long term, int leaderId, boolean local) {
  public Leadership {
    if (term < 0 || leaderId < 0 || (local && leaderId == 0)) {
      throw new IllegalArgumentException(
          "bad leadership: term=" + term + " leaderId=" + leaderId + " local=" + local);
    }
  }

  /** True when some leader is known for {@link #term()}. */
  public boolean known() {
    return leaderId != 0;
  }
}
