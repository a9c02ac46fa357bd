package io.cairn.coordination.internal.net;

import io.cairn.coordination.internal.jute.Frames;
import io.cairn.coordination.internal.jute.JuteDecodeException;
import io.cairn.coordination.internal.monitor.FourLetterWords;
import io.cairn.coordination.internal.server.ClientChannel;
import io.cairn.coordination.internal.server.CoordinationServer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.SingleThreadEventLoop;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection on Netty: decodes frames into connect/request records for the {@link
 * CoordinationServer}, answers four-letter words, and writes replies in the order they were queued.
 * Undecodable frames close this connection only.
 *
 * <p>Threading: inbound callbacks run on the channel's event loop; {@link #send} may be called from
 * any thread and only appends to a queue that the event loop drains, so frames leave in {@code
 * send} order whatever thread queued them.
 */
final class ZkChannelHandler extends SimpleChannelInboundHandler<Object> implements ClientChannel {
  private static final Logger LOG = LoggerFactory.getLogger(ZkChannelHandler.class);
  private static final byte[] CLOSE = new byte[0];

  private final CoordinationServer server;
  private final FourLetterWords words;
  private final Queue<byte[]> outbound = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  private volatile Channel channel;
  private long connectionId;
  private boolean handshakeDone;

  ZkChannelHandler(CoordinationServer server, FourLetterWords words) {
    this.server = server;
    this.words = words;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    connectionId = server.open(this);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    server.onClosed(connectionId);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Object message) {
    if (message instanceof ZkFrameDecoder.FourLetterWord word) {
      byte[] text = words.answer(word.word()).getBytes(StandardCharsets.UTF_8);
      ctx.writeAndFlush(ctx.alloc().buffer(text.length).writeBytes(text))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    byte[] frame = (byte[]) message;
    try {
      if (!handshakeDone) {
        handshakeDone = true;
        server.onConnect(connectionId, Frames.decodeConnect(frame));
      } else {
        server.onRequest(connectionId, Frames.decodeRequest(frame));
      }
    } catch (JuteDecodeException e) {
      LOG.debug("closing connection={}: {}", connectionId, e.getMessage());
      ctx.close();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("closing connection={} after {}", connectionId, cause.toString());
    ctx.close();
  }

  @Override
  public void send(byte[] payload) {
    outbound.add(payload);
    scheduleFlush();
  }

  @Override
  public void closeAfterFlush() {
    outbound.add(CLOSE);
    scheduleFlush();
  }

  @Override
  public String remoteIp() {
    Channel current = channel;
    if (current != null && current.remoteAddress() instanceof InetSocketAddress address) {
      return address.getAddress().getHostAddress();
    }
    return "0.0.0.0";
  }

  @Override
  public String remoteAddress() {
    Channel current = channel;
    if (current != null && current.remoteAddress() instanceof InetSocketAddress address) {
      return "/" + address.getAddress().getHostAddress() + ":" + address.getPort();
    }
    return "/0.0.0.0:0";
  }

  /**
   * Flushes once for everything queued meanwhile: from another thread, on a task of the channel's
   * loop; on the loop itself (a reply made while reading, or applying on the shared raft loop), at
   * the end of the loop's current iteration, so the replies of one iteration leave in one write.
   */
  private void scheduleFlush() {
    Channel current = channel;
    if (current != null && flushScheduled.compareAndSet(false, true)) {
      EventLoop loop = current.eventLoop();
      if (loop.inEventLoop() && loop instanceof SingleThreadEventLoop single) {
        single.executeAfterEventLoopIteration(this::flush);
      } else {
        loop.execute(this::flush);
      }
    }
  }

  private void flush() {
    flushScheduled.set(false);
    Channel current = channel;
    byte[] payload;
    boolean wrote = false;
    while ((payload = outbound.poll()) != null) {
      if (payload == CLOSE) {
        current.writeAndFlush(current.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
        outbound.clear();
        return;
      }
      ByteBuf buffer = current.alloc().buffer(4 + payload.length);
      buffer.writeInt(payload.length).writeBytes(payload);
      current.write(buffer, current.voidPromise());
      wrote = true;
    }
    if (wrote) {
      current.flush();
    }
  }
}
