package io.cairn.allocator;

import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/** The identity of a framework, as the master assigned it. Ordered by its value. */
@ProviderType
public record FrameworkId(String value) implements Comparable<FrameworkId> {
  /** Validates that the id is non-empty. */
  public FrameworkId {
    Objects.requireNonNull(value, "value");
    Checks.argument(!value.isEmpty(), "framework id must not be empty");
  }

  /** Shorthand for {@code new FrameworkId(value)}. */
  public static FrameworkId of(String value) {
    return new FrameworkId(value);
  }

  @Override
  public int compareTo(FrameworkId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
