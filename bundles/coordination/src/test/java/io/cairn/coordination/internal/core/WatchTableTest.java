package io.cairn.coordination.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.coordination.internal.core.WatchTable.Delivery;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Watch semantics of ZooKeeper's WatchManager: one-shot, persistent, recursive, dedup. */
class WatchTableTest {
  private final WatchTable table = new WatchTable();

  private static List<Change> create(String path) {
    return List.of(
        new Change(Change.NODE_CREATED, path),
        new Change(Change.NODE_CHILDREN_CHANGED, Paths.parent(path)));
  }

  private static List<Change> delete(String path) {
    return List.of(
        new Change(Change.NODE_DELETED, path),
        new Change(Change.NODE_CHILDREN_CHANGED, Paths.parent(path)));
  }

  @Test
  void oneShotWatchesFireOnceAndOnlyForTheirKind() {
    table.add(1, "/a", WatchTable.DATA);
    table.add(2, "/", WatchTable.CHILD);
    assertEquals(
        List.of(
            new Delivery(1, Change.NODE_CREATED, "/a"),
            new Delivery(2, Change.NODE_CHILDREN_CHANGED, "/")),
        table.trigger(create("/a")));
    assertEquals(List.of(), table.trigger(delete("/a")));
    assertEquals(0, table.size());
  }

  @Test
  void aDeleteReachesDataAndChildWatchersOnce() {
    table.add(1, "/a", WatchTable.DATA);
    table.add(1, "/a", WatchTable.CHILD);
    table.add(2, "/a", WatchTable.CHILD);
    assertEquals(
        List.of(
            new Delivery(1, Change.NODE_DELETED, "/a"), new Delivery(2, Change.NODE_DELETED, "/a")),
        table.trigger(delete("/a")));
  }

  @Test
  void persistentWatchesStayAndRecursiveOnesSkipChildEvents() {
    table.add(1, "/p", WatchTable.PERSISTENT);
    table.add(2, "/p", WatchTable.RECURSIVE);
    List<Delivery> first = table.trigger(create("/p/c"));
    assertEquals(
        List.of(
            new Delivery(2, Change.NODE_CREATED, "/p/c"),
            new Delivery(1, Change.NODE_CHILDREN_CHANGED, "/p")),
        first);
    assertEquals(
        List.of(
            new Delivery(1, Change.NODE_DATA_CHANGED, "/p"),
            new Delivery(2, Change.NODE_DATA_CHANGED, "/p")),
        table.trigger(List.of(new Change(Change.NODE_DATA_CHANGED, "/p"))));
    assertTrue(table.remove(2, "/p", WatchTable.bitsOfWatcherType(5)));
    assertFalse(table.has(2, "/p", WatchTable.RECURSIVE));
    assertEquals(
        List.of(), table.trigger(create("/p/c/d")).stream().filter(d -> d.watcher() == 2).toList());
  }

  @Test
  void closingAConnectionDropsAllItsWatches() {
    table.add(7, "/x", WatchTable.DATA);
    table.add(7, "/y", WatchTable.RECURSIVE);
    table.removeWatcher(7);
    assertEquals(0, table.size());
    assertEquals(List.of(), table.trigger(create("/y/z")));
  }
}
