package io.cairn.allocator;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What the allocator knows of a framework: its id, name (for humans) and the roles it subscribed
 * to (multi-role frameworks, MESOS-1763). Each offer is for exactly one of these roles.
 */
@ProviderType
public record FrameworkSpec(FrameworkId id, String name, SortedSet<String> roles) {
  /** Validates the roles and copies the set. */
  public FrameworkSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Checks.argument(!roles.isEmpty(), "framework %s must subscribe to at least one role", id);
    TreeSet<String> copy = new TreeSet<>();
    for (String role : roles) {
      copy.add(Roles.check(role));
    }
    roles = Collections.unmodifiableSortedSet(copy);
  }

  /** A framework of the given roles, named after its id. */
  public static FrameworkSpec of(String id, String... roles) {
    return new FrameworkSpec(FrameworkId.of(id), id, new TreeSet<>(java.util.List.of(roles)));
  }
}
