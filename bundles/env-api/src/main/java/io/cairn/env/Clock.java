package io.cairn.env;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Time as a core sees it. Monotonic time (for timeouts and latencies) is kept apart from wall-clock
 * time (for humans and for TTLs that must survive restarts), in the spirit of Guava's {@code
 * Ticker}. Production reads the JVM clocks; the simulator advances virtual time.
 */
@ProviderType
public interface Clock {
  /** Monotonic nanoseconds from an arbitrary origin; never goes backwards. */
  long monotonicNanos();

  /** Wall-clock milliseconds since the Unix epoch; may jump. */
  long wallMillis();

  /** The JVM's clocks. */
  static Clock system() {
    return SystemClock.INSTANCE;
  }
}
