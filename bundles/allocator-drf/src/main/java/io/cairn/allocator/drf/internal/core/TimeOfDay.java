package io.cairn.allocator.drf.internal.core;

/** Formats wall-clock milliseconds as the UTC time of day, {@code 12:03:05}, for reasons. */
final class TimeOfDay {
  private TimeOfDay() {}

  static String format(long epochMillis) {
    long seconds = Math.floorMod(epochMillis / 1000, 86_400L);
    return String.format("%02d:%02d:%02d", seconds / 3600, (seconds / 60) % 60, seconds % 60);
  }
}
