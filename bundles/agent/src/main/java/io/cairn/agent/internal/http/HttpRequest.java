package io.cairn.agent.internal.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One parsed HTTP/1.1 request head: method, path and decoded query parameters (the first value of
 * each name wins).
 *
 * @param method e.g. GET
 * @param path the decoded path, without the query
 * @param query the decoded query parameters
 */
record HttpRequest(String method, String path, Map<String, String> query) {
  /** Parses the request line of a header block; fails with a sentence when malformed. */
  static HttpRequest parse(String head) {
    String line = head.split("\r\n", 2)[0];
    String[] parts = line.split(" ");
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
      throw new IllegalArgumentException("'" + line + "' is not an HTTP/1.x request line");
    }
    String target = parts[1];
    int question = target.indexOf('?');
    String path = decode(question < 0 ? target : target.substring(0, question));
    Map<String, String> query = new LinkedHashMap<>();
    if (question >= 0) {
      for (String pair : target.substring(question + 1).split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int equals = pair.indexOf('=');
        String name = decode(equals < 0 ? pair : pair.substring(0, equals));
        String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
        query.putIfAbsent(name, value);
      }
    }
    return new HttpRequest(parts[0], path, query);
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }
}
