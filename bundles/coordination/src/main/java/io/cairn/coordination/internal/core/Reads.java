package io.cairn.coordination.internal.core;

import io.cairn.coordination.internal.jute.Acl;
import io.cairn.coordination.internal.jute.Code;
import io.cairn.coordination.internal.jute.Id;
import io.cairn.coordination.internal.jute.OpCode;
import io.cairn.coordination.internal.jute.Responses.AclResponse;
import io.cairn.coordination.internal.jute.Responses.ChildrenResponse;
import io.cairn.coordination.internal.jute.Responses.DataResponse;
import io.cairn.coordination.internal.jute.Responses.IntResponse;
import io.cairn.coordination.internal.jute.Responses.StatResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * The read operations on a {@link DataTree}, with ZooKeeper 3.9's permission checks: READ for
 * getData, getChildren, exists on an existing node (ZOOKEEPER-2590) and getAllChildrenNumber; READ
 * or ADMIN for getACL. Pure with respect to the tree; watch registration is the caller's.
 */
public final class Reads {
  private Reads() {}

  /** getData, exists, getChildren, getChildren2, getACL, getAllChildrenNumber by opcode. */
  public static Result read(DataTree tree, int type, String path, List<Id> callerIds) {
    if (path == null || !Paths.valid(path, false)) {
      return Result.error(Code.BAD_ARGUMENTS);
    }
    Node node = tree.node(path);
    if (node == null) {
      return Result.error(Code.NO_NODE);
    }
    int perm = type == OpCode.GET_ACL ? Acl.READ | Acl.ADMIN : Acl.READ;
    if (!Acls.allowed(node.acl, perm, callerIds)) {
      return Result.error(Code.NO_AUTH);
    }
    return switch (type) {
      case OpCode.GET_DATA -> Result.ok(new DataResponse(node.data, node.stat()));
      case OpCode.EXISTS -> Result.ok(new StatResponse(node.stat()));
      case OpCode.GET_CHILDREN -> Result.ok(new ChildrenResponse(children(node), null));
      case OpCode.GET_CHILDREN2 -> Result.ok(new ChildrenResponse(children(node), node.stat()));
      case OpCode.GET_ACL -> Result.ok(new AclResponse(node.acl, node.stat()));
      case OpCode.GET_ALL_CHILDREN_NUMBER -> Result.ok(new IntResponse(tree.descendants(path)));
      default -> Result.error(Code.UNIMPLEMENTED);
    };
  }

  private static List<String> children(Node node) {
    return new ArrayList<>(node.children);
  }

  /** getEphemerals: the session's ephemerals under {@code prefix}, sorted. */
  public static Result ephemerals(DataTree tree, long sessionId, String prefix) {
    List<String> matching = new ArrayList<>();
    for (String path : tree.ephemeralsOf(sessionId)) {
      if (prefix == null || prefix.equals("/") || path.startsWith(prefix)) {
        matching.add(path);
      }
    }
    return Result.ok(new ChildrenResponse(matching, null));
  }
}
