package io.cairn.consensus.internal.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.env.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The transport contract over real loopback sockets, plus what only TCP promises. */
class NettyTransportContractTest extends TransportContractTest {
  private static final InetSocketAddress ANY_LOOPBACK =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

  private static TransportSettings settings(int maxFrameBytes) {
    return new TransportSettings(
        maxFrameBytes, Math.max(maxFrameBytes, 1 << 20), Duration.ofMillis(10),
        Duration.ofMillis(200), Duration.ofMillis(500));
  }

  @Override
  protected Pair newPair(int maxFrameBytes) {
    TransportSettings settings = settings(maxFrameBytes);
    NettyTransport first = NettyTransport.bind(1, ANY_LOOPBACK, settings);
    NettyTransport second = NettyTransport.bind(2, ANY_LOOPBACK, settings);
    first.addPeer(2, second.localAddress());
    second.addPeer(1, first.localAddress());
    return new NettyPair(first, second, settings);
  }

  @Override
  protected void sendToDownPeer(Transport transport, byte[] payload) {
    transport.send(3, payload);
  }

  private static final class NettyPair implements Pair {
    private final NettyTransport first;
    private NettyTransport second;
    private final TransportSettings settings;

    NettyPair(NettyTransport first, NettyTransport second, TransportSettings settings) {
      this.first = first;
      this.second = second;
      this.settings = settings;
    }

    @Override
    public Transport first() {
      return first;
    }

    @Override
    public Transport second() {
      return second;
    }

    @Override
    public void restartSecond() {
      InetSocketAddress address = second.localAddress();
      second.close();
      second = NettyTransport.bind(2, address, settings);
      second.addPeer(1, first.localAddress());
    }

    @Override
    public void close() {
      first.close();
      second.close();
    }
  }

  @Test
  void messagesOnOneConnectionKeepTheirOrder() throws Exception {
    TransportSettings settings = settings(1 << 20);
    try (NettyTransport a = NettyTransport.bind(1, ANY_LOOPBACK, settings);
        NettyTransport b = NettyTransport.bind(2, ANY_LOOPBACK, settings)) {
      a.addPeer(2, b.localAddress());
      b.addPeer(1, a.localAddress());
      BlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>();
      b.setReceiver((from, payload) -> inbox.add(payload));
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!a.connected(2) && System.nanoTime() < end) {
        a.send(2, new byte[] {-1});
        inbox.poll(10, TimeUnit.MILLISECONDS);
      }
      inbox.clear();
      for (int i = 0; i < 1_000; i++) {
        a.send(2, new byte[] {(byte) (i >> 8), (byte) i});
      }
      List<Integer> got = new ArrayList<>();
      while (got.size() < 1_000) {
        byte[] next = inbox.poll(5, TimeUnit.SECONDS);
        assertNotNull(next, "only " + got.size() + " of 1,000 arrived");
        if (next.length == 2) {
          got.add(((next[0] & 0xff) << 8) | (next[1] & 0xff));
        }
      }
      for (int i = 0; i < 1_000; i++) {
        assertEquals(i, got.get(i));
      }
    }
  }

  @Test
  void aTakenPortFailsWithATypedError() {
    TransportSettings settings = settings(1 << 20);
    try (NettyTransport a = NettyTransport.bind(1, ANY_LOOPBACK, settings)) {
      assertThrows(
          TransportException.class, () -> NettyTransport.bind(2, a.localAddress(), settings));
    }
  }
}
