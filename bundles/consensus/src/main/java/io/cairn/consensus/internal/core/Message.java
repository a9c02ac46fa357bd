package io.cairn.consensus.internal.core;

import io.cairn.env.storage.LogEntry;
import java.util.List;

/**
 * The Raft RPCs as the core sees them (Raft Figure 2; pre-vote from thesis §9.6; TimeoutNow from
 * thesis §3.10). The wire form is {@code cairn.raft.RaftMessage}; the driver converts. Every
 * message carries the sender's term; a response to a request carries the responder's term.
 */
public sealed interface Message {
  int from();

  int to();

  long term();

  /**
   * RequestVote, or its pre-vote form. A pre-vote carries the term the sender would campaign in
   * ({@code currentTerm + 1}) without having incremented its own.
   */
  record VoteRequest(
      int from, int to, long term, long lastLogIndex, long lastLogTerm, boolean preVote,
      boolean transfer) implements Message {}

  /** A vote answer. A granted pre-vote echoes the requested term. */
  record VoteResponse(int from, int to, long term, boolean granted, boolean preVote)
      implements Message {}

  /**
   * AppendEntries; with no entries it is a heartbeat. {@code readContext} is non-zero when the
   * leader asks for a ReadIndex confirmation round (thesis §6.4).
   */
  record AppendRequest(
      int from, int to, long term, long prevLogIndex, long prevLogTerm, List<LogEntry> entries,
      long leaderCommit, long readContext) implements Message {
    public AppendRequest {
      entries = List.copyOf(entries);
    }
  }

  /**
   * The answer to AppendEntries. On success {@code matchIndex} is the last index known to match
   * the leader. On rejection {@code rejectedIndex} is the rejected {@code prevLogIndex} and {@code
   * rejectHint} the highest index that may match (fast back-off, Raft §5.3 last paragraph).
   */
  record AppendResponse(
      int from, int to, long term, boolean success, long matchIndex, long rejectedIndex,
      long rejectHint, long readContext) implements Message {}

  /**
   * InstallSnapshot (Raft §7): the leader no longer has the entries a follower needs, so it sends
   * its snapshot. The core sends the whole snapshot in one message; the transport chunks it.
   */
  record InstallSnapshot(int from, int to, long term, Snapshot snapshot) implements Message {}

  /** Tells an up-to-date follower to start an election at once (leadership transfer). */
  record TimeoutNow(int from, int to, long term) implements Message {}
}
