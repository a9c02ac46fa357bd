package io.cairn.coordination.internal.monitor;

import io.cairn.coordination.internal.server.Stats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The admin endpoint's commands in ZooKeeper AdminServer's shape: {@code GET /commands/<name>}
 * answers a JSON object with {@code "command"} (the primary name), {@code "error"} (null or a
 * sentence) and the command's facts. Names and aliases are ZooKeeper's (e.g. {@code srvr} and
 * {@code server_stats}); a command whose four-letter word is not whitelisted answers an error, the
 * same set as the 4lw listener. Thread-safe.
 */
public final class AdminCommands {
  /** Alias to four-letter word; the primary name of each word is listed first. */
  private static final Map<String, String> ALIASES = new LinkedHashMap<>();

  /** Four-letter word to ZooKeeper's primary admin name. */
  private static final Map<String, String> PRIMARY = new LinkedHashMap<>();

  static {
    alias("ruok", "ruok");
    alias("srvr", "server_stats");
    alias("stat", "stats");
    alias("mntr", "monitor");
    alias("conf", "configuration", "config");
    alias("envi", "environment", "env");
    alias("cons", "connections");
    alias("wchs", "watch_summary");
    alias("wchc", "watches");
    alias("wchp", "watches_by_path");
  }

  private static void alias(String word, String primary, String... more) {
    PRIMARY.put(word, primary);
    ALIASES.put(word, word);
    ALIASES.put(primary, word);
    for (String name : more) {
      ALIASES.put(name, word);
    }
  }

  private final ServerFacts facts;

  public AdminCommands(ServerFacts facts) {
    this.facts = facts;
  }

  /** The primary names of every command, for {@code GET /commands}. */
  public List<String> names() {
    return List.copyOf(PRIMARY.values());
  }

  /** True when {@code name} is a known command or alias. */
  public boolean known(String name) {
    return ALIASES.containsKey(name);
  }

  /** The JSON object answering {@code name}. */
  public Map<String, Object> run(String name) {
    String word = ALIASES.get(name);
    Map<String, Object> response = new LinkedHashMap<>();
    if (word == null) {
      response.put("command", name);
      response.put("error", "Unknown command: " + name);
      return response;
    }
    response.put("command", PRIMARY.get(word));
    if (!facts.enabled(word)) {
      response.put(
          "error", name + " is not executed because " + word + " is not in the whitelist");
      return response;
    }
    response.put("error", null);
    Stats stats = word.equals("ruok") ? null : facts.stats();
    switch (word) {
      case "srvr", "stat" -> {
        response.put("version", ServerFacts.VERSION);
        response.put("read_only", false);
        response.put("server_stats", facts.serverStats(stats));
        response.put("node_count", stats.znodes());
        if (word.equals("stat")) {
          response.put("connections", facts.connections());
        }
      }
      case "mntr" -> response.putAll(facts.monitor(stats));
      case "conf" -> response.putAll(facts.configurationJson());
      case "envi" -> response.putAll(facts.environment());
      case "cons" -> response.put("connections", facts.connections());
      case "wchs" -> response.putAll(facts.watchSummary(stats));
      case "wchc" -> response.put("session_id_to_watched_paths", facts.watchesBySession());
      case "wchp" -> response.put("path_to_session_ids", facts.watchesByPath());
      default -> { }
    }
    return response;
  }
}
