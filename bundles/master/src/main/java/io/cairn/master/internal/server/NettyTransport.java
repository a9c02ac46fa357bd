package io.cairn.master.internal.server;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The master's Netty transport: the native epoll transport when it loads (Linux; the cairn-netty
 * feature installs it, notes/runtime.md), NIO otherwise. When 10,000 agents reconnect after a
 * fail-over, epoll's edge-triggered loop spends less per connection than the JDK selector (no
 * selected-key set, no per-key interest updates through the selector's queue) in user and kernel
 * time alike.
 *
 * <p>Threading: stateless.
 */
final class NettyTransport {
  private NettyTransport() {}

  /** True when the native epoll transport is usable in this process. */
  static boolean epoll() {
    return Epoll.isAvailable();
  }

  /** A group of {@code threads} loops whose (daemon) threads are named {@code name-N}. */
  static EventLoopGroup group(int threads, String name) {
    DefaultThreadFactory factory = new DefaultThreadFactory(name, true);
    return epoll() ? new EpollEventLoopGroup(threads, factory)
        : new NioEventLoopGroup(threads, factory);
  }

  /** The listener channel class that goes with {@code group}. */
  static Class<? extends ServerChannel> serverChannel(EventLoopGroup group) {
    return group instanceof EpollEventLoopGroup
        ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }
}
