package io.cairn.master.internal.server;

import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.proto.agent.AgentMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.channel.ChannelPipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent connection after {@code Upgrade: cairn-agent/1}: 4-byte big-endian length frames, each
 * one serialized {@link AgentMessage}, at most 16 MiB. A larger or unparsable frame closes the
 * connection (logged with the peer address), nothing else. Outgoing messages are encoded by
 * {@link AgentMessageEncoder} on the event loop.
 *
 * <p>Threading: runs on the channel's Netty event loop and hands each message to the driver.
 */
final class AgentFrameHandler extends SimpleChannelInboundHandler<ByteBuf> {
  private static final Logger LOG = LoggerFactory.getLogger(AgentFrameHandler.class);
  static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

  private final MasterDriver driver;
  private final long connectionId;

  private AgentFrameHandler(MasterDriver driver, long connectionId) {
    this.driver = driver;
    this.connectionId = connectionId;
  }

  /** Installs the frame codec and this handler at the end of {@code pipeline}. */
  static void install(ChannelPipeline pipeline, MasterDriver driver, long connectionId) {
    pipeline.addLast("agent-frames", new LengthFieldBasedFrameDecoder(MAX_FRAME_BYTES, 0, 4, 0, 4));
    pipeline.addLast("agent-encoder", AgentMessageEncoder.INSTANCE);
    pipeline.addLast("agent", new AgentFrameHandler(driver, connectionId));
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
    AgentMessage message;
    try {
      // Parsed where the frame lies (a re-registration is 2-3 KB, 10,000 of them arrive within a
      // second of a fail-over): no copy into a byte array first.
      message = frame.nioBufferCount() == 1
          ? AgentMessage.parseFrom(frame.nioBuffer())
          : AgentMessage.parseFrom(ByteBufUtil.getBytes(frame));
    } catch (InvalidProtocolBufferException e) {
      LOG.warn("closing agent connection: unparsable frame peer={} bytes={} reason={}",
          ctx.channel().remoteAddress(), frame.readableBytes(), e.getMessage());
      ctx.close();
      return;
    }
    driver.agentMessage(connectionId, message);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    driver.agentDisconnected(connectionId);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.warn("closing agent connection peer={} reason={}", ctx.channel().remoteAddress(),
        cause.toString());
    ctx.close();
  }
}
