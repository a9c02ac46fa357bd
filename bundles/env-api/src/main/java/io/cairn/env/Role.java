package io.cairn.env;

import java.util.Locale;

/** What a node does in the cluster; a node may have both roles. */
public enum Role {
  /** A member of the Raft group: coordination, master, allocator, frameworks. Never runs tasks. */
  MASTER,
  /** Offers the machine's resources and runs tasks. */
  AGENT;

  /** The spelling used in configuration files and status lines. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
