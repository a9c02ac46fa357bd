package io.cairn.master;

import io.cairn.env.Check;
import java.util.List;

/**
 * One window of the maintenance schedule: these machines will be unavailable from {@code startMs}
 * for {@code durationMs}.
 *
 * @param machines the machines, each named by hostname, IP or both; never empty
 * @param startMs when the window opens, wall-clock millis
 * @param durationMs how long it stays open, >= 0
 */
public record MaintenanceWindow(List<Machine> machines, long startMs, long durationMs) {
  public MaintenanceWindow {
    machines = List.copyOf(machines);
    Check.argument(!machines.isEmpty(), "a maintenance window needs at least one machine");
    Check.argument(durationMs >= 0, "durationMs must be >= 0, was %s", durationMs);
  }

  /**
   * A machine of a maintenance window.
   *
   * @param hostname the hostname, or empty
   * @param ip the IP address, or empty
   */
  public record Machine(String hostname, String ip) {
    public Machine {
      Check.argument(
          !(hostname.isEmpty() && ip.isEmpty()), "a machine needs a hostname or an ip");
    }
  }
}
