package io.cairn.coordination.internal.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The watches held by the connections of this node: not replicated, but triggered by the {@link
 * Change}s of applied commands, exactly as ZooKeeper's {@code WatchManager}.
 *
 * <ul>
 *   <li>DATA (getData, exists): one-shot; NodeCreated, NodeDeleted, NodeDataChanged on its path.
 *   <li>CHILD (getChildren): one-shot; NodeChildrenChanged, and NodeDeleted of its path.
 *   <li>PERSISTENT: every event on its path, repeatedly.
 *   <li>RECURSIVE: NodeCreated, NodeDeleted, NodeDataChanged of its path and every descendant;
 *       never NodeChildrenChanged.
 * </ul>
 *
 * A watcher receives at most one event per change. Single-threaded; deliveries come out in a
 * deterministic order (change order, then watcher id).
 */
public final class WatchTable {
  public static final int DATA = 1;
  public static final int CHILD = 2;
  public static final int PERSISTENT = 4;
  public static final int RECURSIVE = 8;

  /** WatcherType of check/removeWatches: Children 1, Data 2, Any 3, Persistent 4, Recursive 5. */
  public static int bitsOfWatcherType(int watcherType) {
    return switch (watcherType) {
      case 1 -> CHILD;
      case 2 -> DATA;
      case 3 -> DATA | CHILD | PERSISTENT | RECURSIVE;
      case 4 -> PERSISTENT;
      case 5 -> RECURSIVE;
      default -> 0;
    };
  }

  /** One watch as the operator sees it: a watcher's kinds (constants OR-ed) on a path. */
  public record Entry(String path, long watcher, int kinds) {}

  /** One event for one watcher. */
  public record Delivery(long watcher, int type, String path) {}

  private final Map<String, TreeMap<Long, Integer>> byPath = new HashMap<>();
  private final Map<Long, TreeSet<String>> byWatcher = new HashMap<>();
  private int recursiveCount;

  /** Adds watch {@code kind} (one of the constants) for {@code watcher} on {@code path}. */
  public void add(long watcher, String path, int kind) {
    TreeMap<Long, Integer> watchers = byPath.computeIfAbsent(path, p -> new TreeMap<>());
    int old = watchers.getOrDefault(watcher, 0);
    if ((kind & RECURSIVE) != 0 && (old & RECURSIVE) == 0) {
      recursiveCount++;
    }
    watchers.put(watcher, old | kind);
    byWatcher.computeIfAbsent(watcher, w -> new TreeSet<>()).add(path);
  }

  /** True when {@code watcher} holds any of {@code bits} on {@code path}. */
  public boolean has(long watcher, String path, int bits) {
    TreeMap<Long, Integer> watchers = byPath.get(path);
    return watchers != null && (watchers.getOrDefault(watcher, 0) & bits) != 0;
  }

  /** Removes {@code bits} of {@code watcher} on {@code path}; true when something was removed. */
  public boolean remove(long watcher, String path, int bits) {
    TreeMap<Long, Integer> watchers = byPath.get(path);
    if (watchers == null || (watchers.getOrDefault(watcher, 0) & bits) == 0) {
      return false;
    }
    clear(watcher, path, watchers, bits);
    return true;
  }

  private void clear(long watcher, String path, TreeMap<Long, Integer> watchers, int bits) {
    int old = watchers.get(watcher);
    int left = old & ~bits;
    if ((old & RECURSIVE) != 0 && (left & RECURSIVE) == 0) {
      recursiveCount--;
    }
    if (left == 0) {
      watchers.remove(watcher);
      TreeSet<String> paths = byWatcher.get(watcher);
      paths.remove(path);
      if (paths.isEmpty()) {
        byWatcher.remove(watcher);
      }
      if (watchers.isEmpty()) {
        byPath.remove(path);
      }
    } else {
      watchers.put(watcher, left);
    }
  }

  /** Drops every watch of {@code watcher} (its connection closed). */
  public void removeWatcher(long watcher) {
    TreeSet<String> paths = byWatcher.get(watcher);
    if (paths == null) {
      return;
    }
    for (String path : new ArrayList<>(paths)) {
      clear(watcher, path, byPath.get(path), DATA | CHILD | PERSISTENT | RECURSIVE);
    }
  }

  /** Number of (watcher, path) pairs. */
  public int size() {
    int total = 0;
    for (TreeSet<String> paths : byWatcher.values()) {
      total += paths.size();
    }
    return total;
  }

  /** Every watch, sorted by path, then watcher. */
  public List<Entry> entries() {
    List<Entry> all = new ArrayList<>();
    for (String path : new TreeSet<>(byPath.keySet())) {
      for (Map.Entry<Long, Integer> watch : byPath.get(path).entrySet()) {
        all.add(new Entry(path, watch.getKey(), watch.getValue()));
      }
    }
    return all;
  }

  /** Number of distinct watched paths. */
  public int pathCount() {
    return byPath.size();
  }

  /** Number of watchers (connections) holding at least one watch. */
  public int watcherCount() {
    return byWatcher.size();
  }

  /** Fires the watches matching {@code changes}; one-shot watches are consumed. */
  public List<Delivery> trigger(List<Change> changes) {
    List<Delivery> deliveries = new ArrayList<>();
    for (Change change : changes) {
      TreeMap<Long, Integer> targets = new TreeMap<>();
      collectExact(change, targets);
      if (recursiveCount > 0 && change.type() != Change.NODE_CHILDREN_CHANGED) {
        collectRecursive(change.path(), targets);
      }
      for (Map.Entry<Long, Integer> target : targets.entrySet()) {
        deliveries.add(new Delivery(target.getKey(), change.type(), change.path()));
      }
    }
    return deliveries;
  }

  private void collectExact(Change change, TreeMap<Long, Integer> targets) {
    TreeMap<Long, Integer> watchers = byPath.get(change.path());
    if (watchers == null) {
      return;
    }
    int oneShot =
        switch (change.type()) {
          case Change.NODE_CHILDREN_CHANGED -> CHILD;
          case Change.NODE_DELETED -> DATA | CHILD;
          default -> DATA;
        };
    int matching = oneShot | PERSISTENT;
    if (change.type() != Change.NODE_CHILDREN_CHANGED) {
      matching |= RECURSIVE;
    }
    for (Map.Entry<Long, Integer> entry : new ArrayList<>(watchers.entrySet())) {
      if ((entry.getValue() & matching) != 0) {
        targets.put(entry.getKey(), 1);
        if ((entry.getValue() & oneShot) != 0) {
          clear(entry.getKey(), change.path(), watchers, oneShot);
        }
      }
    }
  }

  private void collectRecursive(String path, TreeMap<Long, Integer> targets) {
    String current = path;
    while (!current.equals("/")) {
      current = Paths.parent(current);
      TreeMap<Long, Integer> watchers = byPath.get(current);
      if (watchers != null) {
        for (Map.Entry<Long, Integer> entry : watchers.entrySet()) {
          if ((entry.getValue() & RECURSIVE) != 0) {
            targets.put(entry.getKey(), 1);
          }
        }
      }
    }
  }
}
