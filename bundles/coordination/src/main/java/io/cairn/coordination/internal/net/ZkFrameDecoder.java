package io.cairn.coordination.internal.net;

import io.cairn.coordination.internal.jute.Frames;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits the byte stream into frames: a 4-byte big-endian length and that many bytes. The first 4
 * bytes of a connection may instead be a four-letter word, emitted as a {@link FourLetterWord}. A
 * length below 0 or above jute.maxbuffer closes this connection only (as ZooKeeper does).
 */
final class ZkFrameDecoder extends ByteToMessageDecoder {
  private static final Logger LOG = LoggerFactory.getLogger(ZkFrameDecoder.class);
  static final Set<String> FOUR_LETTER_WORDS =
      Set.of("ruok", "srvr", "stat", "mntr", "conf", "envi", "cons", "crst", "dump", "srst",
          "wchs", "wchc", "wchp", "dirs", "isro", "gtmk", "stmk", "hash");

  /** A four-letter-word command. */
  record FourLetterWord(String word) {}

  private final int maxFrameBytes;
  private boolean first = true;

  ZkFrameDecoder(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.readableBytes() >= 4) {
      int length = in.getInt(in.readerIndex());
      if (first) {
        first = false;
        String word = in.toString(in.readerIndex(), 4, StandardCharsets.US_ASCII);
        if (FOUR_LETTER_WORDS.contains(word)) {
          in.skipBytes(in.readableBytes());
          out.add(new FourLetterWord(word));
          return;
        }
      }
      if (length < 0 || length > maxFrameBytes) {
        LOG.debug(
            "closing {}: frame length {} outside 0..{}",
            ctx.channel().remoteAddress(),
            length,
            maxFrameBytes);
        in.skipBytes(in.readableBytes());
        ctx.close();
        return;
      }
      if (in.readableBytes() < 4 + length) {
        return;
      }
      in.skipBytes(4);
      byte[] frame = new byte[length];
      in.readBytes(frame);
      out.add(frame);
    }
  }

  static int defaultMax() {
    return Frames.MAX_FRAME_BYTES;
  }
}
