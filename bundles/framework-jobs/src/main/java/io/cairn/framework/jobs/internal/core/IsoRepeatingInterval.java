package io.cairn.framework.jobs.internal.core;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * An ISO 8601 repeating interval as Chronos takes it: {@code R[n]/<start>/<period>}, for example
 * {@code R/2026-11-24T10:00:00Z/PT1H} (hourly, forever) or {@code R5/2026-11-24T10:00:00+01:00/P1D}
 * (five daily runs). The start carries its offset; calendar parts of the period (years, months,
 * days) are added in the schedule's time zone, so {@code P1D} stays at the same local time across
 * daylight saving changes, while {@code PT24H} is exactly 24 hours. {@code R0} never runs.
 */
public final class IsoRepeatingInterval implements Schedule {
  private static final int MAX_ITERATIONS = 100_000;

  private final String expression;
  private final long repetitions;
  private final ZonedDateTime start;
  private final Period period;
  private final Duration duration;

  private IsoRepeatingInterval(String expression, long repetitions, ZonedDateTime start,
      Period period, Duration duration) {
    this.expression = expression;
    this.repetitions = repetitions;
    this.start = start;
    this.period = period;
    this.duration = duration;
  }

  /** Parses {@code R[n]/start/period}; {@code timeZone} (empty: UTC) applies calendar periods. */
  public static IsoRepeatingInterval parse(String expression, String timeZone) {
    String[] parts = expression.strip().split("/");
    if (parts.length != 3 || !parts[0].startsWith("R")) {
      throw new IllegalArgumentException("ISO 8601 repeating interval '" + expression + "' must"
          + " be R[n]/<start>/<period>, e.g. R/2026-11-24T10:00:00Z/PT1H");
    }
    long repetitions = -1;
    if (parts[0].length() > 1) {
      try {
        repetitions = Long.parseLong(parts[0].substring(1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("repetitions '" + parts[0] + "' in '" + expression
            + "' must be R or R<n> with n >= 0", e);
      }
      if (repetitions < 0) {
        throw new IllegalArgumentException("repetitions in '" + expression + "' must be >= 0");
      }
    }
    ZoneId zone = CronSchedule.zone(timeZone);
    ZonedDateTime start;
    try {
      start = OffsetDateTime.parse(parts[1]).atZoneSameInstant(zone);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("start '" + parts[1] + "' in '" + expression + "' is"
          + " not an ISO 8601 date-time with offset, e.g. 2026-11-24T10:00:00Z", e);
    }
    String p = parts[2];
    int t = p.indexOf('T');
    Period period;
    Duration duration;
    try {
      period = t == 1 ? Period.ZERO : Period.parse(t < 0 ? p : p.substring(0, t));
      duration = t < 0 ? Duration.ZERO : Duration.parse("P" + p.substring(t));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("period '" + p + "' in '" + expression + "' is not an"
          + " ISO 8601 duration such as PT1H, P1D or P1DT12H", e);
    }
    if (period.isNegative() || duration.isNegative() || (period.isZero() && duration.isZero())) {
      throw new IllegalArgumentException("period '" + p + "' in '" + expression + "' must be"
          + " positive");
    }
    if (period.isZero() && duration.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("period '" + p + "' in '" + expression + "' must be at"
          + " least 1 second");
    }
    return new IsoRepeatingInterval(expression.strip(), repetitions, start, period, duration);
  }

  @Override
  public String expression() {
    return expression;
  }

  @Override
  public Optional<Instant> next(Instant after) {
    if (repetitions == 0) {
      return Optional.empty();
    }
    long k = 0;
    if (period.isZero() && after.isAfter(start.toInstant())) {
      // Fixed length: jump straight to the first occurrence after `after`.
      long elapsed = Duration.between(start.toInstant(), after).toNanos();
      k = elapsed / duration.toNanos() + 1;
    }
    for (int i = 0; i < MAX_ITERATIONS; i++, k++) {
      if (repetitions > 0 && k >= repetitions) {
        return Optional.empty();
      }
      Instant candidate = occurrence(k);
      if (candidate.equals(Instant.MAX)) {
        return Optional.empty();
      }
      if (candidate.isAfter(after)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private Instant occurrence(long k) {
    try {
      ZonedDateTime t = start;
      if (!period.isZero()) {
        t = t.plus(period.multipliedBy(Math.toIntExact(k)));
      }
      return t.toInstant().plus(duration.multipliedBy(k));
    } catch (ArithmeticException | DateTimeException e) {
      return Instant.MAX;
    }
  }

  @Override
  public String toString() {
    return expression;
  }
}
