package io.cairn.agent.internal.core;

import io.cairn.env.Check;
import java.util.List;

/**
 * The resources a task was launched with: scalar cpus and mem (MB), and the host ports assigned to
 * it, in the order the framework listed them (that order defines PORT0, PORT1, ...). The process
 * containerizer enforces cpus and mem only under cgroups v2 (see {@code Isolation} and README).
 *
 * @param cpus cpu shares requested, at least 0
 * @param memMb memory in MB requested, at least 0
 * @param ports assigned host ports, each in 1..65535, no duplicates
 */
public record TaskResources(double cpus, double memMb, List<Integer> ports) {
  /** The most ports one task may hold; a bound against a runaway range like [1-65535]. */
  public static final int PORTS_MAX = 1024;

  /** Validates the values and copies the port list. */
  public TaskResources {
    ports = List.copyOf(ports);
    Check.argument(cpus >= 0 && memMb >= 0, "cpus=%s memMb=%s must be >= 0", cpus, memMb);
    Check.argument(
        ports.size() <= PORTS_MAX, "%s ports assigned, at most %s", ports.size(), PORTS_MAX);
    Check.argument(
        ports.stream().allMatch(p -> p >= 1 && p <= 65535), "ports %s outside 1..65535", ports);
    Check.argument(ports.stream().distinct().count() == ports.size(), "duplicate ports %s", ports);
  }

  /** No resources at all; for tests and trivial commands. */
  public static TaskResources none() {
    return new TaskResources(0, 0, List.of());
  }
}
