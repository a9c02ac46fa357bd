package io.cairn.consensus.internal.wire;

import io.cairn.env.Check;

/**
 * Requests a follower forwards to its leader, and the leader's answers, as in etcd-raft (MsgProp
 * forwarded to the leader; MsgReadIndex forwarded and answered with MsgReadIndexResp). They travel
 * in the same {@code cairn.raft.RaftMessage} frames as the Raft RPCs but never enter the core: the
 * driver handles them (the core has no notion of a client).
 *
 * <p>A proposal's answer comes as soon as the leader appended it: the follower then waits until it
 * applies the entry at (index, term) itself, so the caller sees its own write locally (Raft §8;
 * thesis §6.3 has followers forward client requests to the leader).
 */
public sealed interface Forward {
  int from();

  int to();

  /** Why a leader refused a forwarded request. */
  enum Error {
    NONE,
    /** Not the leader (any more): {@code leaderHint} names the one it knows, or 0. */
    NOT_LEADER,
    /** Leadership is being handed over (thesis §3.10): retry shortly. */
    TRANSFERRING,
    /** Backpressure on the leader: retry later. */
    OVERLOADED
  }

  /** A client's command for the state machine of {@code namespace}, to be appended by the leader. */
  record Proposal(int from, int to, long id, String namespace, byte[] command) implements Forward {
    public Proposal {
      Check.argument(id > 0, "forwarded proposal id must be positive, was %s", id);
      Check.argument(!namespace.isEmpty(), "forwarded proposal %s has no namespace", id);
    }
  }

  /** The leader appended proposal {@code id} at (index, term), or refused it ({@code error}). */
  record ProposalResult(int from, int to, long id, long index, long term, Error error, int leaderHint)
      implements Forward {
    public ProposalResult {
      Check.argument(id > 0, "forwarded proposal id must be positive, was %s", id);
      Check.argument(
          error != Error.NONE || (index > 0 && term > 0),
          "accepted proposal %s needs index and term > 0, was %s and %s", id, index, term);
    }
  }

  /** A follower asks the leader for a read index (thesis §6.4). */
  record ReadRequest(int from, int to, long id) implements Forward {
    public ReadRequest {
      Check.argument(id > 0, "read request id must be positive, was %s", id);
    }
  }

  /** The commit index the leader confirmed with a quorum for read {@code id}, or a refusal. */
  record ReadResult(int from, int to, long id, long index, Error error, int leaderHint)
      implements Forward {
    public ReadResult {
      Check.argument(id > 0, "read request id must be positive, was %s", id);
    }
  }
}
