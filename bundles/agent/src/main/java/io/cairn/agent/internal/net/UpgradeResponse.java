package io.cairn.agent.internal.net;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The master's answer to the agent's {@code GET /cairn/agent/v1} upgrade request: its status
 * code and, for a 307, where the leader is. Pure parsing of the header block (bytes up to and
 * including the blank line).
 *
 * @param status the HTTP status code
 * @param location the Location header, when present
 * @param reason the status line's reason phrase, for logs
 */
public record UpgradeResponse(int status, Optional<String> location, String reason) {
  /** Largest header block accepted. */
  public static final int HEADER_MAX_BYTES = 16 * 1024;

  /** Parses a header block; fails with a sentence when the status line is malformed. */
  public static UpgradeResponse parse(byte[] header) {
    String text = new String(header, StandardCharsets.ISO_8859_1);
    String[] lines = text.split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
      throw new IllegalArgumentException("the master answered '" + lines[0]
          + "', which is not an HTTP/1.x status line");
    }
    int status;
    try {
      status = Integer.parseInt(statusLine[1]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the master answered status '" + statusLine[1]
          + "', which is not a number", e);
    }
    Optional<String> location = Optional.empty();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0
          && lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("location")) {
        location = Optional.of(lines[i].substring(colon + 1).trim());
      }
    }
    return new UpgradeResponse(status, location, statusLine.length > 2 ? statusLine[2] : "");
  }

  /**
   * The host:port of a redirect Location in Mesos's form {@code //host:port/path} (a scheme, if
   * present, is ignored).
   */
  public static Optional<String> redirectHostPort(String location) {
    String rest = location;
    int scheme = rest.indexOf("//");
    if (scheme < 0) {
      return Optional.empty();
    }
    rest = rest.substring(scheme + 2);
    int slash = rest.indexOf('/');
    String hostPort = slash < 0 ? rest : rest.substring(0, slash);
    return hostPort.isEmpty() ? Optional.empty() : Optional.of(hostPort);
  }
}
