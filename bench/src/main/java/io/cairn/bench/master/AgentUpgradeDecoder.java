package io.cairn.bench.master;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The client half of the agent channel's opening (bundles/master/README.md, "HTTP"): sends
 * {@code GET /cairn/agent/v1} with {@code Upgrade: cairn-agent/1}, reads the response head, and
 * on 101 swaps itself for the frame codec (4-byte length prefix) and the {@link SimAgent}; bytes
 * that arrived after the head go on to the frame decoder when this decoder is removed. Any other
 * status is reported to {@link SimAgents} and closes the connection.
 *
 * <p>Threading: one instance per connection, on its Netty event loop.
 */
final class AgentUpgradeDecoder extends ByteToMessageDecoder {
  private static final int MAX_HEAD_BYTES = 8192;
  private static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

  private final SimAgents owner;
  private final SimAgent agent;
  /** The request's bytes, the same for every agent of a phase ({@link #request}). */
  private final byte[] request;

  AgentUpgradeDecoder(SimAgents owner, SimAgent agent, byte[] request) {
    this.owner = owner;
    this.agent = agent;
    this.request = request;
  }

  /** The upgrade request an agent sends to the master at {@code hostPort}. */
  static byte[] request(String hostPort) {
    return ("GET /cairn/agent/v1 HTTP/1.1\r\nHost: " + hostPort
        + "\r\nConnection: Upgrade\r\nUpgrade: cairn-agent/1\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    ctx.writeAndFlush(Unpooled.wrappedBuffer(request));
    super.channelActive(ctx);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    int end = headEnd(in);
    if (end < 0) {
      if (in.readableBytes() > MAX_HEAD_BYTES) {
        owner.onRefused(agent, "the master's upgrade answer has no end within "
            + MAX_HEAD_BYTES + " bytes");
        ctx.close();
      }
      return;
    }
    String head = in.readCharSequence(end - in.readerIndex(), StandardCharsets.US_ASCII)
        .toString();
    in.skipBytes(4);
    if (!head.startsWith("HTTP/1.1 101")) {
      owner.onRefused(agent, "the master answered the upgrade with '"
          + head.lines().findFirst().orElse("") + "'");
      ctx.close();
      return;
    }
    ChannelPipeline pipeline = ctx.pipeline();
    pipeline.addLast("frames", new LengthFieldBasedFrameDecoder(MAX_FRAME_BYTES, 0, 4, 0, 4));
    pipeline.addLast("length", new LengthFieldPrepender(4));
    pipeline.addLast("agent", agent);
    byte[] prepared = agent.takePreparedFrame();
    if (prepared != null) {
      // Already framed (length prefix included): written from here, ahead of the prepender.
      agent.upgradedNanos = System.nanoTime();
      ctx.writeAndFlush(Unpooled.wrappedBuffer(prepared));
    } else {
      agent.onUpgraded(pipeline.context(agent));
    }
    pipeline.remove(this);
  }

  /** The index of the "\r\n\r\n" that ends the head, or -1. */
  private static int headEnd(ByteBuf in) {
    for (int i = in.readerIndex(); i + 3 < in.writerIndex(); i++) {
      if (in.getByte(i) == '\r' && in.getByte(i + 1) == '\n' && in.getByte(i + 2) == '\r'
          && in.getByte(i + 3) == '\n') {
        return i;
      }
    }
    return -1;
  }
}
