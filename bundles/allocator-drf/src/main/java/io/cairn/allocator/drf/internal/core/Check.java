package io.cairn.allocator.drf.internal.core;

/**
 * Always-on precondition and invariant checks (STYLE.md §5): unlike the {@code assert} keyword
 * they cannot be switched off. Messages use {@code %s} placeholders and name the offending values.
 * Package-private until a shared helper lands in env-api.
 */
final class Check {
  private Check() {}

  /** Fails with {@link IllegalArgumentException} when a caller passed a bad value. */
  static void argument(boolean condition, String template, Object... args) {
    if (!condition) {
      throw new IllegalArgumentException(String.format(template, args));
    }
  }

  /** Fails with {@link IllegalStateException} when an operation is not legal in this state. */
  static void state(boolean condition, String template, Object... args) {
    if (!condition) {
      throw new IllegalStateException(String.format(template, args));
    }
  }

  /** Fails with {@link AssertionError}: the code itself is wrong, nothing may continue. */
  static void invariant(boolean condition, String template, Object... args) {
    if (!condition) {
      throw new AssertionError("invariant violated: " + String.format(template, args));
    }
  }
}
