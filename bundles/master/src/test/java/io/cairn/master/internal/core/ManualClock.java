package io.cairn.master.internal.core;

import io.cairn.env.Clock;

/** A test clock that only moves when told to; wall and monotonic time advance together. */
final class ManualClock implements Clock {
  private long nanos = 1_000_000_000L;

  void advanceMs(long ms) {
    nanos += ms * 1_000_000L;
  }

  @Override
  public long monotonicNanos() {
    return nanos;
  }

  @Override
  public long wallMillis() {
    return 1_700_000_000_000L + nanos / 1_000_000L;
  }
}
