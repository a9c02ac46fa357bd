package io.cairn.coordination.internal.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.coordination.internal.jute.Fuzz;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/**
 * The Netty frame decoder on an embedded channel: arbitrary byte streams, cut into arbitrary
 * chunks, yield frames or a closed channel, never an exception in the pipeline.
 */
class ZkFrameDecoderPropertyTest {
  @Test
  void arbitraryStreamsInArbitraryChunksNeverThrow() {
    Fuzz.run("frame decoder", 500, random -> {
      byte[] stream = new byte[random.nextInt(301)];
      random.nextBytes(stream);
      decodeInChunks(stream, 1 + random.nextInt(17));
    });
  }

  private static void decodeInChunks(byte[] stream, int chunk) {
    EmbeddedChannel channel = new EmbeddedChannel(new ZkFrameDecoder(64));
    for (int offset = 0; offset < stream.length && channel.isOpen(); offset += chunk) {
      int length = Math.min(chunk, stream.length - offset);
      channel.writeInbound(Unpooled.wrappedBuffer(stream, offset, length));
    }
    channel.checkException();
    Object frame;
    while ((frame = channel.readInbound()) != null) {
      assertTrue(frame instanceof byte[] || frame instanceof ZkFrameDecoder.FourLetterWord);
      if (frame instanceof byte[] bytes) {
        assertTrue(bytes.length <= 64, "no frame above the bound");
      }
    }
    channel.finishAndReleaseAll();
  }

  @Test
  void framesSplitAcrossReadsAreReassembled() {
    EmbeddedChannel channel = new EmbeddedChannel(new ZkFrameDecoder(64));
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 3, 1}));
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {2, 3, 0, 0, 0, 0}));
    assertArrayEquals(new byte[] {1, 2, 3}, channel.readInbound());
    assertArrayEquals(new byte[0], channel.readInbound());
    channel.finishAndReleaseAll();
  }

  @Test
  void anOversizedLengthClosesTheChannel() {
    EmbeddedChannel channel = new EmbeddedChannel(new ZkFrameDecoder(64));
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 65, 1, 2}));
    assertFalse(channel.isOpen());
    Object none = channel.readInbound();
    assertEquals(null, none);
  }

  @Test
  void aFourLetterWordIsRecognisedOnlyFirst() {
    EmbeddedChannel channel = new EmbeddedChannel(new ZkFrameDecoder(1 << 20));
    channel.writeInbound(
        Unpooled.wrappedBuffer("ruok".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    Object word = channel.readInbound();
    assertEquals(new ZkFrameDecoder.FourLetterWord("ruok"), word);
    channel.finishAndReleaseAll();
  }
}
