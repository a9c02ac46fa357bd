package io.cairn.agent.internal.core;

import io.cairn.env.Clock;
import java.time.Duration;

/** A clock tests advance by hand. */
public final class ManualClock implements Clock {
  private long nanos = 1_000_000_000L;
  private long wallMillis = 1_700_000_000_000L;

  @Override
  public long monotonicNanos() {
    return nanos;
  }

  @Override
  public long wallMillis() {
    return wallMillis;
  }

  /** Moves both clocks forward. */
  public void advance(Duration duration) {
    nanos += duration.toNanos();
    wallMillis += duration.toMillis();
  }
}
