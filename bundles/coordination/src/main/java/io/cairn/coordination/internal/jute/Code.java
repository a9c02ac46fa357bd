package io.cairn.coordination.internal.jute;

/** ZooKeeper error codes ({@code KeeperException.Code}); notes/zookeeper-protocol.md §4. */
public final class Code {
  public static final int OK = 0;
  public static final int SYSTEM_ERROR = -1;
  public static final int RUNTIME_INCONSISTENCY = -2;
  public static final int MARSHALLING_ERROR = -5;
  public static final int UNIMPLEMENTED = -6;
  public static final int BAD_ARGUMENTS = -8;
  public static final int NO_NODE = -101;
  public static final int NO_AUTH = -102;
  public static final int BAD_VERSION = -103;
  public static final int NO_CHILDREN_FOR_EPHEMERALS = -108;
  public static final int NODE_EXISTS = -110;
  public static final int NOT_EMPTY = -111;
  public static final int SESSION_EXPIRED = -112;
  public static final int INVALID_ACL = -114;
  public static final int AUTH_FAILED = -115;
  public static final int NOT_READ_ONLY = -119;
  public static final int NO_WATCHER = -121;
  public static final int QUOTA_EXCEEDED = -125;

  private Code() {}
}
