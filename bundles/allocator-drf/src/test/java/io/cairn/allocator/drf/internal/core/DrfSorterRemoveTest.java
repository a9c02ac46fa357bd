package io.cairn.allocator.drf.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.allocator.Quantities;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link DrfSorter#removeTopLevelLeaf}: what the allocation step uses to shorten stage 1. */
class DrfSorterRemoveTest {
  private static final Quantities TOTAL = new Quantities(100_000, 100_000, 0, 0);

  @Test
  @DisplayName("removing a top-level leaf keeps the order of the others, and its payload goes")
  void removeTopLevelLeafKeepsOrder() {
    DrfSorter sorter = new DrfSorter(TOTAL, Map.of("c", 2.0), true);
    sorter.add("a", new Quantities(3_000, 0, 0, 0), 1);
    sorter.add("b", new Quantities(2_000, 0, 0, 0), 1);
    sorter.add("c", new Quantities(5_000, 0, 0, 0), 1);
    sorter.add("d", Quantities.ZERO, 0);
    for (String client : List.of("a", "b", "c", "d")) {
      sorter.attach(client, client.toUpperCase());
    }
    assertEquals(List.of("d", "b", "c", "a"), sorter.sort());

    assertTrue(sorter.removeTopLevelLeaf("b"));
    sorter.allocated("d", new Quantities(2_600, 0, 0, 0));
    assertEquals(List.of("c", "d", "a"), sorter.sort());
    List<String> payloads = new ArrayList<>();
    sorter.<String>payloads().forEach(payloads::add);
    assertEquals(List.of("C", "D", "A"), payloads);
    assertFalse(sorter.removeTopLevelLeaf("b"), "already removed");
  }

  @Test
  @DisplayName("nested roles, parents and unknown clients are not removed")
  void onlyTopLevelLeaves() {
    DrfSorter sorter = new DrfSorter(TOTAL, Map.of(), true);
    sorter.add("eng", Quantities.ZERO, 0);
    sorter.add("eng/web", new Quantities(1_000, 0, 0, 0), 1);
    sorter.add("ops", Quantities.ZERO, 0);
    assertFalse(sorter.removeTopLevelLeaf("eng/web"));
    assertFalse(sorter.removeTopLevelLeaf("eng"));
    assertFalse(sorter.removeTopLevelLeaf("nobody"));
    assertEquals(List.of("ops", "eng", "eng/web"), sorter.sort());
  }
}
