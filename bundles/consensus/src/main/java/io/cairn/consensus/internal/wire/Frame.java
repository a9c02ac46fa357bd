package io.cairn.consensus.internal.wire;

import io.cairn.consensus.internal.core.Message;

/**
 * One decoded frame body: a Raft RPC for the core, a {@link Forward} for the driver, or a chunk of
 * a snapshot transfer ({@link SnapshotTransfer}, also for the driver); exactly one is set.
 */
public record Frame(Message rpc, Forward forward, SnapshotTransfer transfer) {
  public Frame {
    int set = (rpc == null ? 0 : 1) + (forward == null ? 0 : 1) + (transfer == null ? 0 : 1);
    if (set != 1) {
      throw new IllegalArgumentException(
          "a frame holds exactly one of an RPC, a forward and a snapshot transfer");
    }
  }

  public Frame(Message rpc, Forward forward) {
    this(rpc, forward, null);
  }

  /** The sender named in the frame. */
  public int from() {
    return rpc != null ? rpc.from() : forward != null ? forward.from() : transfer.from();
  }

  /** The receiver named in the frame. */
  public int to() {
    return rpc != null ? rpc.to() : forward != null ? forward.to() : transfer.to();
  }
}
