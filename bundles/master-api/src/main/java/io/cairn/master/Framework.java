package io.cairn.master;

import io.cairn.env.Check;
import java.util.List;

/**
 * One framework in the registry.
 *
 * @param id the framework id, unique in the registry
 * @param name the framework's name, e.g. {@code marathon}
 * @param user the user its tasks run as
 * @param roles the roles it subscribes with; never empty ({@code *} when it named none)
 * @param failoverTimeoutSeconds how long the master waits for it to fail over before killing its
 *     tasks; 0 means at once
 * @param checkpoint whether its agents checkpoint its tasks
 * @param principal its principal, or empty
 */
public record Framework(
    String id,
    String name,
    String user,
    List<String> roles,
    double failoverTimeoutSeconds,
    boolean checkpoint,
    String principal) {
  public Framework {
    Check.argument(id != null && !id.isEmpty(), "framework id must not be empty");
    roles = List.copyOf(roles);
    Check.argument(!roles.isEmpty(), "framework %s has no role", id);
    Check.argument(
        failoverTimeoutSeconds >= 0,
        "framework %s: failoverTimeoutSeconds must be >= 0, was %s",
        id,
        failoverTimeoutSeconds);
  }
}
