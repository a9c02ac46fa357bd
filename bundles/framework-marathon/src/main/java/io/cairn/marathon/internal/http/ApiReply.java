package io.cairn.marathon.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A response: status, JSON (or text, or JSON bytes rendered when written, on the I/O thread)
 * body, extra headers. Exactly one of {@code json}, {@code text} and {@code rendered} is set.
 */
record ApiReply(int status, JsonNode json, String text, Supplier<byte[]> rendered,
    Map<String, String> headers) {

  static ApiReply json(int status, JsonNode body) {
    return new ApiReply(status, body, null, null, new LinkedHashMap<>());
  }

  static ApiReply text(int status, String body) {
    return new ApiReply(status, null, body, null, new LinkedHashMap<>());
  }

  /** JSON rendered by {@code body} from an immutable snapshot, on the thread that writes it. */
  static ApiReply rendered(int status, Supplier<byte[]> body) {
    return new ApiReply(status, null, null, body, new LinkedHashMap<>());
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
