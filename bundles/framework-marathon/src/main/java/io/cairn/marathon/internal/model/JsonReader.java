package io.cairn.marathon.internal.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Typed reads from a JSON tree that record, instead of throwing, every wrong type as Marathon's
 * play-json errors ({@code error.expected.jsstring}, ...) under the field's path, and every broken
 * rule as a validation error. Not thread-safe; one per parse.
 */
final class JsonReader {
  private final List<Violation> typeErrors = new ArrayList<>();
  private final List<Violation> ruleErrors = new ArrayList<>();

  List<Violation> typeErrors() {
    return typeErrors;
  }

  List<Violation> ruleErrors() {
    return ruleErrors;
  }

  void typeError(String path, String error) {
    typeErrors.add(Violation.of(path, error));
  }

  void rule(String path, String error) {
    ruleErrors.add(Violation.of(path, error));
  }

  static boolean absent(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull();
  }

  String string(JsonNode node, String field, String path, String fallback) {
    if (absent(node, field)) {
      return fallback;
    }
    JsonNode value = node.get(field);
    if (!value.isTextual()) {
      typeError(path + "/" + field, "error.expected.jsstring");
      return fallback;
    }
    return value.asText();
  }

  double number(JsonNode node, String field, String path, double fallback) {
    if (absent(node, field)) {
      return fallback;
    }
    JsonNode value = node.get(field);
    if (!value.isNumber()) {
      typeError(path + "/" + field, "error.expected.jsnumber");
      return fallback;
    }
    return value.asDouble();
  }

  int integer(JsonNode node, String field, String path, int fallback) {
    if (absent(node, field)) {
      return fallback;
    }
    JsonNode value = node.get(field);
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      if (value.isNumber() && value.asDouble() == Math.rint(value.asDouble())
          && Math.abs(value.asDouble()) < Integer.MAX_VALUE) {
        return (int) value.asDouble();
      }
      typeError(path + "/" + field, value.isNumber() ? "error.expected.int"
          : "error.expected.jsnumber");
      return fallback;
    }
    return value.asInt();
  }

  Integer optionalInteger(JsonNode node, String field, String path) {
    return absent(node, field) ? null : integer(node, field, path, 0);
  }

  boolean bool(JsonNode node, String field, String path, boolean fallback) {
    if (absent(node, field)) {
      return fallback;
    }
    JsonNode value = node.get(field);
    if (!value.isBoolean()) {
      typeError(path + "/" + field, "error.expected.jsboolean");
      return fallback;
    }
    return value.asBoolean();
  }

  JsonNode object(JsonNode node, String field, String path) {
    if (absent(node, field)) {
      return null;
    }
    JsonNode value = node.get(field);
    if (!value.isObject()) {
      typeError(path + "/" + field, "error.expected.jsobject");
      return null;
    }
    return value;
  }

  /** The elements of an array field, each read by {@code element(node, pathOfElement)}. */
  <T> List<T> array(JsonNode node, String field, String path,
      BiFunction<JsonNode, String, T> element) {
    if (absent(node, field)) {
      return null;
    }
    JsonNode value = node.get(field);
    if (!value.isArray()) {
      typeError(path + "/" + field, "error.expected.jsarray");
      return null;
    }
    List<T> out = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      T item = element.apply(value.get(i), path + "/" + field + "(" + i + ")");
      if (item != null) {
        out.add(item);
      }
    }
    return out;
  }

  List<String> strings(JsonNode node, String field, String path) {
    return array(node, field, path, (item, itemPath) -> {
      if (!item.isTextual()) {
        typeError(itemPath, "error.expected.jsstring");
        return null;
      }
      return item.asText();
    });
  }

  Map<String, String> stringMap(JsonNode node, String field, String path) {
    JsonNode value = object(node, field, path);
    Map<String, String> out = new LinkedHashMap<>();
    if (value == null) {
      return out;
    }
    value.fields().forEachRemaining(entry -> {
      if (entry.getValue().isTextual()) {
        out.put(entry.getKey(), entry.getValue().asText());
      } else {
        typeError(path + "/" + field + "/" + entry.getKey(), "error.expected.jsstring");
      }
    });
    return out;
  }
}
