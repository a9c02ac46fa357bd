package io.cairn.consensus.internal.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
import io.cairn.proto.raft.Entry;
import io.cairn.proto.raft.RaftMessage;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class RaftCodecTest {
  static Stream<Message> everyMessage() {
    return Stream.of(
        new VoteRequest(1, 2, 7, 41, 6, true, false),
        new VoteRequest(1, 2, 7, 41, 6, false, true),
        new VoteResponse(2, 1, 7, true, true),
        new AppendRequest(
            1, 3, 7, 40, 6, List.of(new LogEntry(41, 7, new byte[] {1, 2})), 39, 5),
        new AppendRequest(1, 3, 7, 40, 6, List.of(), 39, 0),
        new AppendResponse(3, 1, 7, false, 0, 40, 12, 5),
        new InstallSnapshot(1, 2, 7, new Snapshot(100, 6, new Configuration(Set.of(1, 2, 3), Set.of(1, 2), Set.of(4)), new byte[] {9, 9, 9})),
        new TimeoutNow(1, 2, 7));
  }

  @ParameterizedTest
  @MethodSource("everyMessage")
  void everyMessageSurvivesARoundTrip(Message message) throws Exception {
    Message decoded = RaftCodec.decode(RaftCodec.encode(message));
    if (message instanceof InstallSnapshot sent) {
      InstallSnapshot got = (InstallSnapshot) decoded;
      assertEquals(sent.snapshot().index(), got.snapshot().index());
      assertArrayEquals(sent.snapshot().data(), got.snapshot().data());
      assertEquals(sent.snapshot().configuration(), got.snapshot().configuration());
    } else if (message instanceof AppendRequest sent) {
      AppendRequest got = (AppendRequest) decoded;
      assertEquals(sent.entries().size(), got.entries().size());
      for (int i = 0; i < sent.entries().size(); i++) {
        assertArrayEquals(sent.entries().get(i).payload(), got.entries().get(i).payload());
      }
      assertEquals(sent.leaderCommit(), got.leaderCommit());
      assertEquals(sent.readContext(), got.readContext());
    } else {
      assertEquals(message, decoded);
    }
  }

  static Stream<Forward> everyForward() {
    return Stream.of(
        new Forward.ProposalResult(1, 2, 9, 41, 7, Forward.Error.NONE, 1),
        new Forward.ProposalResult(3, 2, 10, 0, 0, Forward.Error.NOT_LEADER, 1),
        new Forward.ProposalResult(1, 2, 11, 0, 0, Forward.Error.OVERLOADED, 1),
        new Forward.ProposalResult(1, 2, 12, 0, 0, Forward.Error.TRANSFERRING, 3),
        new Forward.ReadRequest(2, 1, 5),
        new Forward.ReadResult(1, 2, 5, 40, Forward.Error.NONE, 1),
        new Forward.ReadResult(1, 2, 6, 0, Forward.Error.NOT_LEADER, 0));
  }

  @ParameterizedTest
  @MethodSource("everyForward")
  void everyForwardSurvivesARoundTripAndIsNoRpc(Forward forward) throws Exception {
    byte[] bytes = RaftCodec.encode(forward);
    assertEquals(forward, RaftCodec.decodeFrame(bytes).forward());
    assertThrows(MalformedMessageException.class, () -> RaftCodec.decode(bytes));
  }

  @Test
  void aForwardedProposalKeepsItsNamespaceAndCommand() throws Exception {
    Forward.Proposal sent = new Forward.Proposal(2, 1, 7, "kv", new byte[] {1, 2, 3});
    Forward.Proposal got = (Forward.Proposal) RaftCodec.decodeFrame(RaftCodec.encode(sent)).forward();
    assertEquals(sent.id(), got.id());
    assertEquals("kv", got.namespace());
    assertArrayEquals(sent.command(), got.command());
  }

  @Test
  void anAcceptedProposalResultWithoutIndexIsRejected() {
    byte[] bad = RaftMessage.newBuilder().setFrom(1).setTo(2)
        .setForwardedProposalResult(io.cairn.proto.raft.ForwardedProposalResult.newBuilder().setId(3))
        .build().toByteArray();
    assertThrows(MalformedMessageException.class, () -> RaftCodec.decodeFrame(bad));
  }

  @Test
  void garbageIsRejectedWithATypedError() {
    assertThrows(MalformedMessageException.class, () -> RaftCodec.decode(new byte[] {(byte) 0xff, 1, 2}));
  }

  @Test
  void aFrameWithoutBodyOrSenderIsRejected() {
    byte[] noBody = RaftMessage.newBuilder().setFrom(1).setTo(2).build().toByteArray();
    assertThrows(MalformedMessageException.class, () -> RaftCodec.decode(noBody));
    byte[] noSender = RaftMessage.newBuilder().setTo(2).build().toByteArray();
    assertThrows(MalformedMessageException.class, () -> RaftCodec.decode(noSender));
  }

  @Test
  void nonContiguousOrZeroTermEntriesAreRejected() {
    byte[] gap =
        RaftMessage.newBuilder().setFrom(1).setTo(2)
            .setAppendEntries(
                AppendEntries.newBuilder().setTerm(3).setPrevLogIndex(4)
                    .addEntries(Entry.newBuilder().setIndex(6).setTerm(3)))
            .build().toByteArray();
    assertThrows(MalformedMessageException.class, () -> RaftCodec.decode(gap));
    byte[] zeroTerm =
        RaftMessage.newBuilder().setFrom(1).setTo(2)
            .setAppendEntries(
                AppendEntries.newBuilder().setTerm(3).setPrevLogIndex(4)
                    .addEntries(Entry.newBuilder().setIndex(5).setTerm(0)))
            .build().toByteArray();
    assertThrows(MalformedMessageException.class, () -> RaftCodec.decode(zeroTerm));
  }
}
