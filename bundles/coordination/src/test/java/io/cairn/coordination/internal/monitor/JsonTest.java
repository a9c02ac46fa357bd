package io.cairn.coordination.internal.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The admin endpoint's JSON writer. */
class JsonTest {
  @Test
  void writesMapsInOrderListsNumbersAndEscapedStrings() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("command", "mntr");
    value.put("error", null);
    value.put("avg", 0.25);
    value.put("nan", Double.NaN);
    value.put("count", 3L);
    value.put("ok", true);
    value.put("paths", List.of("/a", "q\"uote\\back\nline\u0001"));
    value.put("by", Map.of(7L, List.of()));

    assertEquals(
        "{\"command\":\"mntr\",\"error\":null,\"avg\":0.25,\"nan\":null,\"count\":3,\"ok\":true,"
            + "\"paths\":[\"/a\",\"q\\\"uote\\\\back\\nline\\u0001\"],\"by\":{\"7\":[]}}",
        Json.write(value));
  }
}
