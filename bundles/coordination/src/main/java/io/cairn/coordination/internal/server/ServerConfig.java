package io.cairn.coordination.internal.server;

import io.cairn.env.Check;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Settings of the coordination server, validated on construction.
 *
 * @param tickMs expiry and reaping granularity (ZooKeeper tickTime)
 * @param minSessionTimeoutMs lower clamp of the negotiated timeout (ZooKeeper: 2 x tick)
 * @param maxSessionTimeoutMs upper clamp (ZooKeeper: 20 x tick)
 * @param containerCheckIntervalMs how often empty containers and expired TTL nodes are reaped
 * @param maxQueuedRequestsPerConnection requests waiting per connection before it is closed
 * @param fourLetterWords the four-letter words served (ZooKeeper's {@code 4lw.commands.whitelist});
 *     the admin endpoint serves the same set
 */
public record ServerConfig(
    int tickMs,
    int minSessionTimeoutMs,
    int maxSessionTimeoutMs,
    long containerCheckIntervalMs,
    int maxQueuedRequestsPerConnection,
    Set<String> fourLetterWords) {
  /** Every word this server knows. */
  public static final Set<String> ALL_WORDS =
      Set.of("ruok", "srvr", "stat", "mntr", "conf", "envi", "cons", "wchs", "wchc", "wchp");

  /** Served by default: constant cost whatever the number of connections and watches. */
  public static final Set<String> SAFE_WORDS = Set.of("ruok", "srvr", "mntr", "conf", "envi");

  public ServerConfig {
    Check.argument(tickMs > 0, "tickMs must be > 0, was %s", tickMs);
    Check.argument(
        minSessionTimeoutMs > 0 && minSessionTimeoutMs <= maxSessionTimeoutMs,
        "need 0 < minSessionTimeoutMs <= maxSessionTimeoutMs, was %s and %s",
        minSessionTimeoutMs,
        maxSessionTimeoutMs);
    Check.argument(containerCheckIntervalMs > 0, "containerCheckIntervalMs must be > 0");
    Check.argument(
        maxQueuedRequestsPerConnection > 0, "maxQueuedRequestsPerConnection must be > 0");
    fourLetterWords = Set.copyOf(fourLetterWords);
  }

  /** Settings with the safe words only, or with every word when {@code allWords}. */
  public ServerConfig(
      int tickMs,
      int minSessionTimeoutMs,
      int maxSessionTimeoutMs,
      long containerCheckIntervalMs,
      int maxQueuedRequestsPerConnection,
      boolean allWords) {
    this(
        tickMs,
        minSessionTimeoutMs,
        maxSessionTimeoutMs,
        containerCheckIntervalMs,
        maxQueuedRequestsPerConnection,
        allWords ? ALL_WORDS : SAFE_WORDS);
  }

  /** ZooKeeper's defaults for tickTime 2000, the safe four-letter words. */
  public static ServerConfig defaults() {
    return new ServerConfig(2000, 4000, 40000, 60000, 10000, false);
  }

  /**
   * Parses a whitelist as ZooKeeper does: words separated by commas and/or blanks, {@code *} for
   * all; {@code extraCostly} adds the costly ones (the older {@code costlyFourLetterWords} key).
   *
   * @throws IllegalArgumentException naming the first unknown word
   */
  public static Set<String> parseWords(String whitelist, boolean extraCostly) {
    Set<String> words = new LinkedHashSet<>();
    for (String word : whitelist.trim().split("[,\\s]+")) {
      if (word.isEmpty()) {
        continue;
      }
      if (word.equals("*")) {
        return ALL_WORDS;
      }
      Check.argument(
          ALL_WORDS.contains(word),
          "io.cairn.coordination fourLetterWords has '%s'; known words are %s",
          word,
          String.join(", ", new TreeSet<>(ALL_WORDS)));
      words.add(word);
    }
    if (extraCostly) {
      words.addAll(ALL_WORDS);
    }
    return words;
  }

  /** Clamps a requested session timeout into [min, max]. */
  public int negotiate(int requestedMs) {
    return Math.max(minSessionTimeoutMs, Math.min(maxSessionTimeoutMs, requestedMs));
  }
}
