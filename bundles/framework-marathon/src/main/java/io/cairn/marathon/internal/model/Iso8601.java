package io.cairn.marathon.internal.model;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Marathon's timestamps: ISO-8601 UTC with milliseconds, e.g. {@code 2026-11-24T21:35:37.123Z}. */
public final class Iso8601 {
  private static final DateTimeFormatter FORMAT = DateTimeFormatter.ISO_INSTANT;

  private Iso8601() {}

  /** The wall-clock milliseconds as Marathon writes versions and timestamps. */
  public static String format(long epochMillis) {
    Instant instant = Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.MILLIS);
    String text = FORMAT.format(instant);
    // ISO_INSTANT drops ".000"; Marathon always writes milliseconds.
    return text.contains(".") ? text : text.replace("Z", ".000Z");
  }

  /** Parses a version; -1 when it is not an ISO-8601 instant. */
  public static long parse(String text) {
    try {
      return Instant.parse(text).toEpochMilli();
    } catch (java.time.format.DateTimeParseException e) {
      return -1;
    }
  }
}
