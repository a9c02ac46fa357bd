package io.cairn.coordination.internal.monitor;

import io.cairn.coordination.internal.server.Introspection;
import io.cairn.coordination.internal.server.ServerConfig;
import io.cairn.coordination.internal.server.Stats;
import java.util.List;
import java.util.Map;

/**
 * Text answers to the four-letter words, in ZooKeeper's formats. Which words are served is {@link
 * ServerConfig#fourLetterWords()} (ZooKeeper's {@code
 * 4lw.commands.whitelist}): by default the constant-cost ones (ruok, srvr, mntr, conf, envi); those
 * whose answer grows with connections or watches (stat, cons, wchs, wchc, wchp) only when listed.
 * A known word that is not listed gets ZooKeeper's "is not executed because it is not in the
 * whitelist" sentence, as does a ZooKeeper word Cairn does not serve (dump, crst, srst, dirs, isro,
 * gtmk, stmk, hash); the frame decoder passes no other word. Thread-safe.
 */
public final class FourLetterWords {
  private final ServerFacts facts;

  public FourLetterWords(ServerFacts facts) {
    this.facts = facts;
  }

  /** The answer to {@code word}; the caller closes the connection after sending it. */
  public String answer(String word) {
    if (!facts.enabled(word)) {
      // Also ZooKeeper's words that Cairn does not serve (dump, crst, ...): never whitelisted.
      return word + " is not executed because it is not in the whitelist.\n";
    }
    return switch (word) {
      case "ruok" -> "imok";
      case "srvr" -> srvr(facts.stats(), false);
      case "stat" -> srvr(facts.stats(), true);
      case "mntr" -> mntr(facts.stats());
      case "conf" -> lines(facts.configuration(), "");
      case "envi" -> "Environment:\n" + lines(facts.environment(), "");
      case "cons" -> cons() + "\n";
      case "wchs" -> wchs(facts.stats());
      case "wchc" -> grouped(facts.watchesBySession(), true);
      case "wchp" -> grouped(facts.watchesByPath(), false);
      default -> "";
    };
  }

  private String srvr(Stats stats, boolean withClients) {
    StringBuilder text = new StringBuilder();
    text.append("Zookeeper version: ").append(ServerFacts.VERSION).append('\n');
    if (withClients) {
      text.append("Clients:\n");
      for (Introspection.ConnectionInfo c : facts.view().connections()) {
        text.append(' ').append(c.remote()).append('[').append(c.id()).append("](queued=")
            .append(c.queued()).append(",recved=").append(c.received()).append(",sent=")
            .append(c.sent()).append(")\n");
      }
      text.append('\n');
    }
    text.append("Latency min/avg/max: ")
        .append(stats.metrics().minLatencyMs()).append('/')
        .append(String.format("%.4f", stats.metrics().avgLatencyMs())).append('/')
        .append(stats.metrics().maxLatencyMs()).append('\n');
    text.append("Received: ").append(stats.metrics().packetsReceived()).append('\n');
    text.append("Sent: ").append(stats.metrics().packetsSent()).append('\n');
    text.append("Connections: ").append(stats.connections()).append('\n');
    text.append("Outstanding: ").append(stats.outstanding()).append('\n');
    text.append("Zxid: 0x").append(Long.toHexString(stats.lastZxid())).append('\n');
    text.append("Mode: ").append(stats.mode()).append('\n');
    text.append("Node count: ").append(stats.znodes()).append('\n');
    return text.toString();
  }

  private String mntr(Stats stats) {
    StringBuilder text = new StringBuilder();
    for (Map.Entry<String, Object> entry : facts.monitor(stats).entrySet()) {
      text.append("zk_").append(entry.getKey()).append('\t').append(entry.getValue()).append('\n');
    }
    return text.toString();
  }

  private String cons() {
    StringBuilder text = new StringBuilder();
    for (Introspection.ConnectionInfo c : facts.view().connections()) {
      text.append(' ').append(c.remote()).append('[').append(c.id()).append("](queued=")
          .append(c.queued()).append(",recved=").append(c.received()).append(",sent=")
          .append(c.sent()).append(",sid=0x").append(Long.toHexString(c.sessionId()))
          .append(",to=").append(c.timeoutMs()).append(")\n");
    }
    return text.toString();
  }

  private static String wchs(Stats stats) {
    return stats.watchingConnections() + " connections watching " + stats.watchedPaths()
        + " paths\nTotal watches:" + stats.watches() + "\n";
  }

  private static String grouped(Map<?, ? extends List<?>> groups, boolean keysAreSessions) {
    StringBuilder text = new StringBuilder();
    for (Map.Entry<?, ? extends List<?>> group : groups.entrySet()) {
      text.append(keysAreSessions ? hex(group.getKey()) : group.getKey()).append('\n');
      for (Object member : group.getValue()) {
        text.append('\t').append(keysAreSessions ? member : hex(member)).append('\n');
      }
    }
    return text.toString();
  }

  private static String hex(Object sessionId) {
    return "0x" + Long.toHexString((Long) sessionId);
  }

  private static String lines(Map<String, Object> facts, String indent) {
    StringBuilder text = new StringBuilder();
    for (Map.Entry<String, Object> entry : facts.entrySet()) {
      text.append(indent).append(entry.getKey()).append('=').append(entry.getValue()).append('\n');
    }
    return text.toString();
  }
}
