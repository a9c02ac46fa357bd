package io.cairn.coordination.internal.jute;

import java.util.ArrayList;
import java.util.List;

/**
 * The request records of zookeeper.jute that clients send after the connect handshake, and their
 * codec by opcode. Records are shared by the wire and by the replicated-log commands, so that a
 * write is logged in the very encoding the client sent.
 *
 * <p>Layouts (zookeeper.jute, package {@code org.apache.zookeeper.proto}): CreateRequest{path,
 * data, acl, flags}, CreateTTLRequest adds {@code long ttl}; DeleteRequest{path, version};
 * Exists/GetData/GetChildren/GetChildren2Request{path, watch}; SetDataRequest{path, data, version};
 * GetACLRequest/SyncRequest/GetEphemeralsRequest/GetAllChildrenNumberRequest{path};
 * SetACLRequest{path, acl, version}; CheckVersionRequest{path, version}; SetWatches{relativeZxid,
 * data, exist, child} and SetWatches2 adds {persistent, persistentRecursive}; AddWatchRequest{path,
 * mode}; Check/RemoveWatchesRequest{path, type}; AuthPacket{type, scheme, auth}; multi =
 * MultiHeader{type, done, err} + op, ended by {-1, true, -1}.
 */
public final class Requests {
  private Requests() {}

  /** Any request body. */
  public sealed interface Request
      permits Create,
          Delete,
          PathWatch,
          SetData,
          PathOnly,
          SetAcl,
          CheckVersion,
          Multi,
          SetWatches,
          PathInt,
          Auth,
          Empty {}

  /** create, create2, createContainer, createTTL; {@code ttl} is 0 unless the op is createTTL. */
  public record Create(String path, byte[] data, List<Acl> acl, int flags, long ttl)
      implements Request {}

  /** delete. */
  public record Delete(String path, int version) implements Request {}

  /** exists, getData, getChildren, getChildren2. */
  public record PathWatch(String path, boolean watch) implements Request {}

  /** setData. */
  public record SetData(String path, byte[] data, int version) implements Request {}

  /** getACL, sync, getEphemerals (prefix path), getAllChildrenNumber. */
  public record PathOnly(String path) implements Request {}

  /** setACL. */
  public record SetAcl(String path, List<Acl> acl, int version) implements Request {}

  /** check (inside multi). */
  public record CheckVersion(String path, int version) implements Request {}

  /** multi and multiRead: the ops in order. */
  public record Multi(List<Op> ops) implements Request {
    public Multi {
      ops = List.copyOf(ops);
    }
  }

  /** One op of a multi: its opcode and body. */
  public record Op(int type, Request request) {}

  /** setWatches and setWatches2 (the two persistent lists are empty for setWatches). */
  public record SetWatches(
      long relativeZxid,
      List<String> data,
      List<String> exist,
      List<String> child,
      List<String> persistent,
      List<String> persistentRecursive)
      implements Request {}

  /** addWatch (mode), checkWatches and removeWatches (watcher type). */
  public record PathInt(String path, int value) implements Request {}

  /** auth packet. */
  public record Auth(int type, String scheme, byte[] auth) implements Request {}

  /** ping, closeSession, whoAmI and unknown opcodes: no body is read. */
  public record Empty() implements Request {}

  /** True for the opcodes whose body this codec knows. */
  public static boolean known(int type) {
    return switch (type) {
      case OpCode.CREATE,
          OpCode.CREATE2,
          OpCode.CREATE_CONTAINER,
          OpCode.CREATE_TTL,
          OpCode.DELETE,
          OpCode.EXISTS,
          OpCode.GET_DATA,
          OpCode.GET_CHILDREN,
          OpCode.GET_CHILDREN2,
          OpCode.SET_DATA,
          OpCode.GET_ACL,
          OpCode.SYNC,
          OpCode.GET_EPHEMERALS,
          OpCode.GET_ALL_CHILDREN_NUMBER,
          OpCode.SET_ACL,
          OpCode.CHECK,
          OpCode.MULTI,
          OpCode.MULTI_READ,
          OpCode.SET_WATCHES,
          OpCode.SET_WATCHES2,
          OpCode.ADD_WATCH,
          OpCode.CHECK_WATCHES,
          OpCode.REMOVE_WATCHES,
          OpCode.AUTH,
          OpCode.PING,
          OpCode.CLOSE_SESSION,
          OpCode.WHO_AM_I,
          OpCode.DELETE_CONTAINER ->
          true;
      default -> false;
    };
  }

  /** Decodes the body of a request of {@code type}; unknown types yield {@link Empty}. */
  public static Request read(int type, JuteInput in) throws JuteDecodeException {
    return switch (type) {
      case OpCode.CREATE, OpCode.CREATE2, OpCode.CREATE_CONTAINER ->
          new Create(in.readString(), in.readBuffer(), Acl.readList(in), in.readInt(), 0);
      case OpCode.CREATE_TTL ->
          new Create(
              in.readString(), in.readBuffer(), Acl.readList(in), in.readInt(), in.readLong());
      case OpCode.DELETE -> new Delete(in.readString(), in.readInt());
      case OpCode.EXISTS, OpCode.GET_DATA, OpCode.GET_CHILDREN, OpCode.GET_CHILDREN2 ->
          new PathWatch(in.readString(), in.readBool());
      case OpCode.SET_DATA -> new SetData(in.readString(), in.readBuffer(), in.readInt());
      case OpCode.GET_ACL,
          OpCode.SYNC,
          OpCode.GET_EPHEMERALS,
          OpCode.GET_ALL_CHILDREN_NUMBER,
          OpCode.DELETE_CONTAINER ->
          new PathOnly(in.readString());
      case OpCode.SET_ACL -> new SetAcl(in.readString(), Acl.readList(in), in.readInt());
      case OpCode.CHECK -> new CheckVersion(in.readString(), in.readInt());
      case OpCode.MULTI, OpCode.MULTI_READ -> readMulti(type, in);
      case OpCode.SET_WATCHES ->
          new SetWatches(
              in.readLong(),
              in.readStringVector(),
              in.readStringVector(),
              in.readStringVector(),
              List.of(),
              List.of());
      case OpCode.SET_WATCHES2 ->
          new SetWatches(
              in.readLong(),
              in.readStringVector(),
              in.readStringVector(),
              in.readStringVector(),
              in.readStringVector(),
              in.readStringVector());
      case OpCode.ADD_WATCH, OpCode.CHECK_WATCHES, OpCode.REMOVE_WATCHES ->
          new PathInt(in.readString(), in.readInt());
      case OpCode.AUTH -> new Auth(in.readInt(), in.readString(), in.readBuffer());
      default -> new Empty();
    };
  }

  private static Multi readMulti(int type, JuteInput in) throws JuteDecodeException {
    List<Op> ops = new ArrayList<>();
    while (true) {
      int opType = in.readInt();
      boolean done = in.readBool();
      in.readInt(); // err, always -1 in requests
      if (done) {
        return new Multi(ops);
      }
      if (!allowedInMulti(type, opType)) {
        throw new JuteDecodeException("op type " + opType + " is not allowed in multi " + type);
      }
      ops.add(new Op(opType, read(opType, in)));
    }
  }

  private static boolean allowedInMulti(int multiType, int opType) {
    if (multiType == OpCode.MULTI_READ) {
      return opType == OpCode.GET_CHILDREN || opType == OpCode.GET_DATA;
    }
    return switch (opType) {
      case OpCode.CREATE,
          OpCode.CREATE2,
          OpCode.CREATE_CONTAINER,
          OpCode.CREATE_TTL,
          OpCode.DELETE,
          OpCode.SET_DATA,
          OpCode.CHECK ->
          true;
      default -> false;
    };
  }

  /** Encodes the body of a request of {@code type}, the inverse of {@link #read}. */
  public static void write(int type, Request request, JuteOutput out) {
    if (request instanceof Create c) {
      out.writeString(c.path()).writeBuffer(c.data());
      Acl.writeList(out, c.acl());
      out.writeInt(c.flags());
      if (type == OpCode.CREATE_TTL) {
        out.writeLong(c.ttl());
      }
    } else if (request instanceof Delete d) {
      out.writeString(d.path()).writeInt(d.version());
    } else if (request instanceof PathWatch p) {
      out.writeString(p.path()).writeBool(p.watch());
    } else if (request instanceof SetData s) {
      out.writeString(s.path()).writeBuffer(s.data()).writeInt(s.version());
    } else if (request instanceof PathOnly p) {
      out.writeString(p.path());
    } else if (request instanceof SetAcl s) {
      out.writeString(s.path());
      Acl.writeList(out, s.acl());
      out.writeInt(s.version());
    } else if (request instanceof CheckVersion c) {
      out.writeString(c.path()).writeInt(c.version());
    } else if (request instanceof Multi m) {
      writeMulti(m, out);
    } else if (request instanceof SetWatches w) {
      writeSetWatches(type, w, out);
    } else if (request instanceof PathInt p) {
      out.writeString(p.path()).writeInt(p.value());
    } else if (request instanceof Auth a) {
      out.writeInt(a.type()).writeString(a.scheme()).writeBuffer(a.auth());
    }
  }

  private static void writeMulti(Multi multi, JuteOutput out) {
    for (Op op : multi.ops()) {
      out.writeInt(op.type()).writeBool(false).writeInt(-1);
      write(op.type(), op.request(), out);
    }
    out.writeInt(-1).writeBool(true).writeInt(-1);
  }

  private static void writeSetWatches(int type, SetWatches w, JuteOutput out) {
    out.writeLong(w.relativeZxid());
    out.writeStringVector(w.data()).writeStringVector(w.exist()).writeStringVector(w.child());
    if (type == OpCode.SET_WATCHES2) {
      out.writeStringVector(w.persistent()).writeStringVector(w.persistentRecursive());
    }
  }
}
