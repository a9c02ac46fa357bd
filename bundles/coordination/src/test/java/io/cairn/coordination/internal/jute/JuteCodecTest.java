package io.cairn.coordination.internal.jute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.coordination.internal.jute.Frames.ConnectRequest;
import io.cairn.coordination.internal.jute.Frames.RequestFrame;
import io.cairn.coordination.internal.jute.Requests.Create;
import io.cairn.coordination.internal.jute.Requests.Multi;
import io.cairn.coordination.internal.jute.Requests.Op;
import io.cairn.coordination.internal.jute.Requests.PathWatch;
import io.cairn.coordination.internal.jute.Requests.SetWatches;
import java.util.Arrays;
import java.util.List;
import org.apache.jute.BinaryOutputArchive;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.RequestHeader;
import org.junit.jupiter.api.Test;

/** Our jute codec against the layouts of zookeeper.jute and the real jute library's bytes. */
class JuteCodecTest {
  @Test
  void aCreateRequestMatchesTheRealJuteEncoding() throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    BinaryOutputArchive archive = BinaryOutputArchive.getArchive(bytes);
    new RequestHeader(7, OpCode.CREATE).serialize(archive, "header");
    new CreateRequest("/a", new byte[] {9}, org.apache.zookeeper.ZooDefs.Ids.OPEN_ACL_UNSAFE, 3)
        .serialize(archive, "request");
    RequestFrame frame = Frames.decodeRequest(bytes.toByteArray());
    assertEquals(7, frame.xid());
    Create create = (Create) frame.body();
    assertEquals("/a", create.path());
    assertEquals(3, create.flags());
    assertEquals(Acl.OPEN, create.acl());
    assertArrayEquals(bytes.toByteArray(), Frames.encodeRequest(frame));
  }

  @Test
  void statIsSixtyEightBytesInJuteOrder() throws Exception {
    Stat stat = new Stat(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
    org.apache.zookeeper.data.Stat real =
        new org.apache.zookeeper.data.Stat(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    real.serialize(BinaryOutputArchive.getArchive(bytes), "stat");
    assertEquals(68, stat.toBytes().length);
    assertArrayEquals(bytes.toByteArray(), stat.toBytes());
  }

  @Test
  void multiAndSetWatchesRoundTrip() throws Exception {
    Multi multi =
        new Multi(
            List.of(
                new Op(OpCode.CREATE_TTL, new Create("/t", null, Acl.OPEN, 5, 1000)),
                new Op(OpCode.CHECK, new Requests.CheckVersion("/t", 0))));
    RequestFrame frame = new RequestFrame(3, OpCode.MULTI, multi);
    RequestFrame decoded = Frames.decodeRequest(Frames.encodeRequest(frame));
    assertEquals(1000, ((Create) ((Multi) decoded.body()).ops().get(0).request()).ttl());
    SetWatches watches =
        new SetWatches(9, List.of("/a"), List.of(), List.of("/b"), List.of("/p"), List.of());
    RequestFrame set = new RequestFrame(-8, OpCode.SET_WATCHES2, watches);
    assertEquals(watches, Frames.decodeRequest(Frames.encodeRequest(set)).body());
  }

  @Test
  void aConnectRequestWithoutReadOnlyIsAccepted() throws Exception {
    byte[] full = new ConnectRequest(0, 5, 4000, 0, new byte[16], true).toBytes();
    ConnectRequest old = Frames.decodeConnect(Arrays.copyOf(full, full.length - 1));
    assertFalse(old.readOnly());
    assertEquals(4000, old.timeoutMs());
  }

  @Test
  void hostileLengthsAreTypedErrors() {
    byte[] hugeString = {0, 0, 0, 1, 0, 0, 0, 3, 0x7f, 0, 0, 0};
    assertThrows(JuteDecodeException.class, () -> Frames.decodeRequest(hugeString));
    byte[] hugeVector = {-1, -1, -1, -8, 0, 0, 0, 101, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, 0, 0, 0};
    assertThrows(JuteDecodeException.class, () -> Frames.decodeRequest(hugeVector));
    byte[] badUtf8 = {0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0, 2, (byte) 0xc3, 0x28, 0};
    assertThrows(JuteDecodeException.class, () -> Frames.decodeRequest(badUtf8));
    assertThrows(JuteDecodeException.class, () -> Frames.decodeConnect(new byte[3]));
  }

  @Test
  void nullBuffersAndStringsUseLengthMinusOne() throws Exception {
    JuteOutput out = new JuteOutput().writeBuffer(null).writeString(null).writeStringVector(null);
    JuteInput in = new JuteInput(out.toByteArray());
    assertNull(in.readBuffer());
    assertNull(in.readString());
    assertNull(in.readStringVector());
    assertEquals(
        new PathWatch("/x", true),
        Requests.read(
            OpCode.GET_DATA,
            new JuteInput(new JuteOutput().writeString("/x").writeBool(true).toByteArray())));
  }
}
