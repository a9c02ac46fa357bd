package io.cairn.consensus.internal.core;

/**
 * The answer to a proposal: accepted at (index, term), or rejected with a reason and the leader
 * this node knows. An accepted entry is committed only if the entry applied at {@code index}
 * carries {@code term}; any other term there means leadership was lost (Raft §5.3).
 *
 * @param accepted true when appended to the leader's log
 * @param index the entry's index, or 0 when rejected
 * @param term the entry's term, or 0 when rejected
 * @param leaderHint the known leader when rejected, or 0
 * @param rejection why it was rejected, or null when accepted
 */
public record ProposeResult(
    boolean accepted, long index, long term, int leaderHint, Rejection rejection) {

  /** Why a proposal was refused; each maps to an action for the caller. */
  public enum Rejection {
    /** Not the leader: retry on {@code leaderHint} (0 while an election runs). */
    NOT_LEADER,
    /** Leadership is being handed over: retry on the new leader shortly. */
    TRANSFERRING,
    /** Too many uncommitted entries (backpressure): retry later. */
    OVERLOADED,
    /** A membership change is still in progress: retry once it has committed. */
    CHANGE_IN_PROGRESS,
    /** The requested membership is not allowed (empty, or a voter demoted straight to learner). */
    INVALID_CHANGE
  }

  static ProposeResult rejected(Rejection rejection, int leaderHint) {
    return new ProposeResult(false, 0, 0, leaderHint, rejection);
  }
}
