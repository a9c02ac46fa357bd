package io.cairn.consensus.internal.net;

import io.cairn.env.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Transport} over TCP with Netty: one outbound connection per peer (reconnected with
 * exponential backoff) and a server socket for inbound ones. A frame is a 4-byte length, then the
 * 4-byte sender id, then the payload; it is decoded with {@link LengthFieldBasedFrameDecoder}
 * (Netty's protobuf codec cannot be used inside OSGi, notes/runtime.md §5; payloads are {@code
 * RaftCodec} bytes). Sending never blocks: with no connection, or a full outbound buffer, the
 * message is dropped and counted.
 *
 * <p>Threading: every connection lives on one event loop ({@link #eventLoop}, a thread named
 * {@code cairn-raft-<node>}; epoll where the native transport loads, NIO otherwise). The raft
 * driver runs its core on that same loop, so an inbound frame is stepped where it was read and an
 * outbound one is written where it was made: no thread hand-off per message (on this 2-core
 * machine, wake-ups and context switches were the largest cost of a write). {@link #send} may
 * still be called from any thread; the receiver runs on the loop. {@link #close} releases sockets
 * and the loop.
 */
public final class NettyTransport implements Transport, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NettyTransport.class);

  private final int nodeId;
  private final TransportSettings settings;
  private final EventLoopGroup group;
  private final Channel server;
  private final Map<Integer, PeerLink> peers = new ConcurrentHashMap<>();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
  private volatile Receiver receiver = (from, payload) -> dropped.incrementAndGet();
  private volatile boolean closed;

  private NettyTransport(
      int nodeId, TransportSettings settings, EventLoopGroup group, Channel server) {
    this.nodeId = nodeId;
    this.settings = settings;
    this.group = group;
    this.server = server;
  }

  /**
   * Binds {@code listen} and returns a transport for node {@code nodeId}; add peers with {@link
   * #addPeer}. Fails with {@link TransportException} when the address cannot be bound.
   */
  public static NettyTransport bind(
      int nodeId, InetSocketAddress listen, TransportSettings settings) {
    EventLoopGroup group = NettyLoops.group(1, "cairn-raft-" + nodeId);
    NettyTransport[] self = new NettyTransport[1];
    ChannelFuture bound =
          new ServerBootstrap()
              .group(group)
              .channel(NettyLoops.serverChannel(group))
              .option(ChannelOption.SO_REUSEADDR, true)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                      channel.pipeline()
                          .addLast(
                              new LengthFieldBasedFrameDecoder(
                                  settings.maxFrameBytes() + Integer.BYTES, 0, 4, 0, 4))
                          .addLast(new InboundHandler(self));
                    }
                  })
              .bind(listen)
              .awaitUninterruptibly();
    if (!bound.isSuccess()) {
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      throw new TransportException(
          "node " + nodeId + " cannot listen on " + listen, bound.cause());
    }
    Channel server = bound.channel();
    self[0] = new NettyTransport(nodeId, settings, group, server);
    LOG.info("raft transport listening node={} address={}", nodeId, server.localAddress());
    return self[0];
  }

  /**
   * The one event loop all of this transport's connections live on: a raft driver that runs its
   * core here receives and sends without changing threads.
   */
  public EventLoop eventLoop() {
    return (EventLoop) group.next();
  }

  /** The address actually bound (useful with port 0). */
  public InetSocketAddress localAddress() {
    return (InetSocketAddress) server.localAddress();
  }

  /** Adds (or replaces) a peer; its connection is opened in the background. */
  public void addPeer(int peerId, InetSocketAddress address) {
    PeerLink link = new PeerLink(nodeId, peerId, address, settings, group, dropped);
    PeerLink previous = peers.put(peerId, link);
    if (previous != null) {
      previous.close();
    }
    link.start();
  }

  @Override
  public void send(int to, byte[] payload) {
    PeerLink link = peers.get(to);
    if (closed || link == null || payload.length > settings.maxFrameBytes()) {
      dropped.incrementAndGet();
      return;
    }
    link.send(payload);
  }

  @Override
  public void setReceiver(Receiver receiver) {
    this.receiver = receiver;
  }

  /** Messages dropped so far (no connection, full buffer, oversized, unknown peer). */
  public long dropped() {
    return dropped.get();
  }

  /** Frames received so far. */
  public long received() {
    return received.get();
  }

  /** True when the outbound connection to {@code peerId} is up. */
  public boolean connected(int peerId) {
    PeerLink link = peers.get(peerId);
    return link != null && link.connected();
  }

  /** Closes every connection and the server; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    peers.values().forEach(PeerLink::close);
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS).syncUninterruptibly();
    LOG.info("raft transport closed node={}", nodeId);
  }

  private void deliver(Channel channel, int from, byte[] payload) {
    if (!peers.containsKey(from)) {
      LOG.warn("frame from unknown node={} remote={}; closing", from, channel.remoteAddress());
      channel.close();
      return;
    }
    received.incrementAndGet();
    receiver.onMessage(from, payload);
  }

  /** Decodes inbound frames: sender id, then payload. */
  private static final class InboundHandler extends SimpleChannelInboundHandler<ByteBuf> {
    private final NettyTransport[] owner;

    InboundHandler(NettyTransport[] owner) {
      this.owner = owner;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext context, ByteBuf frame) {
      if (frame.readableBytes() < Integer.BYTES) {
        context.close();
        return;
      }
      int from = frame.readInt();
      byte[] payload = new byte[frame.readableBytes()];
      frame.readBytes(payload);
      owner[0].deliver(context.channel(), from, payload);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
      if (cause instanceof TooLongFrameException) {
        LOG.warn("oversized frame from remote={}; closing", context.channel().remoteAddress());
      } else {
        LOG.debug("inbound connection failed remote={}", context.channel().remoteAddress(), cause);
      }
      context.close();
    }
  }
}
