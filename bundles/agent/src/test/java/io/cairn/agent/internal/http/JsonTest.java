package io.cairn.agent.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void writesObjectsArraysNumbersAndEscapes() {
    String json = new Json().object()
        .field("s", "a\"b\\c\n\u0001")
        .field("i", 3.0)
        .field("d", 1795553250.315)
        .field("nan", Double.NaN)
        .key("a").array().value(1L).value(true).object().endObject().endArray()
        .endObject().toString();
    assertEquals("{\"s\":\"a\\\"b\\\\c\\n\\u0001\",\"i\":3,\"d\":1795553250.315,\"nan\":null,"
        + "\"a\":[1,true,{}]}", json);
  }
}
