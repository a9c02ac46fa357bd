package io.cairn.coordination.internal.core;

import io.cairn.coordination.internal.jute.Acl;
import io.cairn.coordination.internal.jute.Stat;
import java.util.List;
import java.util.TreeSet;

/**
 * One znode, mutable, owned by {@link DataTree} and only touched on the apply thread.
 *
 * <p>{@code childCreates} is ZooKeeper's internal cversion: children ever created (deletes do not
 * count); it names sequential children. Clients see {@code 2 * childCreates - numChildren}, which
 * is creates + deletes ({@code DataNode.copyStat}). {@code owner} is ZooKeeper's raw ephemeral
 * owner: a session id, {@link #CONTAINER}, or {@link #TTL_MARK} | ttl.
 */
final class Node {
  static final long CONTAINER = Long.MIN_VALUE;
  static final long TTL_MARK = 0xFF00000000000000L;
  static final long TTL_MAX_MS = (1L << 40) - 1;

  byte[] data;
  List<Acl> acl;
  long czxid;
  long mzxid;
  long ctime;
  long mtime;
  int version;
  int childCreates;
  int aversion;
  long owner;
  long pzxid;
  final TreeSet<String> children = new TreeSet<>();

  boolean isContainer() {
    return owner == CONTAINER;
  }

  boolean isTtl() {
    return owner != CONTAINER && (owner & TTL_MARK) == TTL_MARK;
  }

  /** The session owning this ephemeral, or 0. */
  long ephemeralSession() {
    return isContainer() || isTtl() ? 0 : owner;
  }

  long ttlMs() {
    return owner & ~TTL_MARK;
  }

  Stat stat() {
    return new Stat(
        czxid,
        mzxid,
        ctime,
        mtime,
        version,
        2 * childCreates - children.size(),
        aversion,
        ephemeralSession(),
        data == null ? 0 : data.length,
        children.size(),
        pzxid);
  }
}
