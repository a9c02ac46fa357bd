package io.cairn.marathon.internal;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition with a deadline: the tests' one wait for work done on other threads. */
public final class Await {
  private Await() {}

  /** Polls {@code condition} every 5 ms; fails naming {@code what} after {@code timeout}. */
  public static void await(BooleanSupplier condition, Duration timeout, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(5);
    }
  }
}
