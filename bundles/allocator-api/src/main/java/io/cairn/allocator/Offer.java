package io.cairn.allocator;

import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Resources of exactly one agent offered to exactly one framework for exactly one of its roles, as
 * in Mesos. From the moment the allocator returns it, these resources count as allocated to that
 * framework until the master recovers them (decline, rescind, unused part of an accept, task end).
 */
@ProviderType
public record Offer(FrameworkId frameworkId, String role, AgentId agentId,
    AgentResources resources) {
  /** Rejects nulls and empty offers. */
  public Offer {
    Objects.requireNonNull(frameworkId, "frameworkId");
    Roles.check(role);
    Objects.requireNonNull(agentId, "agentId");
    Checks.argument(!resources.isEmpty(), "an offer must not be empty");
  }

  /** The same resources as an {@link Allocation}. */
  public Allocation asAllocation() {
    return new Allocation(frameworkId, role, agentId, resources);
  }
}
