package io.cairn.agent.internal.http;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A small streaming JSON writer for the agent's HTTP answers (no JSON library is shipped in the
 * runtime). Commas are inserted automatically; strings are escaped per RFC 8259. Not thread-safe.
 */
final class Json {
  private final StringBuilder out = new StringBuilder();
  private final Deque<Boolean> first = new ArrayDeque<>();
  private boolean afterKey;

  Json object() {
    value();
    out.append('{');
    first.push(true);
    return this;
  }

  Json end(char close) {
    first.pop();
    out.append(close);
    return this;
  }

  Json endObject() {
    return end('}');
  }

  Json array() {
    value();
    out.append('[');
    first.push(true);
    return this;
  }

  Json endArray() {
    return end(']');
  }

  Json key(String name) {
    separator();
    string(name);
    out.append(':');
    afterKey = true;
    return this;
  }

  Json value(String text) {
    value();
    string(text);
    return this;
  }

  Json value(double number) {
    value();
    if (number == Math.rint(number) && Math.abs(number) < 1e15) {
      out.append((long) number);
    } else if (Double.isFinite(number)) {
      out.append(java.math.BigDecimal.valueOf(number).toPlainString());
    } else {
      out.append("null"); // JSON has no NaN or infinity
    }
    return this;
  }

  Json value(long number) {
    value();
    out.append(number);
    return this;
  }

  Json value(boolean flag) {
    value();
    out.append(flag);
    return this;
  }

  Json field(String name, String text) {
    return key(name).value(text);
  }

  Json field(String name, double number) {
    return key(name).value(number);
  }

  Json field(String name, long number) {
    return key(name).value(number);
  }

  Json field(String name, boolean flag) {
    return key(name).value(flag);
  }

  private void value() {
    if (afterKey) {
      afterKey = false;
      return;
    }
    separator();
  }

  private void separator() {
    if (!first.isEmpty()) {
      if (first.peek()) {
        first.pop();
        first.push(false);
      } else {
        out.append(',');
      }
    }
  }

  private void string(String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
