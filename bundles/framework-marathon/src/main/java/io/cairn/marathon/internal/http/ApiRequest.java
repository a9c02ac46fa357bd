package io.cairn.marathon.internal.http;

import java.util.List;
import java.util.Map;

/** One HTTP request as the API sees it: method, decoded path, query parameters, body. */
record ApiRequest(String method, String path, Map<String, List<String>> query, String body,
    String uri, String accept, String remoteAddress) {

  String param(String name, String fallback) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? fallback : values.get(0);
  }

  boolean flag(String name, boolean fallback) {
    String value = param(name, null);
    return value == null ? fallback : value.isEmpty() || Boolean.parseBoolean(value);
  }

  List<String> params(String name) {
    return query.getOrDefault(name, List.of());
  }
}
