package io.cairn.allocator;

import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Resources of one agent held by one framework under one role: offered, or used by its tasks and
 * executors. Used to seed the allocator (agents and frameworks re-registering after a failover),
 * to recover resources, and in the {@link AllocatorBooks}.
 */
@ProviderType
public record Allocation(
    FrameworkId frameworkId, String role, AgentId agentId, AgentResources resources) {
  /** Validates the role and rejects nulls. */
  public Allocation {
    Objects.requireNonNull(frameworkId, "frameworkId");
    Roles.check(role);
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(resources, "resources");
  }
}
