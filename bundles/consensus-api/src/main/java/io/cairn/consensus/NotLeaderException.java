package io.cairn.consensus;

/**
 * This node cannot serve the request because it is not the leader; retry on {@link #leaderHint()}
 * (0 when no leader is known, for example during an election).
 */
public class NotLeaderException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int leaderHint;

  public NotLeaderException(int nodeId, int leaderHint) {
    super("node " + nodeId + " is not the leader; leader=" + leaderHint);
    this.leaderHint = leaderHint;
  }

  /** The leader this node knows of, or 0. */
  public int leaderHint() {
    return leaderHint;
  }
}
