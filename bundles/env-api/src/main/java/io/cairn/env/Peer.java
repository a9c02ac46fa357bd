package io.cairn.env;

/**
 * One master of the Raft group as written in {@code peers = 1@host:7070,...}.
 *
 * @param id the node id of that master, positive
 * @param host the host name or address it listens on for Raft and internal RPC
 * @param port the TCP port it listens on, 1..65535
 */
public record Peer(int id, String host, int port) {
  public Peer {
    if (id <= 0) {
      throw new IllegalArgumentException("peer id must be positive, was " + id);
    }
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("peer " + id + " has no host");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("peer " + id + " port must be 1..65535, was " + port);
    }
  }

  /** The form used in configuration: {@code id@host:port}. */
  @Override
  public String toString() {
    return id + "@" + host + ":" + port;
  }
}
