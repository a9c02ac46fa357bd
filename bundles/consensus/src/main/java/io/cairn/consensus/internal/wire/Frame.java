package io.cairn.consensus.internal.wire;

import io.cairn.consensus.internal.core.Message;

/**
 * One decoded frame body: either a Raft RPC for the core or a {@link Forward} for the driver;
 * exactly one of the two is set.
 */
public record Frame(Message rpc, Forward forward) {
  public Frame {
    if ((rpc == null) == (forward == null)) {
      throw new IllegalArgumentException("a frame holds exactly one of an RPC and a forward");
    }
  }

  /** The sender named in the frame. */
  public int from() {
    return rpc != null ? rpc.from() : forward.from();
  }

  /** The receiver named in the frame. */
  public int to() {
    return rpc != null ? rpc.to() : forward.to();
  }
}
