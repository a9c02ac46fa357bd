package io.cairn.node.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigCheckTest {
  @TempDir Path dir;

  @Test
  void aValidFileWithAKarafPlaceholderPasses() throws Exception {
    System.setProperty("cairn.test.data", dir.toString());
    Path cfg = Files.writeString(dir.resolve("io.cairn.node.cfg"),
        "node.id = 1\nroles = master,agent\ndata.dir = ${cairn.test.data}/cairn\n"
            + "peers = 1@127.0.0.1:7070\n");

    assertNull(NodeConfigCheck.check(cfg, "etc/io.cairn.node.cfg"));
    assertEquals(true, Files.isDirectory(dir.resolve("cairn")));
  }

  @Test
  void aBadFileYieldsTheSentence() throws Exception {
    Path cfg = Files.writeString(dir.resolve("io.cairn.node.cfg"),
        "node.id = 1\nroles = worker\ndata.dir = " + dir + "\npeers = 1@127.0.0.1:7070\n");

    assertEquals("etc/io.cairn.node.cfg: roles = 'worker' is not valid; 'worker' is not a role; "
        + "expected a comma-separated list of master and agent, e.g. master,agent.",
        NodeConfigCheck.check(cfg, "etc/io.cairn.node.cfg"));
  }

  @Test
  void aMissingFileIsNamed() throws Exception {
    assertEquals("etc/io.cairn.node.cfg is missing or unreadable; expected the node configuration there.",
        NodeConfigCheck.check(dir.resolve("absent.cfg"), "etc/io.cairn.node.cfg"));
  }

  @Test
  void unknownPlaceholdersAreLeftAsWritten() {
    assertEquals("${no.such.property}/x", NodeConfigCheck.substitute("${no.such.property}/x"));
  }
}
