package io.cairn.allocator;

import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What the allocator knows of an agent: its id, hostname (for humans) and total resources,
 * including static and dynamic reservations.
 */
@ProviderType
public record AgentSpec(AgentId id, String hostname, AgentResources total) {
  /** Rejects nulls. */
  public AgentSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(total, "total");
  }
}
