package io.cairn.marathon.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** A response: status, JSON (or text) body, extra headers. */
record ApiReply(int status, JsonNode json, String text, Map<String, String> headers) {

  static ApiReply json(int status, JsonNode body) {
    return new ApiReply(status, body, null, new LinkedHashMap<>());
  }

  static ApiReply text(int status, String body) {
    return new ApiReply(status, null, body, new LinkedHashMap<>());
  }

  static ApiReply message(int status, String message) {
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("message", message);
    return json(status, body);
  }

  ApiReply header(String name, String value) {
    headers.put(name, value);
    return this;
  }
}
