package io.cairn.env;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The identity of this node, read from {@code etc/io.cairn.node.cfg} through Config Admin and
 * validated before it is published as a service. Capabilities wait for this service, so none of
 * them starts on an invalid configuration.
 *
 * @param nodeId this node's id, positive; for a master it is its id among {@code peers}
 * @param roles what this node does; never empty
 * @param dataDir where Cairn keeps its durable state (log, snapshots, sandboxes); writable
 * @param peers the masters of the Raft group, this node included when it is a master
 */
public record NodeInfo(int nodeId, Set<Role> roles, Path dataDir, List<Peer> peers) {
  public NodeInfo {
    roles = Set.copyOf(roles);
    peers = List.copyOf(peers);
  }

  public boolean hasRole(Role role) {
    return roles.contains(role);
  }

  /** Roles as written in configuration and status lines, e.g. {@code master,agent}. */
  public String rolesText() {
    return roles.stream()
        .sorted()
        .map(Role::configName)
        .collect(Collectors.joining(","));
  }
}
