package io.cairn.coordination.internal.command;

import io.cairn.coordination.internal.jute.Stat;
import io.cairn.coordination.internal.server.Introspection.SessionInfo;
import io.cairn.coordination.internal.server.Introspection.WatchInfo;
import io.cairn.coordination.internal.server.LocalTree;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The text of the {@code zk:} commands, kept apart so tests can check it without a shell. */
public final class ZnodeText {
  /** Sentence printed where the coordination service does not run. */
  static final String NO_TREE =
      "No coordination service runs on this node (it is not a master, or it has not started).";

  private ZnodeText() {}

  /** ZooKeeper's NONODE in words. */
  public static String noNode(String path) {
    return "no node " + path;
  }

  /** Children one per line, or "(no children)". */
  public static String children(LocalTree.Znode znode) {
    return znode.children().isEmpty() ? "(no children)" : String.join("\n", znode.children());
  }

  /** The data (UTF-8 when printable, else a hex dump), a blank line, then the stat. */
  public static String data(LocalTree.Znode znode) {
    byte[] data = znode.data();
    String shown = data.length == 0 ? "(no data)" : printable(data) ? utf8(data) : hex(data);
    return shown + "\n\n" + stat(znode.stat());
  }

  /** The 11 Stat fields, named as zkCli names them, aligned. */
  public static String stat(Stat stat) {
    StringBuilder text = new StringBuilder();
    row(text, "cZxid", zxid(stat.czxid()));
    row(text, "ctime", time(stat.ctime()));
    row(text, "mZxid", zxid(stat.mzxid()));
    row(text, "mtime", time(stat.mtime()));
    row(text, "pZxid", zxid(stat.pzxid()));
    row(text, "cversion", String.valueOf(stat.cversion()));
    row(text, "dataVersion", String.valueOf(stat.version()));
    row(text, "aclVersion", String.valueOf(stat.aversion()));
    row(text, "ephemeralOwner", zxid(stat.ephemeralOwner()));
    row(text, "dataLength", String.valueOf(stat.dataLength()));
    row(text, "numChildren", String.valueOf(stat.numChildren()));
    return text.toString().stripTrailing();
  }

  /** The answer to a create: the path made (with its sequence suffix, if any). */
  public static String created(String path) {
    return "created " + path;
  }

  /** The answer to a delete. */
  public static String deleted(String path, int count) {
    return count == 1 ? "deleted " + path : "deleted " + path + " and " + (count - 1)
        + " descendant" + (count == 2 ? "" : "s");
  }

  /** One row per session: id, timeout, holder, ephemerals; the operator session is marked. */
  public static String sessions(List<SessionInfo> sessions, long operatorSessionId) {
    if (sessions.isEmpty()) {
      return "(no sessions)";
    }
    StringBuilder text = new StringBuilder();
    text.append(String.format("%-20s %-10s %-10s %s%n", "session", "timeout", "ephemerals",
        "connection held by"));
    for (SessionInfo session : sessions) {
      String holder = session.holder()
          + (session.id() == operatorSessionId ? " [operator session]" : "");
      text.append(String.format("%-20s %-10s %-10d %s%n", zxid(session.id()),
          session.timeoutMs() + "ms", session.ephemerals(), holder));
    }
    return text.toString().stripTrailing();
  }

  /** This node's watches grouped by path, then by session. */
  public static String watches(List<WatchInfo> watches) {
    if (watches.isEmpty()) {
      return "(no watches on this node)";
    }
    Map<String, StringBuilder> byPath = new TreeMap<>();
    Map<Long, StringBuilder> bySession = new TreeMap<>();
    for (WatchInfo watch : watches) {
      byPath.computeIfAbsent(watch.path(), p -> new StringBuilder())
          .append("\n  ").append(zxid(watch.sessionId())).append(" (").append(watch.kinds())
          .append(')');
      bySession.computeIfAbsent(watch.sessionId(), s -> new StringBuilder())
          .append("\n  ").append(watch.path()).append(" (").append(watch.kinds()).append(')');
    }
    StringBuilder text = new StringBuilder("by path:");
    byPath.forEach((path, lines) -> text.append("\n").append(path).append(lines));
    text.append("\n\nby session:");
    bySession.forEach((id, lines) -> text.append("\n").append(zxid(id)).append(lines));
    return text.toString();
  }

  /** True when {@code data} is valid UTF-8 without control characters other than tab and newlines. */
  static boolean printable(byte[] data) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(data)).toString();
    } catch (CharacterCodingException e) {
      return false;
    }
    return text.chars().noneMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r'
        && c != '\t');
  }

  /** 16 bytes a line: offset, hex bytes, and the printable ASCII ones. */
  static String hex(byte[] data) {
    StringBuilder text = new StringBuilder();
    for (int offset = 0; offset < data.length; offset += 16) {
      StringBuilder ascii = new StringBuilder();
      text.append(String.format("%08x ", offset));
      for (int i = offset; i < offset + 16; i++) {
        if (i < data.length) {
          int b = data[i] & 0xff;
          text.append(String.format(" %02x", b));
          ascii.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
        } else {
          text.append("   ");
        }
      }
      text.append("  |").append(ascii).append("|\n");
    }
    return text.toString().stripTrailing();
  }

  private static String utf8(byte[] data) {
    return new String(data, StandardCharsets.UTF_8);
  }

  private static String zxid(long value) {
    return "0x" + Long.toHexString(value);
  }

  private static String time(long millis) {
    return Instant.ofEpochMilli(millis) + " (" + millis + ")";
  }

  private static void row(StringBuilder text, String key, String value) {
    text.append(String.format("%-15s %s%n", key, value));
  }
}
