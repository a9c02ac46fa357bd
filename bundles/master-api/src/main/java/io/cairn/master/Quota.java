package io.cairn.master;

import io.cairn.env.Check;
import java.util.Map;

/**
 * The quota of one role: what it is guaranteed and what it may never exceed, per scalar resource.
 *
 * @param role the role, never {@code *}
 * @param guarantees resource name to guaranteed amount, sorted
 * @param limits resource name to the most the role may hold, sorted; a guarantee never exceeds
 *     the limit of the same resource
 */
public record Quota(String role, Map<String, Double> guarantees, Map<String, Double> limits) {
  public Quota {
    Check.argument(role != null && !role.isEmpty(), "quota role must not be empty");
    guarantees = Registry.sortedCopy(guarantees);
    limits = Registry.sortedCopy(limits);
  }
}
