package io.cairn.coordination.internal.jute;

import java.util.List;

/**
 * Response records of zookeeper.jute, each written in declaration order: CreateResponse{path},
 * Create2Response{path, stat}, Exists/SetData/SetACLResponse{stat}, GetDataResponse{data, stat},
 * GetChildrenResponse{children}, GetChildren2Response{children, stat}, GetACLResponse{acl, stat},
 * SyncResponse{path}, ErrorResponse{err}, GetAllChildrenNumberResponse{totalNumber},
 * GetEphemeralsResponse{ephemerals}, WhoAmIResponse{clientInfo: {authScheme, user}},
 * WatcherEvent{type, state, path}, and the multi response.
 */
public final class Responses {
  private Responses() {}

  /** CreateResponse and SyncResponse: one path. */
  public record PathResponse(String path) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
      out.writeString(path);
    }
  }

  /** Create2Response. */
  public record Create2Response(String path, Stat stat) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
      out.writeString(path);
      stat.write(out);
    }
  }

  /** ExistsResponse, SetDataResponse, SetACLResponse. */
  public record StatResponse(Stat stat) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
      stat.write(out);
    }
  }

  /** GetDataResponse. */
  public record DataResponse(byte[] data, Stat stat) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
      out.writeBuffer(data);
      stat.write(out);
    }
  }

  /** GetChildrenResponse and GetEphemeralsResponse ({@code stat} null), GetChildren2Response. */
  public record ChildrenResponse(List<String> children, Stat stat) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
      out.writeStringVector(children);
      if (stat != null) {
        stat.write(out);
      }
    }
  }

  /** GetACLResponse. */
  public record AclResponse(List<Acl> acl, Stat stat) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
      Acl.writeList(out, acl);
      stat.write(out);
    }
  }

  /** ErrorResponse and GetAllChildrenNumberResponse: one int. */
  public record IntResponse(int value) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
      out.writeInt(value);
    }
  }

  /** WhoAmIResponse: ClientInfo{authScheme, user} has the layout of an {@link Id}. */
  public record WhoAmIResponse(List<Id> clientInfo) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
      out.writeInt(clientInfo.size());
      for (Id id : clientInfo) {
        id.write(out);
      }
    }
  }

  /** WatcherEvent, sent with xid -1. */
  public record WatcherEvent(int type, int state, String path) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
      out.writeInt(type).writeInt(state).writeString(path);
    }
  }

  /**
   * One result of a multi: {@code type} is the op's opcode, or -1 with {@code err} set for an
   * error; {@code body} is null for delete and check.
   */
  public record OpResult(int type, int err, JuteRecord body) {}

  /** The multi response: MultiHeader{type, false, err} + body per op, then {-1, true, -1}. */
  public record MultiResponse(List<OpResult> results) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
      for (OpResult result : results) {
        out.writeInt(result.type()).writeBool(false).writeInt(result.err());
        if (result.type() == OpCode.ERROR) {
          out.writeInt(result.err());
        } else if (result.body() != null) {
          result.body().write(out);
        }
      }
      out.writeInt(-1).writeBool(true).writeInt(-1);
    }
  }
}
