package io.cairn.master.internal.server;

/**
 * A small streaming JSON writer for the v0 endpoints ({@code /master/state}), whose shape is
 * Mesos's own and not a protobuf mapping. Commas are inserted automatically.
 *
 * <p>Threading: one instance per response, one thread.
 */
final class Json {
  private final StringBuilder out = new StringBuilder(4096);
  private boolean needComma;

  Json object() {
    comma();
    out.append('{');
    needComma = false;
    return this;
  }

  Json end() {
    out.append('}');
    needComma = true;
    return this;
  }

  Json array() {
    comma();
    out.append('[');
    needComma = false;
    return this;
  }

  Json endArray() {
    out.append(']');
    needComma = true;
    return this;
  }

  /** A key inside an object; the next value call writes its value. */
  Json key(String key) {
    comma();
    string(key);
    out.append(':');
    needComma = false;
    return this;
  }

  Json value(String value) {
    comma();
    string(value);
    needComma = true;
    return this;
  }

  Json value(double value) {
    comma();
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      out.append((long) value).append(".0");
    } else {
      out.append(value);
    }
    needComma = true;
    return this;
  }

  Json value(long value) {
    comma();
    out.append(value);
    needComma = true;
    return this;
  }

  Json value(boolean value) {
    comma();
    out.append(value);
    needComma = true;
    return this;
  }

  /** Already-encoded JSON (e.g. a protobuf printed by JsonFormat). */
  Json raw(String json) {
    comma();
    out.append(json);
    needComma = true;
    return this;
  }

  Json field(String key, String value) {
    return key(key).value(value);
  }

  Json field(String key, long value) {
    return key(key).value(value);
  }

  Json field(String key, double value) {
    return key(key).value(value);
  }

  Json field(String key, boolean value) {
    return key(key).value(value);
  }

  private void comma() {
    if (needComma) {
      out.append(',');
    }
  }

  private void string(String s) {
    quote(out, s);
  }

  /** {@code s} as a JSON string: quoted, with quotes, backslashes and controls escaped. */
  static void quote(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          // U+2028/U+2029 are valid JSON but end a line in JavaScript.
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
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
