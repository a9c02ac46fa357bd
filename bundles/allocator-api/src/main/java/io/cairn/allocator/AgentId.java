package io.cairn.allocator;

import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/** The identity of an agent, as the master assigned it. Ordered by its value. */
@ProviderType
public record AgentId(String value) implements Comparable<AgentId> {
  /** Validates that the id is non-empty. */
  public AgentId {
    Objects.requireNonNull(value, "value");
    Checks.argument(!value.isEmpty(), "agent id must not be empty");
  }

  /** Shorthand for {@code new AgentId(value)}. */
  public static AgentId of(String value) {
    return new AgentId(value);
  }

  @Override
  public int compareTo(AgentId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
