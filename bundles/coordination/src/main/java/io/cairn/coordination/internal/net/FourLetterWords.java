package io.cairn.coordination.internal.net;

import io.cairn.coordination.internal.server.CoordinationServer;
import io.cairn.coordination.internal.server.ServerConfig;

/**
 * Text answers to the four-letter words, in ZooKeeper's formats. Served by default: ruok, srvr,
 * stat, mntr, conf, wchs (constant cost). {@code cons} (one line per connection) only when {@link
 * ServerConfig#costlyFourLetterWords()} is set; unknown or disabled words get an empty answer and
 * the connection is closed.
 */
final class FourLetterWords {
  private final CoordinationServer server;

  FourLetterWords(CoordinationServer server) {
    this.server = server;
  }

  String answer(String word) {
    CoordinationServer.Stats stats = server.stats();
    ServerConfig config = server.config();
    return switch (word) {
      case "ruok" -> "imok";
      case "srvr", "stat" -> srvr(stats);
      case "mntr" -> mntr(stats);
      case "conf" ->
          "tickTime="
              + config.tickMs()
              + "\n"
              + "minSessionTimeout="
              + config.minSessionTimeoutMs()
              + "\n"
              + "maxSessionTimeout="
              + config.maxSessionTimeoutMs()
              + "\n"
              + "containerCheckIntervalMs="
              + config.containerCheckIntervalMs()
              + "\n"
              + "jute.maxbuffer=1048575\n";
      case "wchs" ->
          stats.connections()
              + " connections watching\n"
              + "Total watches:"
              + stats.watches()
              + "\n";
      case "cons" ->
          config.costlyFourLetterWords()
              ? String.join("\n", stats.connectionLines()) + "\n"
              : "cons is not enabled (costlyFourLetterWords=false)\n";
      default -> "";
    };
  }

  private static String srvr(CoordinationServer.Stats stats) {
    return "Zookeeper version: 3.9.5-cairn\n"
        + "Latency min/avg/max: 0/0/0\n"
        + "Received: 0\nSent: 0\n"
        + "Connections: "
        + stats.connections()
        + "\n"
        + "Outstanding: 0\n"
        + "Zxid: 0x"
        + Long.toHexString(stats.lastZxid())
        + "\n"
        + "Mode: "
        + stats.mode()
        + "\n"
        + "Node count: "
        + stats.znodes()
        + "\n";
  }

  private static String mntr(CoordinationServer.Stats stats) {
    return "zk_version\t3.9.5-cairn\n"
        + "zk_server_state\t"
        + stats.mode()
        + "\n"
        + "zk_num_alive_connections\t"
        + stats.connections()
        + "\n"
        + "zk_znode_count\t"
        + stats.znodes()
        + "\n"
        + "zk_watch_count\t"
        + stats.watches()
        + "\n"
        + "zk_global_sessions\t"
        + stats.sessions()
        + "\n"
        + "zk_last_zxid\t"
        + stats.lastZxid()
        + "\n";
  }
}
