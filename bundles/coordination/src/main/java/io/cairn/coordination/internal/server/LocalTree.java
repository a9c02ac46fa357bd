package io.cairn.coordination.internal.server;

import io.cairn.coordination.internal.jute.Stat;
import java.util.List;

/**
 * A read-only view of this node's applied tree, registered by the coordination component for the
 * {@code zk:} shell commands. Reads are local (no read barrier), like a ZooKeeper read without
 * {@code sync}, and carry no credentials: a node whose ACL denies world:anyone READ is refused.
 */
@FunctionalInterface
public interface LocalTree {
  /**
   * The znode at {@code path}, or null when there is none (ZooKeeper's NONODE).
   *
   * @throws IllegalArgumentException with a sentence when the path is invalid or the ACL refuses
   */
  Znode read(String path);

  /**
   * A copy of one znode.
   *
   * @param path its path
   * @param data its data, empty when it has none
   * @param stat its metadata
   * @param children its children's names, sorted
   */
  record Znode(String path, byte[] data, Stat stat, List<String> children) {
    public Znode {
      data = data == null ? new byte[0] : data.clone();
      children = List.copyOf(children);
    }
  }
}
