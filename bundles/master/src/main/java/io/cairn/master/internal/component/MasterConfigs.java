package io.cairn.master.internal.component;

import io.cairn.master.internal.core.MasterSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;

/**
 * Validates and converts {@link MasterConfig}. A bad value fails activation with PID, key, value
 * and the expected range in one sentence (STYLE.md §4).
 */
final class MasterConfigs {
  private static final String PID = "io.cairn.master";

  private MasterConfigs() {}

  static MasterSettings settings(MasterConfig config) {
    range("port", config.port(), 1, 65535);
    range("allocationIntervalMs", config.allocationIntervalMs(), 10, 3_600_000);
    range("heartbeatIntervalMs", config.heartbeatIntervalMs(), 1_000, 3_600_000);
    range("agentPingTimeoutMs", config.agentPingTimeoutMs(), 100, 3_600_000);
    range("maxAgentPingTimeouts", config.maxAgentPingTimeouts(), 1, 100);
    if (!config.zkPath().startsWith("/") || config.zkPath().length() < 2
        || config.zkPath().endsWith("/")) {
      throw new IllegalArgumentException(PID + " zkPath=" + config.zkPath()
          + " must be an absolute ZooKeeper path such as /mesos");
    }
    range("agentReregisterTimeoutMs", config.agentReregisterTimeoutMs(), 1_000, 86_400_000);
    return new MasterSettings(config.allocationIntervalMs(), config.heartbeatIntervalMs(),
        config.agentPingTimeoutMs(), config.maxAgentPingTimeouts(),
        config.agentReregisterTimeoutMs(), removalIntervalMs(config.agentRemovalRateLimit()));
  }

  /**
   * Mesos's {@code --agent_removal_rate_limit} ({@code N/<d>secs|mins|hrs}) as the time between
   * two removals; empty is 0 (no limit).
   */
  static long removalIntervalMs(String limit) {
    String text = limit.trim();
    if (text.isEmpty()) {
      return 0;
    }
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("(\\d+)/(\\d+)(secs|mins|hrs)").matcher(text);
    if (!m.matches() || Long.parseLong(m.group(1)) == 0 || Long.parseLong(m.group(2)) == 0) {
      throw new IllegalArgumentException(PID + " agentRemovalRateLimit=" + limit
          + " must look like 1/10mins (N/<d>secs|mins|hrs, N and d >= 1) or be empty");
    }
    long unitMs = switch (m.group(3)) {
      case "secs" -> 1_000L;
      case "mins" -> 60_000L;
      default -> 3_600_000L;
    };
    return Long.parseLong(m.group(2)) * unitMs / Long.parseLong(m.group(1));
  }

  private static void range(String key, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          PID + " " + key + "=" + value + " is outside " + min + ".." + max);
    }
  }

  /** The listen host as an IP address (for MasterInfo.ip and pid). */
  static String ip(String host) {
    try {
      return InetAddress.getByName(host).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(PID + " host=" + host + " does not resolve", e);
    }
  }

  /** Parses {@code 1@host:port,2@host:port}. */
  static Map<Integer, String> peerHttp(String text) {
    Map<Integer, String> out = new HashMap<>();
    if (text.isBlank()) {
      return out;
    }
    for (String entry : text.split(",")) {
      String trimmed = entry.trim();
      int at = trimmed.indexOf('@');
      int colon = trimmed.lastIndexOf(':');
      try {
        if (at < 1 || colon < at + 2) {
          throw new NumberFormatException("shape");
        }
        int id = Integer.parseInt(trimmed.substring(0, at));
        int port = Integer.parseInt(trimmed.substring(colon + 1));
        if (id < 1 || port < 1 || port > 65535) {
          throw new NumberFormatException("range");
        }
        out.put(id, trimmed.substring(at + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(PID + " peerHttp entry '" + trimmed
            + "' must be id@host:port with id >= 1 and port 1..65535", e);
      }
    }
    return out;
  }
}
