package io.cairn.framework.jobs.internal.core;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A 5-field cron expression ({@code minute hour day-of-month month day-of-week}, as in Vixie cron
 * and Metronome) evaluated in a time zone. Each field takes {@code *}, numbers, ranges {@code
 * a-b}, steps {@code * /n} and {@code a-b/n}, lists, and month/day names ({@code JAN}, {@code
 * MON}); day-of-week 0 and 7 are Sunday. As in cron, when both day fields are restricted a day
 * matching either runs. Macros: {@code @yearly @monthly @weekly @daily @hourly}.
 *
 * <p>Daylight saving: a local time that does not exist (spring forward) runs at the shifted
 * instant right after the gap; a repeated local time (fall back) runs once, at its first instant.
 */
public final class CronSchedule implements Schedule {
  private static final int SEARCH_YEARS = 5;
  private static final Map<String, String> MACROS = Map.of("@yearly", "0 0 1 1 *",
      "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0",
      "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
  private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG",
      "SEP", "OCT", "NOV", "DEC"};
  private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

  private final String expression;
  private final ZoneId zone;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean domRestricted;
  private final boolean dowRestricted;

  private CronSchedule(String expression, ZoneId zone, String[] f) {
    this.expression = expression;
    this.zone = zone;
    this.minutes = field(f[0], "minute", 0, 59, null);
    this.hours = field(f[1], "hour", 0, 23, null);
    this.daysOfMonth = field(f[2], "day-of-month", 1, 31, null);
    this.months = field(f[3], "month", 1, 12, MONTHS);
    BitSet dow = field(f[4], "day-of-week", 0, 7, DAYS);
    if (dow.get(7)) {
      dow.set(0);
    }
    this.daysOfWeek = dow;
    this.domRestricted = !f[2].equals("*") && !f[2].equals("?");
    this.dowRestricted = !f[4].equals("*") && !f[4].equals("?");
  }

  /** Parses a cron expression in a time zone (empty: UTC). */
  public static CronSchedule parse(String expression, String timeZone) {
    ZoneId zone = zone(timeZone);
    String expanded = MACROS.getOrDefault(expression.strip().toLowerCase(Locale.ROOT),
        expression.strip());
    String[] fields = expanded.split("\\s+");
    if (fields.length != 5) {
      throw new IllegalArgumentException("cron expression '" + expression + "' has "
          + fields.length + " fields; expected 5: minute hour day-of-month month day-of-week");
    }
    return new CronSchedule(expression, zone, fields);
  }

  static ZoneId zone(String timeZone) {
    if (timeZone == null || timeZone.isBlank()) {
      return ZoneId.of("UTC");
    }
    try {
      return ZoneId.of(timeZone.strip());
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("time zone '" + timeZone + "' is unknown; use an IANA"
          + " name such as Europe/Berlin or UTC", e);
    }
  }

  @Override
  public String expression() {
    return expression;
  }

  public ZoneId zone() {
    return zone;
  }

  @Override
  public Optional<Instant> next(Instant after) {
    LocalDateTime t = LocalDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.MINUTES)
        .plusMinutes(1);
    LocalDateTime limit = t.plusYears(SEARCH_YEARS);
    while (t.isBefore(limit)) {
      if (!months.get(t.getMonthValue())) {
        t = t.withDayOfMonth(1).withHour(0).withMinute(0).plusMonths(1);
      } else if (!dayMatches(t)) {
        t = t.withHour(0).withMinute(0).plusDays(1);
      } else if (!hours.get(t.getHour())) {
        t = t.withMinute(0).plusHours(1);
      } else if (!minutes.get(t.getMinute())) {
        t = t.plusMinutes(1);
      } else {
        Instant candidate = ZonedDateTime.ofLocal(t, zone, null).toInstant();
        if (candidate.isAfter(after)) {
          return Optional.of(candidate);
        }
        t = t.plusMinutes(1);
      }
    }
    return Optional.empty();
  }

  private boolean dayMatches(LocalDateTime t) {
    boolean dom = daysOfMonth.get(t.getDayOfMonth());
    boolean dow = daysOfWeek.get(t.getDayOfWeek().getValue() % 7);
    if (domRestricted && dowRestricted) {
      return dom || dow;
    }
    return dom && dow;
  }

  private static BitSet field(String text, String name, int min, int max, String[] names) {
    BitSet bits = new BitSet(max + 1);
    for (String part : text.split(",", -1)) {
      int step = 1;
      String range = part;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        step = number(part.substring(slash + 1), name, 1, max, null, text);
        range = part.substring(0, slash);
      }
      int from;
      int to;
      if (range.equals("*") || range.equals("?")) {
        from = min;
        to = max;
      } else if (range.contains("-")) {
        String[] ends = range.split("-", 2);
        from = number(ends[0], name, min, max, names, text);
        to = number(ends[1], name, min, max, names, text);
        if (from > to) {
          throw new IllegalArgumentException("cron " + name + " range '" + range + "' runs"
              + " backwards; write it low-high");
        }
      } else {
        from = number(range, name, min, max, names, text);
        to = slash >= 0 ? max : from;
      }
      for (int v = from; v <= to; v += step) {
        bits.set(v);
      }
    }
    return bits;
  }

  private static int number(String text, String name, int min, int max, String[] names,
      String field) {
    if (names != null) {
      for (int i = 0; i < names.length; i++) {
        if (names[i].equalsIgnoreCase(text)) {
          return names == MONTHS ? i + 1 : i;
        }
      }
    }
    try {
      int v = Integer.parseInt(text);
      if (v < min || v > max) {
        throw new IllegalArgumentException("cron " + name + " value " + v + " in '" + field
            + "' is outside " + min + ".." + max);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("cron " + name + " field '" + field + "' has '" + text
          + "', which is not a number" + (names == null ? "" : " or name"), e);
    }
  }

  @Override
  public String toString() {
    return expression + " (" + zone + ")";
  }
}
