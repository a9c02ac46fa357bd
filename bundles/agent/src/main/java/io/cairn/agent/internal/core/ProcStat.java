package io.cairn.agent.internal.core;

import io.cairn.env.Check;

/**
 * The fields of {@code /proc/<pid>/stat} the containerizer needs (proc(5)): state (field 3),
 * process group (field 5) and start time in clock ticks since boot (field 22). The pid plus the
 * start time identify a process across pid reuse. Parsing starts after the last ')' because the
 * command name (field 2) may contain spaces and parentheses.
 *
 * @param pid the process id (field 1)
 * @param state one letter: R, S, D, Z (zombie), T, ...
 * @param processGroup the process group id
 * @param startTimeTicks start time after boot, in clock ticks
 */
public record ProcStat(long pid, char state, long processGroup, long startTimeTicks) {
  /** Parses one stat line; fails with the line quoted when it is not in the proc(5) format. */
  public static ProcStat parse(String line) {
    int open = line.indexOf('(');
    int close = line.lastIndexOf(')');
    Check.argument(open > 0 && close > open, "not a /proc stat line: '%s'", line);
    String[] rest = line.substring(close + 1).trim().split(" ");
    // rest[0] is field 3 (state); field N is rest[N - 3].
    Check.argument(
        rest.length >= 20, "stat line has %s fields after comm: '%s'", rest.length, line);
    try {
      long pid = Long.parseLong(line.substring(0, open).trim());
      return new ProcStat(
          pid, rest[0].charAt(0), Long.parseLong(rest[2]), Long.parseLong(rest[19]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("stat line has a non-numeric field: '" + line + "'", e);
    }
  }

  /** True unless the process is a zombie (it exited and waits to be reaped). */
  public boolean isLive() {
    return state != 'Z' && state != 'X';
  }
}
