package io.cairn.coordination.internal.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.coordination.internal.jute.Stat;
import io.cairn.coordination.internal.server.Introspection.SessionInfo;
import io.cairn.coordination.internal.server.Introspection.WatchInfo;
import io.cairn.coordination.internal.server.LocalTree;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The text of the zk: commands, checked without a shell. */
class ZnodeTextTest {
  private static final Stat STAT =
      new Stat(0x10, 0x12, 1_700_000_000_000L, 1_700_000_001_000L, 2, 3, 0, 0x100000000000007L,
          5, 1, 0x11);

  @Test
  void statNamesTheElevenFieldsAsZkCliDoes() {
    String text = ZnodeText.stat(STAT);

    assertEquals(11, text.lines().count());
    assertTrue(text.startsWith("cZxid           0x10\n"), text);
    assertTrue(text.contains("ctime           2023-11-14T22:13:20Z (1700000000000)"), text);
    assertTrue(text.contains("dataVersion     2"), text);
    assertTrue(text.contains("ephemeralOwner  0x100000000000007"), text);
    assertTrue(text.contains("pZxid           0x11\n"), text);
    assertTrue(text.endsWith("numChildren     1"), text);
  }

  @Test
  void printableDataIsShownAsTextOtherDataAsAHexDump() {
    LocalTree.Znode text =
        new LocalTree.Znode("/t", "héllo\tworld".getBytes(StandardCharsets.UTF_8), STAT, List.of());
    LocalTree.Znode binary =
        new LocalTree.Znode("/b", new byte[] {0, 1, 'A', (byte) 0xff}, STAT, List.of());
    LocalTree.Znode empty = new LocalTree.Znode("/e", null, STAT, List.of());

    assertTrue(ZnodeText.data(text).startsWith("héllo\tworld\n\ncZxid"), ZnodeText.data(text));
    assertTrue(
        ZnodeText.data(binary).startsWith("00000000  00 01 41 ff" + " ".repeat(38) + "|..A.|"),
        ZnodeText.data(binary));
    assertTrue(ZnodeText.data(empty).startsWith("(no data)\n"));
  }

  @Test
  void childrenAreOnePerLine() {
    assertEquals("a\nb", ZnodeText.children(new LocalTree.Znode("/", null, STAT, List.of("a", "b"))));
    assertEquals("(no children)", ZnodeText.children(new LocalTree.Znode("/", null, STAT, List.of())));
  }

  @Test
  void writesAnswerInOneLine() {
    assertEquals("created /q/job-0000000003", ZnodeText.created("/q/job-0000000003"));
    assertEquals("deleted /a", ZnodeText.deleted("/a", 1));
    assertEquals("deleted /a and 1 descendant", ZnodeText.deleted("/a", 2));
    assertEquals("deleted /a and 4 descendants", ZnodeText.deleted("/a", 5));
    assertEquals("no node /a", ZnodeText.noNode("/a"));
  }

  @Test
  void sessionsAreATableWithTheOperatorSessionMarked() {
    String text =
        ZnodeText.sessions(
            List.of(
                new SessionInfo(0x100000000000002L, 4000, "node 1 (this node, /127.0.0.1:5000)", 2),
                new SessionInfo(0x100000000000009L, 40000, "node 1 (this node, zk: shell)", 0),
                new SessionInfo(0x10000000000000cL, 10000, "node 3", 0)),
            0x100000000000009L);

    List<String> lines = text.lines().toList();
    assertEquals(4, lines.size(), text);
    assertTrue(lines.get(0).matches("session\\s+timeout\\s+ephemerals\\s+connection held by"));
    assertTrue(lines.get(1).matches("0x100000000000002\\s+4000ms\\s+2\\s+node 1 \\(this node.*"));
    assertTrue(lines.get(2).endsWith("node 1 (this node, zk: shell) [operator session]"), lines.get(2));
    assertTrue(lines.get(3).matches("0x10000000000000c\\s+10000ms\\s+0\\s+node 3"), lines.get(3));
    assertFalse(lines.get(3).contains("operator"));
    assertEquals("(no sessions)", ZnodeText.sessions(List.of(), 0));
  }

  @Test
  void watchesAreGroupedByPathThenBySession() {
    String text =
        ZnodeText.watches(
            List.of(
                new WatchInfo("/a", 0x101L, "data"),
                new WatchInfo("/a", 0x102L, "child,persistent"),
                new WatchInfo("/b", 0x101L, "recursive")));

    assertEquals(
        "by path:\n"
            + "/a\n  0x101 (data)\n  0x102 (child,persistent)\n"
            + "/b\n  0x101 (recursive)\n"
            + "\n"
            + "by session:\n"
            + "0x101\n  /a (data)\n  /b (recursive)\n"
            + "0x102\n  /a (child,persistent)",
        text);
    assertEquals("(no watches on this node)", ZnodeText.watches(List.of()));
  }
}
