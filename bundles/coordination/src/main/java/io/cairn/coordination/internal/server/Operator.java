package io.cairn.coordination.internal.server;

import io.cairn.coordination.internal.jute.Stat;
import java.util.List;

/**
 * What the {@code zk:} shell commands may do on this node, registered as a service by the
 * coordination component. Reads are local (this node's applied tree, no read barrier); writes go
 * through this node's {@link OperatorSession}, i.e. the replicated log, like any client's.
 * Failures are {@link OperatorException}s or {@link IllegalArgumentException}s with one sentence.
 */
public interface Operator extends LocalTree {
  /**
   * Creates a znode with world:anyone ACL; returns its path (with the sequence suffix if any).
   *
   * @param ephemeral owned by the operator session: it goes when the service stops on this node
   */
  String create(String path, byte[] data, boolean ephemeral, boolean sequential);

  /** Sets a znode's data if its version is {@code version} (-1: any); returns the new stat. */
  Stat set(String path, byte[] data, int version);

  /**
   * Deletes a znode at {@code version} (-1: any); with {@code recursive} its descendants first.
   *
   * @return the number of znodes deleted
   */
  int delete(String path, int version, boolean recursive);

  /** Every live session. */
  List<Introspection.SessionInfo> sessions();

  /** This node's watches. */
  List<Introspection.WatchInfo> watches();

  /** The operator session's id, 0 before its first write. */
  long operatorSessionId();
}
