package io.cairn.coordination.internal.server;

import io.cairn.env.Clock;
import java.util.concurrent.atomic.AtomicLong;

/** A test clock that only moves when told to; wall and monotonic time advance together. */
final class ManualClock implements Clock {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  void advanceMs(long ms) {
    nanos.addAndGet(ms * 1_000_000L);
  }

  @Override
  public long monotonicNanos() {
    return nanos.get();
  }

  @Override
  public long wallMillis() {
    return 1_700_000_000_000L + nanos.get() / 1_000_000L;
  }
}
