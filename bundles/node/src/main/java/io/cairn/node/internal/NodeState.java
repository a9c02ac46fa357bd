package io.cairn.node.internal;

import io.cairn.env.NodeInfo;
import java.util.List;
import java.util.Map;

/**
 * What {@code ./cairn start}, {@code ./cairn status} and {@code cairn:node} report about this node
 * at one moment. Immutable.
 *
 * @param readiness where start-up stands
 * @param node the validated identity, or null while unknown or invalid
 * @param configError the operator-facing sentence when the configuration is invalid, else null
 * @param endpoints endpoints being served, name to address, sorted by name
 * @param waitingFor what readiness still waits for, in words; empty when ready
 */
public record NodeState(
    Readiness readiness,
    NodeInfo node,
    String configError,
    Map<String, String> endpoints,
    List<String> waitingFor) {

  /** Start-up progress, as the launcher reads it from the status file. */
  public enum Readiness {
    /** Still waiting for the items in {@link #waitingFor}. */
    STARTING,
    /** Configuration valid, boot features installed, every promised endpoint served. */
    READY,
    /** The configuration is invalid; see {@link #configError}. Nothing else will start. */
    FAILED
  }

  /** The status file's text: one {@code key=value} per line, read by the launcher. */
  public String toStatusText() {
    StringBuilder out = new StringBuilder();
    out.append("state=").append(readiness.name().toLowerCase(java.util.Locale.ROOT)).append('\n');
    if (node != null) {
      out.append("node=").append(node.nodeId()).append('\n');
      out.append("role=").append(node.rolesText()).append('\n');
      out.append("data=").append(node.dataDir()).append('\n');
    }
    endpoints.forEach((name, address) ->
        out.append("endpoint.").append(name).append('=').append(address).append('\n'));
    if (configError != null) {
      out.append("error=").append(configError.replace('\n', ' ')).append('\n');
    }
    if (!waitingFor.isEmpty()) {
      out.append("waiting=").append(String.join("; ", waitingFor)).append('\n');
    }
    return out.toString();
  }
}
