package io.cairn.framework;

import java.util.Objects;

/**
 * One framework as the runtime on this node sees it (for the shell and REST status).
 *
 * @param name the framework's name
 * @param frameworkId the FrameworkID the master assigned, or empty before the first subscription
 * @param leadership who leads it
 * @param subscribed whether this node's instance holds a live subscription
 * @param master the {@code host:port} of the master it is subscribed to, or empty
 */
public record FrameworkStatus(String name, String frameworkId, Leadership leadership,
    boolean subscribed, String master) {
  public FrameworkStatus {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(frameworkId, "frameworkId");
    Objects.requireNonNull(leadership, "leadership");
    Objects.requireNonNull(master, "master");
  }
}
