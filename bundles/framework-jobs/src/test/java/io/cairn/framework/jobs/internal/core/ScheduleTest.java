package io.cairn.framework.jobs.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cron expressions in time zones and ISO 8601 repeating intervals. */
class ScheduleTest {

  @ParameterizedTest(name = "{0} in {1} after {2} -> {3}")
  @CsvSource(delimiter = '|', value = {
      "*/15 * * * *     | UTC           | 2026-11-24T10:07:30Z | 2026-11-24T10:15:00Z",
      "0 * * * *        | UTC           | 2026-11-24T10:00:00Z | 2026-11-24T11:00:00Z",
      "30 2 * * *       | Europe/Berlin | 2026-11-24T12:00:00Z | 2026-11-25T01:30:00Z",
      "0 9 * * MON-FRI  | UTC           | 2026-11-27T10:00:00Z | 2026-11-30T09:00:00Z",
      "0 0 1 JAN *      | UTC           | 2026-11-24T00:00:00Z | 2027-01-01T00:00:00Z",
      "0 0 29 2 *       | UTC           | 2026-03-01T00:00:00Z | 2028-02-29T00:00:00Z",
      "0 12 13 * 5      | UTC           | 2026-11-24T00:00:00Z | 2026-11-27T12:00:00Z",
      "0 0 * * 7        | UTC           | 2026-11-24T00:00:00Z | 2026-11-29T00:00:00Z",
      "@daily           | America/New_York | 2026-11-24T12:00:00Z | 2026-11-25T05:00:00Z",
      "5-10/5 3 * * *   | UTC           | 2026-11-24T03:05:00Z | 2026-11-24T03:10:00Z"})
  void cronNext(String expression, String zone, String after, String expected) {
    assertEquals(Optional.of(Instant.parse(expected)),
        CronSchedule.parse(expression, zone).next(Instant.parse(after)));
  }

  @Test
  void springForwardRunsRightAfterTheGapAndFallBackRunsOnce() {
    // Europe/Berlin: 2026-03-29 02:00 local jumps to 03:00; 2026-10-25 03:00 falls back to 02:00.
    CronSchedule daily = CronSchedule.parse("30 2 * * *", "Europe/Berlin");
    assertEquals(Instant.parse("2026-03-29T01:30:00Z"),
        daily.next(Instant.parse("2026-03-28T12:00:00Z")).orElseThrow(),
        "02:30 does not exist; it runs at 03:30 CEST = 01:30Z");
    List<Instant> runs = new ArrayList<>();
    Instant t = Instant.parse("2026-10-24T12:00:00Z");
    for (int i = 0; i < 2; i++) {
      t = daily.next(t).orElseThrow();
      runs.add(t);
    }
    assertEquals(List.of(Instant.parse("2026-10-25T00:30:00Z"),
        Instant.parse("2026-10-26T01:30:00Z")), runs, "02:30 happens twice but runs once");
  }

  @ParameterizedTest(name = "''{0}'' is refused")
  @CsvSource(delimiter = '|', value = {"* * * *", "61 * * * *", "* * * FOO *", "5-1 * * * *",
      "a b c d e"})
  void badCronIsRefusedWithASentence(String expression) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CronSchedule.parse(expression, "UTC"));
    assertTrue(e.getMessage().startsWith("cron"), e.getMessage());
  }

  @Test
  void unknownTimeZoneIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Schedule.parse("0 * * * *", "Mars/Olympus"));
    assertTrue(e.getMessage().contains("Mars/Olympus"), e.getMessage());
  }

  @ParameterizedTest(name = "{0} after {1} -> {2}")
  @CsvSource(delimiter = '|', nullValues = "none", value = {
      "R/2026-11-24T10:00:00Z/PT1H   | 2026-11-24T09:00:00Z | 2026-11-24T10:00:00Z",
      "R/2026-11-24T10:00:00Z/PT1H   | 2026-11-24T10:00:00Z | 2026-11-24T11:00:00Z",
      "R/2026-11-24T10:00:00Z/PT1H   | 2026-11-24T13:30:00Z | 2026-11-24T14:00:00Z",
      "R3/2026-11-24T10:00:00Z/PT1H  | 2026-11-24T11:30:00Z | 2026-11-24T12:00:00Z",
      "R3/2026-11-24T10:00:00Z/PT1H  | 2026-11-24T12:00:00Z | none",
      "R0/2026-11-24T10:00:00Z/PT1H  | 2026-01-01T00:00:00Z | none",
      "R/2026-01-31T00:00:00Z/P1M    | 2026-02-01T00:00:00Z | 2026-02-28T00:00:00Z",
      "R/2026-11-24T10:00:00Z/P1DT12H | 2026-11-24T10:00:00Z | 2026-11-25T22:00:00Z"})
  void isoNext(String expression, String after, String expected) {
    assertEquals(Optional.ofNullable(expected).map(Instant::parse),
        Schedule.parse(expression, "UTC").next(Instant.parse(after)));
  }

  @Test
  void isoCalendarDaysKeepTheLocalTimeAcrossDaylightSaving() {
    Schedule daily = Schedule.parse("R/2026-03-28T09:00:00+01:00/P1D", "Europe/Berlin");
    assertEquals(Instant.parse("2026-03-29T07:00:00Z"),
        daily.next(Instant.parse("2026-03-28T09:00:00Z")).orElseThrow(), "09:00 CEST");
    Schedule hours = Schedule.parse("R/2026-03-28T09:00:00+01:00/PT24H", "Europe/Berlin");
    assertEquals(Instant.parse("2026-03-29T08:00:00Z"),
        hours.next(Instant.parse("2026-03-28T09:00:00Z")).orElseThrow(), "exactly 24 h");
  }

  @ParameterizedTest(name = "''{0}'' is refused")
  @CsvSource(delimiter = '|', value = {"R/2026-11-24T10:00:00Z", "R/yesterday/PT1H",
      "R/2026-11-24T10:00:00Z/PT0S", "Rx/2026-11-24T10:00:00Z/PT1H",
      "R/2026-11-24T10:00:00Z/1 hour"})
  void badIsoIsRefused(String expression) {
    assertThrows(IllegalArgumentException.class, () -> Schedule.parse(expression, "UTC"));
  }
}
