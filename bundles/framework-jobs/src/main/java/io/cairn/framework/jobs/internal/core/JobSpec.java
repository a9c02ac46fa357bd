package io.cairn.framework.jobs.internal.core;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A job definition (Metronome's job spec): what to run, with what resources and placement, how
 * often to retry, and optionally a schedule. Immutable; {@link #validate} names every bad field.
 *
 * @param id the job id: lower-case words of {@code [a-z0-9-]} joined by dots (Metronome's rule)
 * @param description free text
 * @param cmd the shell command ({@code /bin/sh -c})
 * @param cpus cpus per run, > 0
 * @param memMb memory per run in MiB, > 0
 * @param diskMb disk per run in MiB, >= 0
 * @param maxRetries retries after a failed attempt, 0..10
 * @param retryBackoffSeconds delay before the first retry, doubled each retry, 0..3600
 * @param constraints placement constraints, all of which must hold
 * @param schedule the schedule, if the job runs by itself
 */
public record JobSpec(String id, String description, String cmd, double cpus, double memMb,
    double diskMb, int maxRetries, long retryBackoffSeconds, List<Constraint> constraints,
    Optional<ScheduleSpec> schedule) {
  private static final Pattern ID =
      Pattern.compile("^([a-z0-9]([a-z0-9-]*[a-z0-9]+)*)([.][a-z0-9]([a-z0-9-]*[a-z0-9]+)*)*$");
  public static final int MAX_RETRIES = 10;

  public JobSpec {
    constraints = List.copyOf(constraints);
    description = description == null ? "" : description;
  }

  /** How runs of a job that is still running when the next is due are handled. */
  public enum ConcurrencyPolicy {
    /** The new run starts beside the running one. */
    ALLOW,
    /** The new run is skipped while one is active. */
    FORBID
  }

  /**
   * A schedule of a job.
   *
   * @param id the schedule's name (Metronome's {@code schedules[].id})
   * @param expression cron or ISO 8601 repeating interval
   * @param timeZone IANA zone (empty: UTC)
   * @param concurrencyPolicy ALLOW or FORBID
   * @param enabled whether it triggers
   */
  public record ScheduleSpec(String id, String expression, String timeZone,
      ConcurrencyPolicy concurrencyPolicy, boolean enabled) {
    /** The parsed schedule; throws with a sentence when the expression or zone is bad. */
    public Schedule parsed() {
      return Schedule.parse(expression, timeZone);
    }
  }

  /**
   * A placement constraint on an agent attribute, or on {@code hostname}.
   *
   * @param attribute the attribute name ({@code hostname} means the agent's hostname)
   * @param operator EQ (equals), LIKE (regex matches), UNLIKE (regex does not match)
   * @param value the value or regex
   */
  public record Constraint(String attribute, Operator operator, String value) {
    /** Constraint operators (Metronome's subset). */
    public enum Operator { EQ, LIKE, UNLIKE }

    /** Whether an agent with these attributes satisfies it. */
    public boolean matches(String hostname, java.util.Map<String, String> attributes) {
      String actual = attribute.equals("hostname") ? hostname : attributes.get(attribute);
      return switch (operator) {
        case EQ -> value.equals(actual);
        case LIKE -> actual != null && actual.matches(value);
        case UNLIKE -> actual == null || !actual.matches(value);
      };
    }
  }

  /** Checks every field; throws with one sentence per problem, joined. */
  public JobSpec validate() {
    StringBuilder problems = new StringBuilder();
    if (id == null || !ID.matcher(id).matches()) {
      problems.append("id '").append(id).append("' must be lower-case words of [a-z0-9-]"
          + " joined by dots, e.g. 'nightly.backup'. ");
    }
    if (cmd == null || cmd.isBlank()) {
      problems.append("run.cmd is empty; give the shell command to run. ");
    }
    if (!(cpus > 0) || cpus > 1024) {
      problems.append("run.cpus is ").append(cpus).append("; it must be > 0 and <= 1024. ");
    }
    if (!(memMb > 0)) {
      problems.append("run.mem is ").append(memMb).append(" MiB; it must be > 0. ");
    }
    if (!(diskMb >= 0)) {
      problems.append("run.disk is ").append(diskMb).append(" MiB; it must be >= 0. ");
    }
    if (maxRetries < 0 || maxRetries > MAX_RETRIES) {
      problems.append("run.maxRetries is ").append(maxRetries).append("; it must be 0..")
          .append(MAX_RETRIES).append(". ");
    }
    if (retryBackoffSeconds < 0 || retryBackoffSeconds > 3600) {
      problems.append("run.retryBackoffSeconds is ").append(retryBackoffSeconds)
          .append("; it must be 0..3600. ");
    }
    for (Constraint c : constraints) {
      if (c.attribute() == null || c.attribute().isBlank() || c.value() == null) {
        problems.append("a placement constraint lacks its attribute or value. ");
      } else if (c.operator() != Constraint.Operator.EQ) {
        try {
          Pattern.compile(c.value());
        } catch (java.util.regex.PatternSyntaxException e) {
          problems.append("constraint value '").append(c.value()).append("' is not a regex. ");
        }
      }
    }
    if (schedule.isPresent()) {
      try {
        schedule.get().parsed();
      } catch (IllegalArgumentException e) {
        problems.append(e.getMessage()).append(". ");
      }
    }
    if (problems.length() > 0) {
      throw new IllegalArgumentException(problems.toString().strip());
    }
    return this;
  }
}
