package io.cairn.agent.internal.net;

import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.proto.agent.AgentMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.MessageToByteEncoder;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/**
 * The framing of the master-agent channel after the HTTP upgrade: a 4-byte big-endian length,
 * then one serialized {@link AgentMessage}; at most 16 MiB. Netty's protobuf codec is not used
 * (it cannot resolve protobuf 3/4 in OSGi; see notes/runtime.md). A too large or unparsable frame
 * raises an exception, and the owning handler closes the connection.
 */
public final class AgentFrames {
  /** Largest frame body. */
  public static final int FRAME_MAX_BYTES = 16 * 1024 * 1024;

  private AgentFrames() {}

  /** Adds the frame decoder, encoder and message codec at the end of {@code pipeline}. */
  public static void install(ChannelPipeline pipeline) {
    pipeline.addLast("frame-decoder", new LengthFieldBasedFrameDecoder(FRAME_MAX_BYTES, 0, 4, 0, 4));
    pipeline.addLast("frame-prepender", new LengthFieldPrepender(4));
    pipeline.addLast("message-decoder", new Decoder());
    pipeline.addLast("message-encoder", new Encoder());
  }

  /** Bytes of one frame to an {@link AgentMessage}. */
  static final class Decoder extends MessageToMessageDecoder<ByteBuf> {
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out)
        throws InvalidProtocolBufferException {
      out.add(AgentMessage.parseFrom(ByteBufUtil.getBytes(frame)));
    }
  }

  /** An {@link AgentMessage} to the bytes of one frame (the prepender adds the length). */
  static final class Encoder extends MessageToByteEncoder<AgentMessage> {
    @Override
    protected void encode(ChannelHandlerContext ctx, AgentMessage message, ByteBuf out) {
      out.writeBytes(message.toByteArray());
    }
  }
}
