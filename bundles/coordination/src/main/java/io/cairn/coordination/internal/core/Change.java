package io.cairn.coordination.internal.core;

/**
 * A change to the tree that may fire watches: ZooKeeper's event types NodeCreated 1, NodeDeleted 2,
 * NodeDataChanged 3, NodeChildrenChanged 4 (for the parent).
 *
 * @param type the event type
 * @param path the znode the event names
 */
public record Change(int type, String path) {
  public static final int NODE_CREATED = 1;
  public static final int NODE_DELETED = 2;
  public static final int NODE_DATA_CHANGED = 3;
  public static final int NODE_CHILDREN_CHANGED = 4;
}
