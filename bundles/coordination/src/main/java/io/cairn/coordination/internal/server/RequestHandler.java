package io.cairn.coordination.internal.server;

import io.cairn.coordination.internal.core.Command;
import io.cairn.coordination.internal.core.DataTree;
import io.cairn.coordination.internal.core.Reads;
import io.cairn.coordination.internal.core.Result;
import io.cairn.coordination.internal.core.WatchTable;
import io.cairn.coordination.internal.jute.Code;
import io.cairn.coordination.internal.jute.Frames;
import io.cairn.coordination.internal.jute.Frames.RequestFrame;
import io.cairn.coordination.internal.jute.Id;
import io.cairn.coordination.internal.jute.OpCode;
import io.cairn.coordination.internal.jute.Requests.Auth;
import io.cairn.coordination.internal.jute.Requests.Multi;
import io.cairn.coordination.internal.jute.Requests.Op;
import io.cairn.coordination.internal.jute.Requests.PathInt;
import io.cairn.coordination.internal.jute.Requests.PathOnly;
import io.cairn.coordination.internal.jute.Requests.PathWatch;
import io.cairn.coordination.internal.jute.Requests.SetWatches;
import io.cairn.coordination.internal.jute.Responses.IntResponse;
import io.cairn.coordination.internal.jute.Responses.MultiResponse;
import io.cairn.coordination.internal.jute.Responses.OpResult;
import io.cairn.coordination.internal.jute.Responses.WhoAmIResponse;
import io.cairn.coordination.internal.jute.Stat;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Dispatches one request of a connected client by opcode: reads from the local tree, writes and
 * closeSession through the log, sync through the read barrier, auth, watches. Called with the
 * server's lock held, only when the connection's ordering rules let the request start; replies of
 * asynchronous requests go through {@link CoordinationServer#complete}.
 */
final class RequestHandler {
  private final CoordinationServer server;

  RequestHandler(CoordinationServer server) {
    this.server = server;
  }

  /** True for the requests that are proposed to the log (they may be pipelined). */
  static boolean isWrite(int type) {
    return switch (type) {
      case OpCode.CREATE,
          OpCode.CREATE2,
          OpCode.CREATE_CONTAINER,
          OpCode.CREATE_TTL,
          OpCode.DELETE,
          OpCode.SET_DATA,
          OpCode.SET_ACL,
          OpCode.MULTI,
          OpCode.CHECK,
          OpCode.CLOSE_SESSION ->
          true;
      default -> false;
    };
  }

  /** Starts one request; the server has checked that it may start now. */
  void handle(Connection connection, RequestFrame frame) {
    server.touch(connection);
    if (!connection.connected) {
      server.close(connection);
      return;
    }
    int type = frame.type();
    switch (type) {
      case OpCode.PING -> reply(connection, OpCode.XID_PING, Result.ok(null));
      case OpCode.AUTH -> auth(connection, (Auth) frame.body());
      case OpCode.SET_WATCHES, OpCode.SET_WATCHES2 -> setWatches(connection, frame);
      case OpCode.CREATE,
          OpCode.CREATE2,
          OpCode.CREATE_CONTAINER,
          OpCode.CREATE_TTL,
          OpCode.DELETE,
          OpCode.SET_DATA,
          OpCode.SET_ACL,
          OpCode.MULTI,
          OpCode.CHECK ->
          write(connection, frame);
      case OpCode.CLOSE_SESSION -> {
        connection.closingSession = true;
        byte[] command =
            Command.encode(
                new Command.CloseSession(connection.sessionId, server.clock.wallMillis()));
        server.proposeWrite(connection, frame.xid(), command, true);
      }
      case OpCode.SYNC -> server.sync(connection, frame.xid(), (PathOnly) frame.body());
      default -> reply(connection, frame.xid(), read(connection, frame));
    }
  }

  private void write(Connection connection, RequestFrame frame) {
    Command command =
        new Command.Write(
            connection.sessionId,
            server.clock.wallMillis(),
            connection.callerIds,
            frame.type(),
            frame.body());
    server.proposeWrite(connection, frame.xid(), Command.encode(command), false);
  }

  private Result read(Connection connection, RequestFrame frame) {
    DataTree tree = server.core.tree();
    int type = frame.type();
    return switch (type) {
      case OpCode.GET_DATA, OpCode.EXISTS, OpCode.GET_CHILDREN, OpCode.GET_CHILDREN2 ->
          watchedRead(connection, type, (PathWatch) frame.body());
      case OpCode.GET_ACL, OpCode.GET_ALL_CHILDREN_NUMBER ->
          Reads.read(tree, type, ((PathOnly) frame.body()).path(), connection.callerIds);
      case OpCode.GET_EPHEMERALS ->
          Reads.ephemerals(tree, connection.sessionId, ((PathOnly) frame.body()).path());
      case OpCode.WHO_AM_I -> Result.ok(new WhoAmIResponse(clientInfo(connection)));
      case OpCode.MULTI_READ -> multiRead(connection, (Multi) frame.body());
      case OpCode.ADD_WATCH -> addWatch(connection, (PathInt) frame.body());
      case OpCode.CHECK_WATCHES, OpCode.REMOVE_WATCHES ->
          watchesQuery(connection, type, (PathInt) frame.body());
      default -> Result.error(Code.UNIMPLEMENTED);
    };
  }

  /** getData/exists/getChildren(2), registering the watch as ZooKeeper does on success. */
  private Result watchedRead(Connection connection, int type, PathWatch request) {
    Result result = Reads.read(server.core.tree(), type, request.path(), connection.callerIds);
    if (request.watch()) {
      boolean existWatch = type == OpCode.EXISTS && result.err() == Code.NO_NODE;
      if (result.isOk() || existWatch) {
        int kind =
            type == OpCode.GET_CHILDREN || type == OpCode.GET_CHILDREN2
                ? WatchTable.CHILD
                : WatchTable.DATA;
        server.watches.add(connection.id, request.path(), kind);
      }
    }
    return result;
  }

  private Result multiRead(Connection connection, Multi multi) {
    List<OpResult> results = new ArrayList<>();
    for (Op op : multi.ops()) {
      Result result = watchedRead(connection, op.type(), (PathWatch) op.request());
      results.add(
          result.isOk()
              ? new OpResult(op.type(), 0, result.body())
              : new OpResult(OpCode.ERROR, result.err(), null));
    }
    return Result.ok(new MultiResponse(results));
  }

  private Result addWatch(Connection connection, PathInt request) {
    if (request.path() == null
        || !io.cairn.coordination.internal.core.Paths.valid(request.path(), false)) {
      return Result.error(Code.BAD_ARGUMENTS);
    }
    int kind =
        switch (request.value()) {
          case 0 -> WatchTable.PERSISTENT;
          case 1 -> WatchTable.RECURSIVE;
          default -> 0;
        };
    if (kind == 0) {
      return Result.error(Code.BAD_ARGUMENTS);
    }
    server.watches.add(connection.id, request.path(), kind);
    return Result.ok(new IntResponse(0));
  }

  private Result watchesQuery(Connection connection, int type, PathInt request) {
    int bits = WatchTable.bitsOfWatcherType(request.value());
    boolean found =
        type == OpCode.CHECK_WATCHES
            ? server.watches.has(connection.id, request.path(), bits)
            : server.watches.remove(connection.id, request.path(), bits);
    return found ? Result.ok(null) : Result.error(Code.NO_WATCHER);
  }

  private static List<Id> clientInfo(Connection connection) {
    List<Id> info = new ArrayList<>();
    for (Id id : connection.callerIds) {
      String user =
          id.scheme().equals("digest") ? id.id().substring(0, id.id().indexOf(':')) : id.id();
      info.add(new Id(id.scheme(), user));
    }
    return info;
  }

  /** Digest auth ("user:password"); any other scheme fails the connection with AuthFailed. */
  private void auth(Connection connection, Auth auth) {
    String credentials = auth.auth() == null ? "" : new String(auth.auth(), StandardCharsets.UTF_8);
    int colon = credentials.indexOf(':');
    if (!"digest".equals(auth.scheme()) || colon <= 0) {
      server.touch(connection);
      connection.channel.send(Frames.encodeReply(OpCode.XID_AUTH, 0, Code.AUTH_FAILED, null));
      server.close(connection);
      return;
    }
    Id id = new Id("digest", credentials.substring(0, colon) + ":" + digest(credentials));
    if (!connection.callerIds.contains(id)) {
      connection.callerIds.add(id);
    }
    connection.channel.send(Frames.encodeReply(OpCode.XID_AUTH, 0, Code.OK, null));
  }

  /** base64(sha1("user:password")), ZooKeeper's DigestAuthenticationProvider.generateDigest. */
  static String digest(String credentials) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-1").digest(credentials.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK must provide SHA-1", e);
    }
  }

  /**
   * SetWatches on reconnect: fires what was missed since {@code relativeZxid} at once, registers
   * the rest ({@code DataTree.setWatches}); persistent watches are only re-registered.
   */
  private void setWatches(Connection connection, RequestFrame frame) {
    SetWatches request = (SetWatches) frame.body();
    long relative = request.relativeZxid();
    DataTree tree = server.core.tree();
    for (String path : nonNull(request.data())) {
      Stat stat = tree.stat(path);
      if (stat == null) {
        server.notify(connection, 2, path);
      } else if (stat.mzxid() > relative) {
        server.notify(connection, 3, path);
      } else {
        server.watches.add(connection.id, path, WatchTable.DATA);
      }
    }
    for (String path : nonNull(request.exist())) {
      if (tree.stat(path) != null) {
        server.notify(connection, 1, path);
      } else {
        server.watches.add(connection.id, path, WatchTable.DATA);
      }
    }
    for (String path : nonNull(request.child())) {
      Stat stat = tree.stat(path);
      if (stat == null) {
        server.notify(connection, 2, path);
      } else if (stat.pzxid() > relative) {
        server.notify(connection, 4, path);
      } else {
        server.watches.add(connection.id, path, WatchTable.CHILD);
      }
    }
    for (String path : nonNull(request.persistent())) {
      server.watches.add(connection.id, path, WatchTable.PERSISTENT);
    }
    for (String path : nonNull(request.persistentRecursive())) {
      server.watches.add(connection.id, path, WatchTable.RECURSIVE);
    }
    // The 3.9 client sends SetWatches with an ordinary xid and matches the reply by it.
    reply(connection, frame.xid(), Result.ok(null));
  }

  private static List<String> nonNull(List<String> paths) {
    return paths == null ? List.of() : paths;
  }

  private void reply(Connection connection, int xid, Result result) {
    connection.channel.send(
        Frames.encodeReply(xid, server.core.lastZxid(), result.err(), result.body()));
  }
}
