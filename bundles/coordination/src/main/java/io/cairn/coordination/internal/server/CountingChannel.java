package io.cairn.coordination.internal.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link ClientChannel} that counts the frames sent through it, per connection and into the
 * server's {@link ServerMetrics}. Thread-safe like the channel it wraps.
 */
final class CountingChannel implements ClientChannel {
  private final ClientChannel delegate;
  private final ServerMetrics metrics;
  private final AtomicLong sent = new AtomicLong();

  CountingChannel(ClientChannel delegate, ServerMetrics metrics) {
    this.delegate = delegate;
    this.metrics = metrics;
  }

  /** Frames sent on this connection so far (replies and notifications). */
  long sent() {
    return sent.get();
  }

  @Override
  public void send(byte[] payload) {
    sent.incrementAndGet();
    metrics.sent();
    delegate.send(payload);
  }

  @Override
  public void closeAfterFlush() {
    delegate.closeAfterFlush();
  }

  @Override
  public String remoteIp() {
    return delegate.remoteIp();
  }

  @Override
  public String remoteAddress() {
    return delegate.remoteAddress();
  }
}
