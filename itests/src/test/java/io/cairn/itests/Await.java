package io.cairn.itests;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polling with a deadline for the launcher-based itests. A condition that throws
 * {@link IllegalStateException} or {@link UncheckedIOException} (a node not answering yet, a body
 * that is not JSON yet) counts as "not yet"; anything else fails the test at once.
 */
final class Await {
  private static final Logger LOG = LoggerFactory.getLogger(Await.class);
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private Await() {}

  static void awaitTrue(BooleanSupplier condition, Duration timeout, String what) {
    awaitTrue(condition, timeout, () -> what);
  }

  /** Polls {@code condition} every 200 ms until it holds; fails with what after the timeout. */
  static void awaitTrue(BooleanSupplier condition, Duration timeout, Supplier<String> what) {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (IllegalStateException | UncheckedIOException e) {
        LOG.debug("not yet: {}", e.toString());
      }
      if (System.nanoTime() >= end) {
        throw new AssertionError("not within " + timeout + ": " + what.get());
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }
}
