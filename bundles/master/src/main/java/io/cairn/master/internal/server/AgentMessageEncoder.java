package io.cairn.master.internal.server;

import com.google.protobuf.CodedOutputStream;
import io.cairn.proto.agent.AgentMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.io.IOException;

/**
 * Encodes an {@link AgentMessage} as one agent-channel frame (4-byte big-endian length, then the
 * serialized message) straight into a buffer of the exact size. It runs on the connection's
 * event loop, so the master thread hands over the message and never serializes: at fail-over the
 * master thread is the one serial resource (10,000 answers in a second).
 *
 * <p>Threading: stateless, shared by every agent connection.
 */
@ChannelHandler.Sharable
final class AgentMessageEncoder extends MessageToByteEncoder<AgentMessage> {
  static final AgentMessageEncoder INSTANCE = new AgentMessageEncoder();

  private AgentMessageEncoder() {
    super(AgentMessage.class);
  }

  @Override
  protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, AgentMessage message,
      boolean preferDirect) {
    int bytes = Integer.BYTES + message.getSerializedSize();
    return preferDirect ? ctx.alloc().ioBuffer(bytes, bytes) : ctx.alloc().heapBuffer(bytes, bytes);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, AgentMessage message, ByteBuf out)
      throws IOException {
    int size = message.getSerializedSize(); // Memoized by protobuf: computed in allocateBuffer.
    out.writeInt(size);
    int at = out.writerIndex();
    CodedOutputStream coded = CodedOutputStream.newInstance(out.nioBuffer(at, size));
    message.writeTo(coded);
    coded.flush();
    coded.checkNoSpaceLeft();
    out.writerIndex(at + size);
  }
}
