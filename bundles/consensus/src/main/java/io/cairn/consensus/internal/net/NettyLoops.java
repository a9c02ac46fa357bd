package io.cairn.consensus.internal.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Event loop groups and the channel classes that go with them: Netty's native epoll transport
 * when it loads (Linux; the feature installs it, notes/runtime.md), NIO otherwise. Epoll is
 * edge-triggered and wakes a sleeping loop through an eventfd; under the raft write load it cut
 * the loops' kernel time. Channels must match their group's kind, hence the lookups by group.
 */
public final class NettyLoops {
  private NettyLoops() {}

  /** True when the native epoll transport is usable in this process. */
  public static boolean epoll() {
    return Epoll.isAvailable();
  }

  /** A group of {@code threads} loops whose (daemon) threads are named {@code name-N}. */
  public static EventLoopGroup group(int threads, String name) {
    DefaultThreadFactory factory = new DefaultThreadFactory(name, true);
    return epoll() ? new EpollEventLoopGroup(threads, factory)
        : new NioEventLoopGroup(threads, factory);
  }

  /** The server channel class for listeners on {@code group}. */
  public static Class<? extends ServerChannel> serverChannel(EventLoopGroup group) {
    return group instanceof EpollEventLoopGroup
        ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  /** The client channel class for connections on {@code group}. */
  public static Class<? extends SocketChannel> socketChannel(EventLoopGroup group) {
    return group instanceof EpollEventLoopGroup
        ? EpollSocketChannel.class : NioSocketChannel.class;
  }
}
