package io.cairn.consensus.internal.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.env.Transport;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Transport} keeps (STYLE.md §7 contract suites): a message reaches its
 * peer with the sender's id, sending never blocks even when the peer is down, oversized payloads
 * are refused, and a peer that restarts is reached again. Waits use deadlines, never sleeps.
 */
abstract class TransportContractTest {
  /** A message as received. */
  record Received(int from, byte[] payload) {}

  /** Two connected endpoints under test. */
  interface Pair extends AutoCloseable {
    Transport first();

    Transport second();

    /** Stops the second endpoint and starts a fresh one in its place (same id and address). */
    void restartSecond();

    @Override
    void close();
  }

  protected abstract Pair newPair(int maxFrameBytes);

  /** Sends to an id nobody listens on; must return at once. */
  protected abstract void sendToDownPeer(Transport transport, byte[] payload);

  private Pair pair;

  @AfterEach
  void closePair() {
    if (pair != null) {
      pair.close();
    }
  }

  private static BlockingQueue<Received> inbox(Transport transport) {
    BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
    transport.setReceiver((from, payload) -> inbox.add(new Received(from, payload)));
    return inbox;
  }

  /** Resends until one arrives (connections come up in the background), or fails at deadline. */
  private static Received sendUntilReceived(
      Transport from, int to, byte[] payload, BlockingQueue<Received> inbox, Duration deadline)
      throws InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    while (System.nanoTime() < end) {
      from.send(to, payload);
      Received got = inbox.poll(20, TimeUnit.MILLISECONDS);
      if (got != null) {
        return got;
      }
    }
    return null;
  }

  @Test
  void aMessageArrivesWithItsSender() throws Exception {
    pair = newPair(1 << 20);
    BlockingQueue<Received> inbox = inbox(pair.second());
    Received got = sendUntilReceived(pair.first(), 2, new byte[] {1, 2, 3}, inbox, Duration.ofSeconds(10));
    assertNotNull(got, "nothing arrived within the deadline");
    assertEquals(1, got.from());
    assertArrayEquals(new byte[] {1, 2, 3}, got.payload());
  }

  @Test
  void bothDirectionsWork() throws Exception {
    pair = newPair(1 << 20);
    BlockingQueue<Received> atFirst = inbox(pair.first());
    Received got = sendUntilReceived(pair.second(), 1, new byte[] {9}, atFirst, Duration.ofSeconds(10));
    assertNotNull(got);
    assertEquals(2, got.from());
  }

  @Test
  void sendingNeverBlocksWhenThePeerIsDown() {
    pair = newPair(1 << 20);
    long start = System.nanoTime();
    for (int i = 0; i < 10_000; i++) {
      sendToDownPeer(pair.first(), new byte[256]);
    }
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(elapsedMs < 2_000, "10,000 sends to a down peer took " + elapsedMs + " ms");
  }

  @Test
  void anOversizedPayloadIsRefusedAndLaterOnesStillArrive() throws Exception {
    pair = newPair(1024);
    BlockingQueue<Received> inbox = inbox(pair.second());
    assertNotNull(sendUntilReceived(pair.first(), 2, new byte[] {0}, inbox, Duration.ofSeconds(10)));
    pair.first().send(2, new byte[4096]);
    Received next = sendUntilReceived(pair.first(), 2, new byte[] {7}, inbox, Duration.ofSeconds(10));
    assertNotNull(next);
    assertEquals(1, next.payload().length, "the oversized payload must never arrive");
  }

  @Test
  void aRestartedPeerIsReachedAgain() throws Exception {
    pair = newPair(1 << 20);
    BlockingQueue<Received> before = inbox(pair.second());
    assertNotNull(sendUntilReceived(pair.first(), 2, new byte[] {1}, before, Duration.ofSeconds(10)));
    pair.restartSecond();
    BlockingQueue<Received> after = inbox(pair.second());
    Received got = sendUntilReceived(pair.first(), 2, new byte[] {2}, after, Duration.ofSeconds(15));
    assertNotNull(got, "the restarted peer was not reached again");
    assertArrayEquals(new byte[] {2}, got.payload());
  }
}
