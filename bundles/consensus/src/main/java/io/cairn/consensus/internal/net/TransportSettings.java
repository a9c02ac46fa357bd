package io.cairn.consensus.internal.net;

import java.time.Duration;

/**
 * Bounds and timings of the Netty transport. Every buffer is bounded (STYLE.md §5): a frame
 * larger than {@code maxFrameBytes} is refused, and a peer whose outbound buffer holds more than
 * {@code maxPendingBytesPerPeer} gets nothing more until it drains (messages are dropped and
 * counted, which Raft's retries tolerate).
 *
 * @param maxFrameBytes largest frame accepted or sent
 * @param maxPendingBytesPerPeer outbound bytes buffered per peer before dropping
 * @param reconnectMin first reconnect delay
 * @param reconnectMax reconnect delays double up to this
 * @param connectTimeout how long one connect attempt may take
 */
public record TransportSettings(
    int maxFrameBytes,
    int maxPendingBytesPerPeer,
    Duration reconnectMin,
    Duration reconnectMax,
    Duration connectTimeout) {

  public TransportSettings {
    if (maxFrameBytes < 64 || maxPendingBytesPerPeer < maxFrameBytes) {
      throw new IllegalArgumentException(
          "need 64 <= maxFrameBytes <= maxPendingBytesPerPeer, was " + maxFrameBytes + ", "
              + maxPendingBytesPerPeer);
    }
    if (reconnectMin.isNegative() || reconnectMin.isZero() || reconnectMax.compareTo(reconnectMin) < 0) {
      throw new IllegalArgumentException(
          "need 0 < reconnectMin <= reconnectMax, was " + reconnectMin + ", " + reconnectMax);
    }
  }

  /** 16 MiB frames, 64 MiB per peer, reconnect 50 ms doubling to 2 s, connect timeout 1 s. */
  public static TransportSettings defaults() {
    return new TransportSettings(
        16 << 20, 64 << 20, Duration.ofMillis(50), Duration.ofSeconds(2), Duration.ofSeconds(1));
  }
}
