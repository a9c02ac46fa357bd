package io.cairn.consensus.internal.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound connection to one peer. It connects at once and, whenever the connection fails or
 * closes, again after a delay that doubles from {@code reconnectMin} to {@code reconnectMax}
 * (reset by a successful connect). The channel's write-buffer high-water mark is the per-peer
 * bound: while the channel is not writable, messages are dropped and counted.
 *
 * <pre>
 *   CONNECTING --ok--> CONNECTED --closed--> WAITING --delay--> CONNECTING
 *       |                                       ^
 *       +--------------failed-------------------+        (any) --close()--> CLOSED
 * </pre>
 */
final class PeerLink {
  private static final Logger LOG = LoggerFactory.getLogger(PeerLink.class);

  private final int nodeId;
  private final int peerId;
  private final InetSocketAddress address;
  private final TransportSettings settings;
  private final EventLoopGroup group;
  private final AtomicLong dropped;
  private final Bootstrap bootstrap;
  private volatile Channel channel;
  private volatile boolean closed;
  private long delayMs;
  /** Frames waiting for {@link #writeQueued}; bounded with the channel by the high-water mark. */
  private final Queue<ByteBuf> queued = new ConcurrentLinkedQueue<>();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicBoolean flushQueued = new AtomicBoolean();
  /** On the loop: a flush is due at the end of its current iteration. */
  private boolean flushAtEnd;

  PeerLink(
      int nodeId, int peerId, InetSocketAddress address, TransportSettings settings,
      EventLoopGroup group, AtomicLong dropped) {
    this.nodeId = nodeId;
    this.peerId = peerId;
    this.address = address;
    this.settings = settings;
    this.group = group;
    this.dropped = dropped;
    this.delayMs = settings.reconnectMin().toMillis();
    int high = settings.maxPendingBytesPerPeer();
    this.bootstrap =
        new Bootstrap()
            .group(group)
            .channel(NettyLoops.socketChannel(group))
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(high / 2, high))
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel socket) {
                    // Outbound only: frames are built whole in send(); nothing is read. A peer
                    // that dies resets the connection: close it, and onClosed reconnects.
                    socket.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                      @Override
                      public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
                        LOG.debug("outbound connection failed node={} peer={}: {}", nodeId,
                            peerId, cause.toString());
                        context.close();
                      }
                    });
                  }
                });
  }

  void start() {
    group.execute(this::connect);
  }

  boolean connected() {
    Channel current = channel;
    return current != null && current.isActive();
  }

  /**
   * Queues one frame (length, sender id, payload) or drops it; never blocks. On the channel's own
   * loop (the raft driver's) the frame is written at once and flushed, with every other frame of
   * this iteration, when the iteration ends. Frames queued from other threads are written by one
   * task on the loop and flushed once: a burst of messages costs one wake-up of the loop and one
   * socket write, not one of each per message.
   */
  void send(byte[] payload) {
    Channel current = channel;
    int frameBytes = 2 * Integer.BYTES + payload.length;
    if (current == null || !current.isActive() || !current.isWritable()
        || queuedBytes.get() + frameBytes > settings.maxPendingBytesPerPeer()) {
      dropped.incrementAndGet();
      return;
    }
    ByteBuf frame = current.alloc().buffer(frameBytes);
    frame.writeInt(Integer.BYTES + payload.length).writeInt(nodeId).writeBytes(payload);
    if (current.eventLoop().inEventLoop() && queued.isEmpty()) {
      // Nothing from other threads waits, so writing now keeps the order frames were sent in.
      current.write(frame, current.voidPromise());
      if (!flushAtEnd) {
        flushAtEnd = true;
        ((SingleThreadEventLoop) current.eventLoop()).executeAfterEventLoopIteration(() -> {
          flushAtEnd = false;
          current.flush();
        });
      }
      return;
    }
    queuedBytes.addAndGet(frameBytes);
    queued.add(frame);
    if (flushQueued.compareAndSet(false, true)) {
      try {
        current.eventLoop().execute(() -> writeQueued(current));
      } catch (RejectedExecutionException e) {
        // The transport is closing: what is queued can no longer be sent.
        LOG.debug("dropping queued frames node={} peer={}: loop stopped", nodeId, peerId);
        flushQueued.set(false);
        discardQueued();
      }
    }
  }

  /** Releases every queued frame, counting each as dropped (the loop no longer runs). */
  private void discardQueued() {
    ByteBuf frame;
    while ((frame = queued.poll()) != null) {
      queuedBytes.addAndGet(-frame.readableBytes());
      frame.release();
      dropped.incrementAndGet();
    }
  }

  /** On the channel's loop: writes every queued frame, then flushes once. */
  private void writeQueued(Channel target) {
    flushQueued.set(false);
    boolean usable = target.isActive();
    int written = 0;
    ByteBuf frame;
    while ((frame = queued.poll()) != null) {
      queuedBytes.addAndGet(-frame.readableBytes());
      if (usable) {
        target.write(frame, target.voidPromise());
        written++;
      } else {
        frame.release();
        dropped.incrementAndGet();
      }
    }
    if (written > 0) {
      target.flush();
    }
  }

  void close() {
    closed = true;
    Channel current = channel;
    if (current != null) {
      current.close();
    }
  }

  private void connect() {
    if (closed) {
      return;
    }
    ChannelFuture attempt = bootstrap.connect(address);
    attempt.addListener(
        (ChannelFuture done) -> {
          if (!done.isSuccess()) {
            LOG.debug("connect failed node={} peer={} address={}", nodeId, peerId, address);
            scheduleReconnect();
            return;
          }
          Channel connected = done.channel();
          channel = connected;
          delayMs = settings.reconnectMin().toMillis();
          LOG.info("connected node={} peer={} address={}", nodeId, peerId, address);
          connected.closeFuture().addListener(closedFuture -> onClosed());
          if (closed) {
            connected.close();
          }
        });
  }

  private void onClosed() {
    channel = null;
    if (!closed) {
      LOG.info("disconnected node={} peer={}; reconnecting", nodeId, peerId);
      scheduleReconnect();
    }
  }

  private void scheduleReconnect() {
    if (closed || group.isShuttingDown()) {
      return;
    }
    long delay = delayMs;
    delayMs = Math.min(delayMs * 2, settings.reconnectMax().toMillis());
    group.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
  }
}
