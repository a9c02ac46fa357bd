package io.cairn.allocator;

/** Always-on argument checks for the value records of this package (STYLE.md §5). */
final class Checks {
  private Checks() {}

  static void argument(boolean condition, String template, Object... args) {
    if (!condition) {
      throw new IllegalArgumentException(String.format(template, args));
    }
  }
}
