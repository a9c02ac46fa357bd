package io.cairn.master;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Read access to the master's registry, for the shell, the HTTP APIs and the UI. Safe to call from
 * any thread: the registry publishes a new immutable {@link Registry} after each applied command,
 * so a caller sees a consistent state as of some applied index, never a half-applied command.
 */
@ProviderType
public interface RegistryView {
  /** The registry as of the last applied command. */
  Registry registry();
}
