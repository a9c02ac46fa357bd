package io.cairn.agent.internal.runtime;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the agent's shell commands may ask of the running agent. Registered as a service (inside
 * this bundle only) by the agent component; thread-safe: work is handed to the agent's event
 * thread.
 */
public interface AgentOperations {
  /** A consistent copy of the agent's state. */
  CompletableFuture<AgentSnapshot> snapshot();

  /** Kills every task (each grace period capped by {@code maxGrace}) and refuses new ones. */
  CompletableFuture<Void> drain(Optional<Duration> maxGrace);
}
