package io.cairn.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.cairn.proto.raft.AppendEntries;
import io.cairn.proto.raft.Entry;
import io.cairn.proto.raft.RaftMessage;
import org.junit.jupiter.api.Test;

class RaftMessageTest {
  @Test
  void appendEntriesSurvivesARoundTripThroughBytes() throws Exception {
    RaftMessage sent =
        RaftMessage.newBuilder()
            .setFrom(1)
            .setTo(2)
            .setAppendEntries(
                AppendEntries.newBuilder()
                    .setTerm(7)
                    .setPrevLogIndex(41)
                    .setPrevLogTerm(6)
                    .addEntries(
                        Entry.newBuilder()
                            .setIndex(42)
                            .setTerm(7)
                            .setPayload(ByteString.copyFromUtf8("set x=1")))
                    .setLeaderCommit(40))
            .build();

    RaftMessage received = RaftMessage.parseFrom(sent.toByteArray());

    assertEquals(RaftMessage.BodyCase.APPEND_ENTRIES, received.getBodyCase());
    assertEquals(42, received.getAppendEntries().getEntries(0).getIndex());
    assertEquals("set x=1", received.getAppendEntries().getEntries(0).getPayload().toStringUtf8());
    assertEquals(sent, received);
  }
}
