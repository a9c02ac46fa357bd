package io.cairn.consensus.internal.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.consensus.internal.core.Configuration;
import io.cairn.consensus.internal.core.Message;
import io.cairn.consensus.internal.core.Message.AppendRequest;
import io.cairn.consensus.internal.core.Message.AppendResponse;
import io.cairn.consensus.internal.core.Message.InstallSnapshot;
import io.cairn.consensus.internal.core.Message.TimeoutNow;
import io.cairn.consensus.internal.core.Message.VoteRequest;
import io.cairn.consensus.internal.core.Message.VoteResponse;
import io.cairn.consensus.internal.core.Snapshot;
import io.cairn.env.storage.LogEntry;
import io.cairn.proto.raft.AppendEntries;
import io.cairn.proto.raft.AppendEntriesResponse;
import io.cairn.proto.raft.Entry;
import io.cairn.proto.raft.ForwardError;
import io.cairn.proto.raft.ForwardedProposal;
import io.cairn.proto.raft.ForwardedProposalResult;
import io.cairn.proto.raft.InstallSnapshotResponse;
import io.cairn.proto.raft.RaftMessage;
import io.cairn.proto.raft.ReadIndexRequest;
import io.cairn.proto.raft.ReadIndexResponse;
import io.cairn.proto.raft.RequestVote;
import io.cairn.proto.raft.RequestVoteResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Converts core {@link Message}s to and from {@code cairn.raft.RaftMessage} bytes (one frame's
 * body). Written by hand instead of Netty's protobuf codec, which cannot load protobuf 4 inside
 * OSGi (notes/runtime.md §5). Decoding validates everything the core relies on, so a corrupt or
 * hostile frame becomes a {@link MalformedMessageException}, never a core invariant failure.
 * Stateless and thread-safe.
 */
public final class RaftCodec {
  private RaftCodec() {}

  /** Serializes {@code message} (deterministic field order, as protobuf-java always writes). */
  public static byte[] encode(Message message) {
    RaftMessage.Builder frame =
        RaftMessage.newBuilder().setFrom(message.from()).setTo(message.to());
    if (message instanceof VoteRequest m) {
      frame.setRequestVote(
          RequestVote.newBuilder().setTerm(m.term()).setLastLogIndex(m.lastLogIndex())
              .setLastLogTerm(m.lastLogTerm()).setPreVote(m.preVote()).setTransfer(m.transfer()));
    } else if (message instanceof VoteResponse m) {
      frame.setRequestVoteResponse(
          RequestVoteResponse.newBuilder().setTerm(m.term()).setGranted(m.granted())
              .setPreVote(m.preVote()));
    } else if (message instanceof AppendRequest m) {
      frame.setAppendEntries(encodeAppend(m));
    } else if (message instanceof AppendResponse m) {
      frame.setAppendEntriesResponse(
          AppendEntriesResponse.newBuilder().setTerm(m.term()).setSuccess(m.success())
              .setMatchIndex(m.matchIndex()).setRejectedIndex(m.rejectedIndex())
              .setRejectHint(m.rejectHint()).setReadContext(m.readContext()));
    } else if (message instanceof InstallSnapshot m) {
      Snapshot snapshot = m.snapshot();
      frame.setInstallSnapshot(
          io.cairn.proto.raft.InstallSnapshot.newBuilder().setTerm(m.term())
              .setLastIncludedIndex(snapshot.index()).setLastIncludedTerm(snapshot.term())
              .setOffset(0).setData(ByteString.copyFrom(snapshot.data())).setDone(true)
              .addAllVoters(snapshot.configuration().voters())
              .addAllOutgoingVoters(snapshot.configuration().outgoing())
              .addAllLearners(snapshot.configuration().learners()));
    } else if (message instanceof TimeoutNow m) {
      frame.setTimeoutNow(io.cairn.proto.raft.TimeoutNow.newBuilder().setTerm(m.term()));
    }
    return frame.build().toByteArray();
  }

  private static AppendEntries.Builder encodeAppend(AppendRequest m) {
    AppendEntries.Builder append =
        AppendEntries.newBuilder().setTerm(m.term()).setPrevLogIndex(m.prevLogIndex())
            .setPrevLogTerm(m.prevLogTerm()).setLeaderCommit(m.leaderCommit())
            .setReadContext(m.readContext());
    for (LogEntry entry : m.entries()) {
      append.addEntries(
          Entry.newBuilder().setIndex(entry.index()).setTerm(entry.term())
              .setPayload(ByteString.copyFrom(entry.payload())));
    }
    return append;
  }

  /** Serializes a forwarded request or answer (driver to driver, never seen by the core). */
  public static byte[] encode(Forward forward) {
    RaftMessage.Builder frame =
        RaftMessage.newBuilder().setFrom(forward.from()).setTo(forward.to());
    if (forward instanceof Forward.Proposal m) {
      frame.setForwardedProposal(
          ForwardedProposal.newBuilder().setId(m.id()).setNamespace(m.namespace())
              .setCommand(ByteString.copyFrom(m.command())));
    } else if (forward instanceof Forward.ProposalResult m) {
      frame.setForwardedProposalResult(
          ForwardedProposalResult.newBuilder().setId(m.id()).setIndex(m.index())
              .setTerm(m.term()).setError(toWire(m.error())).setLeaderHint(m.leaderHint()));
    } else if (forward instanceof Forward.ReadRequest m) {
      frame.setReadIndexRequest(ReadIndexRequest.newBuilder().setId(m.id()));
    } else if (forward instanceof Forward.ReadResult m) {
      frame.setReadIndexResponse(
          ReadIndexResponse.newBuilder().setId(m.id()).setIndex(m.index())
              .setError(toWire(m.error())).setLeaderHint(m.leaderHint()));
    }
    return frame.build().toByteArray();
  }

  /** Serializes one chunk of a snapshot transfer, or its acknowledgement. */
  public static byte[] encode(SnapshotTransfer transfer) {
    RaftMessage.Builder frame =
        RaftMessage.newBuilder().setFrom(transfer.from()).setTo(transfer.to());
    if (transfer instanceof SnapshotTransfer.Chunk m) {
      frame.setInstallSnapshot(
          io.cairn.proto.raft.InstallSnapshot.newBuilder().setTerm(m.term())
              .setLastIncludedIndex(m.index()).setLastIncludedTerm(m.snapshotTerm())
              .setOffset(m.offset()).setData(ByteString.copyFrom(m.data())).setDone(m.done())
              .addAllVoters(m.configuration().voters())
              .addAllOutgoingVoters(m.configuration().outgoing())
              .addAllLearners(m.configuration().learners()));
    } else if (transfer instanceof SnapshotTransfer.Ack m) {
      frame.setInstallSnapshotResponse(
          InstallSnapshotResponse.newBuilder().setTerm(m.term()).setNextOffset(m.nextOffset())
              .setDone(m.done()).setLastIncludedIndex(m.index()));
    }
    return frame.build().toByteArray();
  }

  /** Parses and validates one frame body that must hold a Raft RPC. */
  public static Message decode(byte[] bytes) throws MalformedMessageException {
    Frame frame = decodeFrame(bytes);
    if (frame.transfer() instanceof SnapshotTransfer.Chunk chunk && chunk.offset() == 0
        && chunk.done()) {
      // A whole snapshot in one frame, as encode(InstallSnapshot) writes it.
      return new InstallSnapshot(chunk.from(), chunk.to(), chunk.term(), new Snapshot(
          chunk.index(), chunk.snapshotTerm(), chunk.configuration(), chunk.data()));
    }
    if (frame.rpc() == null) {
      throw new MalformedMessageException(
          "frame from node " + frame.from() + " holds no Raft RPC");
    }
    return frame.rpc();
  }

  /** Parses and validates one frame body: a Raft RPC or a {@link Forward}. */
  public static Frame decodeFrame(byte[] bytes) throws MalformedMessageException {
    RaftMessage frame;
    try {
      // Aliasing: byte fields are views of the frame (fresh per message, never reused), so an
      // entry's payload is copied once, by toByteArray, not twice.
      CodedInputStream input = CodedInputStream.newInstance(bytes);
      input.enableAliasing(true);
      frame = RaftMessage.parser().parseFrom(input);
    } catch (InvalidProtocolBufferException e) {
      throw new MalformedMessageException("not a RaftMessage: " + e.getMessage(), e);
    }
    int from = frame.getFrom();
    int to = frame.getTo();
    if (from <= 0 || to <= 0) {
      throw new MalformedMessageException("bad node ids from=" + from + " to=" + to);
    }
    try {
      switch (frame.getBodyCase()) {
        case INSTALL_SNAPSHOT -> {
          return new Frame(null, null, decodeChunk(frame.getInstallSnapshot(), from, to));
        }
        case INSTALL_SNAPSHOT_RESPONSE -> {
          InstallSnapshotResponse m = frame.getInstallSnapshotResponse();
          return new Frame(null, null, new SnapshotTransfer.Ack(
              from, to, m.getTerm(), m.getLastIncludedIndex(), m.getNextOffset(), m.getDone()));
        }
        default -> {
          Forward forward = decodeForward(frame, from, to);
          return forward != null
              ? new Frame(null, forward) : new Frame(decodeBody(frame, from, to), null);
        }
      }
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException(
          "invalid " + frame.getBodyCase() + " from node " + from + ": " + e.getMessage(), e);
    }
  }

  /** The forward in {@code frame}, or null when it holds a Raft RPC. */
  private static Forward decodeForward(RaftMessage frame, int from, int to)
      throws MalformedMessageException {
    switch (frame.getBodyCase()) {
      case FORWARDED_PROPOSAL -> {
        ForwardedProposal m = frame.getForwardedProposal();
        return new Forward.Proposal(from, to, m.getId(), m.getNamespace(), m.getCommand().toByteArray());
      }
      case FORWARDED_PROPOSAL_RESULT -> {
        ForwardedProposalResult m = frame.getForwardedProposalResult();
        return new Forward.ProposalResult(
            from, to, m.getId(), m.getIndex(), m.getTerm(), fromWire(m.getError()), m.getLeaderHint());
      }
      case READ_INDEX_REQUEST -> {
        return new Forward.ReadRequest(from, to, frame.getReadIndexRequest().getId());
      }
      case READ_INDEX_RESPONSE -> {
        ReadIndexResponse m = frame.getReadIndexResponse();
        return new Forward.ReadResult(
            from, to, m.getId(), m.getIndex(), fromWire(m.getError()), m.getLeaderHint());
      }
      default -> {
        return null;
      }
    }
  }

  private static ForwardError toWire(Forward.Error error) {
    return switch (error) {
      case NONE -> ForwardError.FORWARD_ERROR_NONE;
      case NOT_LEADER -> ForwardError.FORWARD_ERROR_NOT_LEADER;
      case TRANSFERRING -> ForwardError.FORWARD_ERROR_TRANSFERRING;
      case OVERLOADED -> ForwardError.FORWARD_ERROR_OVERLOADED;
    };
  }

  private static Forward.Error fromWire(ForwardError error) throws MalformedMessageException {
    return switch (error) {
      case FORWARD_ERROR_NONE -> Forward.Error.NONE;
      case FORWARD_ERROR_NOT_LEADER -> Forward.Error.NOT_LEADER;
      case FORWARD_ERROR_TRANSFERRING -> Forward.Error.TRANSFERRING;
      case FORWARD_ERROR_OVERLOADED -> Forward.Error.OVERLOADED;
      default -> throw new MalformedMessageException("unknown forward error " + error);
    };
  }

  private static Message decodeBody(RaftMessage frame, int from, int to)
      throws MalformedMessageException {
    switch (frame.getBodyCase()) {
      case REQUEST_VOTE -> {
        RequestVote m = frame.getRequestVote();
        return new VoteRequest(
            from, to, m.getTerm(), m.getLastLogIndex(), m.getLastLogTerm(), m.getPreVote(),
            m.getTransfer());
      }
      case REQUEST_VOTE_RESPONSE -> {
        RequestVoteResponse m = frame.getRequestVoteResponse();
        return new VoteResponse(from, to, m.getTerm(), m.getGranted(), m.getPreVote());
      }
      case APPEND_ENTRIES -> {
        return decodeAppend(frame.getAppendEntries(), from, to);
      }
      case APPEND_ENTRIES_RESPONSE -> {
        AppendEntriesResponse m = frame.getAppendEntriesResponse();
        return new AppendResponse(
            from, to, m.getTerm(), m.getSuccess(), m.getMatchIndex(), m.getRejectedIndex(),
            m.getRejectHint(), m.getReadContext());
      }
      case TIMEOUT_NOW -> {
        return new TimeoutNow(from, to, frame.getTimeoutNow().getTerm());
      }
      default -> throw new MalformedMessageException("frame from node " + from + " has no body");
    }
  }

  private static SnapshotTransfer.Chunk decodeChunk(
      io.cairn.proto.raft.InstallSnapshot m, int from, int to) {
    Configuration configuration =
        new Configuration(
            Set.copyOf(m.getVotersList()), Set.copyOf(m.getOutgoingVotersList()),
            Set.copyOf(m.getLearnersList()));
    return new SnapshotTransfer.Chunk(
        from, to, m.getTerm(), m.getLastIncludedIndex(), m.getLastIncludedTerm(), configuration,
        m.getOffset(), m.getData().toByteArray(), m.getDone());
  }

  private static AppendRequest decodeAppend(AppendEntries m, int from, int to)
      throws MalformedMessageException {
    List<LogEntry> entries = new ArrayList<>(m.getEntriesCount());
    long expected = m.getPrevLogIndex() + 1;
    for (Entry entry : m.getEntriesList()) {
      if (entry.getIndex() != expected++) {
        throw new MalformedMessageException(
            "append from node " + from + " has entry " + entry.getIndex() + " where "
                + (expected - 1) + " belongs");
      }
      entries.add(new LogEntry(entry.getIndex(), entry.getTerm(), entry.getPayload().toByteArray()));
    }
    return new AppendRequest(
        from, to, m.getTerm(), m.getPrevLogIndex(), m.getPrevLogTerm(), entries,
        m.getLeaderCommit(), m.getReadContext());
  }
}
