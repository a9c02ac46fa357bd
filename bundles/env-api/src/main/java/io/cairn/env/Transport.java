package io.cairn.env;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Unreliable, unordered-across-reconnects delivery of opaque messages between the nodes of one
 * group. A message may be lost, delayed or (in simulation) duplicated and reordered; protocols on
 * top must tolerate all of it. Sending never blocks: when a peer's bounded buffer is full the
 * message is dropped and counted, which is the backpressure a protocol with retries expects.
 */
@ProviderType
public interface Transport {
  /** Queues {@code payload} for node {@code to}; never blocks, may drop. */
  void send(int to, byte[] payload);

  /** Installs the single receiver of inbound messages; called before the first message arrives. */
  void setReceiver(Receiver receiver);

  /** Receives inbound messages on the transport's thread; must hand them to its own loop. */
  @FunctionalInterface
  interface Receiver {
    void onMessage(int from, byte[] payload);
  }
}
