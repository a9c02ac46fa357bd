package io.cairn.agent.internal.core;

import io.cairn.env.Check;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One POSIX resource limit of a task, as Mesos's {@code RLimitInfo.RLimit}: the resource by its
 * Linux name without the prefix ({@code NOFILE} for {@code RLIMIT_NOFILE}, {@code RLMT_NOFILE} in
 * Mesos's proto), and a soft and hard value, both set (soft &lt;= hard) or both unset (unlimited).
 *
 * @param resource {@code AS}, {@code CORE}, {@code CPU}, {@code DATA}, {@code FSIZE}, {@code
 *     LOCKS}, {@code MEMLOCK}, {@code MSGQUEUE}, {@code NICE}, {@code NOFILE}, {@code NPROC},
 *     {@code RSS}, {@code RTPRIO}, {@code RTTIME}, {@code SIGPENDING} or {@code STACK}
 * @param soft the soft limit; empty = unlimited
 * @param hard the hard limit; empty = unlimited
 */
public record RLimit(String resource, OptionalLong soft, OptionalLong hard) {
  /** The resources Linux (and Mesos's RLimitInfo) knows. */
  public static final Set<String> RESOURCES = Set.of("AS", "CORE", "CPU", "DATA", "FSIZE",
      "LOCKS", "MEMLOCK", "MSGQUEUE", "NICE", "NOFILE", "NPROC", "RSS", "RTPRIO", "RTTIME",
      "SIGPENDING", "STACK");

  /** Validates the resource name and the pair of values. */
  public RLimit {
    Check.argument(RESOURCES.contains(resource),
        "rlimit '%s' is not one of %s", resource, new java.util.TreeSet<>(RESOURCES));
    Check.argument(soft.isPresent() == hard.isPresent(),
        "rlimit %s: soft and hard must both be set or both be unset (unlimited), got soft=%s "
            + "hard=%s", resource, text(soft), text(hard));
    Check.argument(soft.isEmpty() || (soft.getAsLong() >= 0 && hard.getAsLong() >= 0),
        "rlimit %s: values must be at most 2^63-1, got soft=%s hard=%s", resource, text(soft), text(hard));
    Check.argument(soft.isEmpty() || Long.compareUnsigned(soft.getAsLong(),
        hard.getAsLong()) <= 0, "rlimit %s: soft %s exceeds hard %s", resource, text(soft),
        text(hard));
  }

  /** A limit with both values. */
  public static RLimit of(String resource, long soft, long hard) {
    return new RLimit(resource, OptionalLong.of(soft), OptionalLong.of(hard));
  }

  /** No limit on {@code resource}. */
  public static RLimit unlimited(String resource) {
    return new RLimit(resource, OptionalLong.empty(), OptionalLong.empty());
  }

  /** {@code soft:hard} with {@code unlimited} for unset values: prlimit's and the checkpoint's form. */
  public String values() {
    return text(soft) + ":" + text(hard);
  }

  /** The argument of util-linux {@code prlimit} that sets this limit, e.g. {@code --nofile=64:64}. */
  public String prlimitOption() {
    return "--" + resource.toLowerCase(Locale.ROOT) + "=" + values();
  }

  /** Parses {@link #values()} back. */
  public static RLimit parse(String resource, String values) {
    int colon = values.indexOf(':');
    Check.argument(colon > 0, "rlimit %s: '%s' is not SOFT:HARD", resource, values);
    return new RLimit(resource, value(values.substring(0, colon)),
        value(values.substring(colon + 1)));
  }

  private static OptionalLong value(String text) {
    return text.equals("unlimited") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(text));
  }

  private static String text(OptionalLong value) {
    return value.isPresent() ? Long.toUnsignedString(value.getAsLong()) : "unlimited";
  }
}
