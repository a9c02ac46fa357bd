package io.cairn.framework.jobs.internal.core;

import java.time.Instant;
import java.util.Optional;

/**
 * When a job runs: a {@link CronSchedule} (5-field cron in a time zone) or an {@link
 * IsoRepeatingInterval} ({@code R[n]/start/period}). Pure functions of the instant given.
 */
public sealed interface Schedule permits CronSchedule, IsoRepeatingInterval {
  /** The first run strictly after {@code after}, or empty when the schedule has no more runs. */
  Optional<Instant> next(Instant after);

  /** The expression as given. */
  String expression();

  /** Parses {@code expression}: ISO 8601 when it starts with {@code R}, cron otherwise. */
  static Schedule parse(String expression, String timeZone) {
    if (expression == null || expression.isBlank()) {
      throw new IllegalArgumentException("schedule is empty; give a cron expression such as"
          + " '0 * * * *' or an ISO 8601 repeating interval such as 'R/2026-11-24T10:00:00Z/PT1H'");
    }
    String trimmed = expression.strip();
    if (trimmed.startsWith("R")) {
      return IsoRepeatingInterval.parse(trimmed, timeZone);
    }
    return CronSchedule.parse(trimmed, timeZone);
  }
}
