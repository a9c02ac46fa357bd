package io.cairn.allocator;

import java.util.Objects;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One explained decision: what was skipped and why, in words an operator can act on ("agent a3
 * filtered for framework f1 until 12:03:05", "role eng at its cpus limit 10"). The framework, the
 * agent and the role are present when the decision concerns them.
 */
@ProviderType
public record Reason(
    ReasonCode code,
    Optional<FrameworkId> frameworkId,
    Optional<AgentId> agentId,
    Optional<String> role,
    String message) {
  /** Rejects nulls. */
  public Reason {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(frameworkId, "frameworkId");
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return code + ": " + message;
  }
}
