package io.cairn.coordination.internal.core;

import io.cairn.coordination.internal.jute.Acl;
import io.cairn.coordination.internal.jute.JuteDecodeException;
import io.cairn.coordination.internal.jute.JuteInput;
import io.cairn.coordination.internal.jute.JuteOutput;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The snapshot format of the coordination state: magic, version, last zxid, the sessions by id,
 * then every znode sorted by path (parents first) with all its fields. Deterministic: the same
 * state gives the same bytes on every node.
 */
final class Snapshots {
  private static final int MAGIC = 0x435a4b31; // "CZK1"

  private Snapshots() {}

  static byte[] write(long lastZxid, TreeMap<Long, Session> sessions, DataTree tree) {
    JuteOutput out = new JuteOutput();
    out.writeInt(MAGIC).writeLong(lastZxid).writeInt(sessions.size());
    for (Session session : sessions.values()) {
      out.writeLong(session.id()).writeInt(session.timeoutMs()).writeBuffer(session.password());
    }
    List<String> paths = tree.sortedPaths();
    out.writeInt(paths.size());
    for (String path : paths) {
      Node node = tree.node(path);
      out.writeString(path).writeBuffer(node.data);
      Acl.writeList(out, node.acl);
      out.writeLong(node.czxid).writeLong(node.mzxid).writeLong(node.ctime).writeLong(node.mtime);
      out.writeInt(node.version).writeInt(node.childCreates).writeInt(node.aversion);
      out.writeLong(node.owner).writeLong(node.pzxid);
    }
    return out.toByteArray();
  }

  /** Reads a snapshot into {@code sessions} and {@code tree}; returns its last zxid. */
  static long read(byte[] bytes, TreeMap<Long, Session> sessions, DataTree tree)
      throws JuteDecodeException {
    JuteInput in = new JuteInput(bytes);
    if (in.readInt() != MAGIC) {
      throw new JuteDecodeException("not a coordination snapshot");
    }
    long lastZxid = in.readLong();
    TreeMap<Long, Session> readSessions = new TreeMap<>();
    int sessionCount = in.readVectorCount(12);
    for (int i = 0; i < sessionCount; i++) {
      long id = in.readLong();
      readSessions.put(id, new Session(id, in.readInt(), in.readBuffer()));
    }
    int nodeCount = in.readVectorCount(8);
    Map<String, Node> nodes = new LinkedHashMap<>();
    for (int i = 0; i < nodeCount; i++) {
      String path = in.readString();
      Node node = new Node();
      node.data = in.readBuffer();
      node.acl = Acl.readList(in);
      node.czxid = in.readLong();
      node.mzxid = in.readLong();
      node.ctime = in.readLong();
      node.mtime = in.readLong();
      node.version = in.readInt();
      node.childCreates = in.readInt();
      node.aversion = in.readInt();
      node.owner = in.readLong();
      node.pzxid = in.readLong();
      nodes.put(path, node);
    }
    if (!nodes.containsKey("/")) {
      throw new JuteDecodeException("snapshot has no root");
    }
    sessions.clear();
    sessions.putAll(readSessions);
    tree.replaceWith(nodes);
    return lastZxid;
  }
}
