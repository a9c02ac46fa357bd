package io.cairn.node.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.env.NodeInfo;
import io.cairn.env.Peer;
import io.cairn.env.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeConfigParserTest {
  private static final String FILE = "etc/io.cairn.node.cfg";

  @TempDir Path dir;

  private Map<String, Object> valid() {
    Map<String, Object> props = new HashMap<>();
    props.put("node.id", "2");
    props.put("roles", "master, agent");
    props.put("data.dir", dir.resolve("cairn").toString());
    props.put("peers", "1@127.0.0.1:7070,2@127.0.0.1:7080,3@mesos2.ocf.berkeley.edu:7090");
    return props;
  }

  @Test
  void aValidConfigurationBecomesTheNodeIdentityAndCreatesTheDataDirectory() throws Exception {
    NodeInfo info = new NodeConfigParser(FILE).parse(valid());

    assertEquals(2, info.nodeId());
    assertEquals(Set.of(Role.MASTER, Role.AGENT), info.roles());
    assertEquals("master,agent", info.rolesText());
    assertEquals(dir.resolve("cairn"), info.dataDir());
    assertTrue(Files.isDirectory(info.dataDir()));
    assertEquals(List.of(new Peer(1, "127.0.0.1", 7070), new Peer(2, "127.0.0.1", 7080),
        new Peer(3, "mesos2.ocf.berkeley.edu", 7090)), info.peers());
  }

  @Test
  void anAgentOnlyNodeNeedsNoPeers() throws Exception {
    Map<String, Object> props = valid();
    props.put("roles", "agent");
    props.remove("peers");

    NodeInfo info = new NodeConfigParser(FILE).parse(props);

    assertEquals(Set.of(Role.AGENT), info.roles());
    assertEquals(List.of(), info.peers());
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of("unknown role", "roles", "master,mastr",
            "etc/io.cairn.node.cfg: roles = 'master,mastr' is not valid; 'mastr' is not a role; "
                + "expected a comma-separated list of master and agent, e.g. master,agent."),
        Arguments.of("empty roles", "roles", "",
            "etc/io.cairn.node.cfg: roles = '' is not valid; expected a comma-separated list of "
                + "master and agent, e.g. master,agent."),
        Arguments.of("node id not a number", "node.id", "one",
            "etc/io.cairn.node.cfg: node.id = 'one' is not valid; expected a whole number from 1 "
                + "to 2147483647."),
        Arguments.of("node id zero", "node.id", "0",
            "etc/io.cairn.node.cfg: node.id = '0' is not valid; expected a whole number from 1 "
                + "to 2147483647."),
        Arguments.of("peer without port", "peers", "1@127.0.0.1,2@127.0.0.1:7080",
            "etc/io.cairn.node.cfg: peers = '1@127.0.0.1,2@127.0.0.1:7080' is not valid; "
                + "'1@127.0.0.1' is not id@host:port; expected a comma-separated list of "
                + "id@host:port, e.g. 1@10.0.0.1:7070,2@10.0.0.2:7070."),
        Arguments.of("peer port out of range", "peers", "2@127.0.0.1:70800",
            "etc/io.cairn.node.cfg: peers = '2@127.0.0.1:70800' is not valid; '2@127.0.0.1:70800' "
                + "needs an id from 1 and a port from 1 to 65535; expected a comma-separated list "
                + "of id@host:port, e.g. 1@10.0.0.1:7070,2@10.0.0.2:7070."),
        Arguments.of("duplicate peer id", "peers", "2@a:1,2@b:2",
            "etc/io.cairn.node.cfg: peers = '2@a:1,2@b:2' is not valid; node id 2 appears twice; "
                + "expected a comma-separated list of id@host:port, e.g. "
                + "1@10.0.0.1:7070,2@10.0.0.2:7070."),
        Arguments.of("master missing from its own peers", "peers", "1@127.0.0.1:7070",
            "etc/io.cairn.node.cfg: peers = '1@127.0.0.1:7070' is not valid; a master must list "
                + "itself, so expected an entry 2@host:port for node.id 2."),
        Arguments.of("missing data dir", "data.dir", null,
            "etc/io.cairn.node.cfg: data.dir is missing; expected the path of a writable "
                + "directory."));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void aBadValueIsRejectedWithOneSentenceNamingFileKeyValueAndExpectation(
      String name, String key, String value, String sentence) {
    Map<String, Object> props = valid();
    if (value == null) {
      props.remove(key);
    } else {
      props.put(key, value);
    }

    NodeConfigException e =
        assertThrows(NodeConfigException.class, () -> new NodeConfigParser(FILE).parse(props));

    assertEquals(sentence, e.getMessage());
  }

  @Test
  void aDataDirThatIsAFileIsRejected() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    Map<String, Object> props = valid();
    props.put("data.dir", file.toString());

    NodeConfigException e =
        assertThrows(NodeConfigException.class, () -> new NodeConfigParser(FILE).parse(props));

    assertTrue(e.getMessage().startsWith(
        "etc/io.cairn.node.cfg: data.dir = '" + file + "' is not valid; expected a directory "
            + "Cairn can create and write, but "), e.getMessage());
  }

  @Test
  void anUnwritableDataDirIsRejected() throws Exception {
    Path locked = Files.createDirectory(dir.resolve("locked"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r-xr-xr-x")));
    // root may write anywhere on a normal file system, but never under /proc.
    Path unwritable = Files.isWritable(locked) ? Path.of("/proc/cairn-data") : locked;
    Map<String, Object> props = valid();
    props.put("data.dir", unwritable.toString());

    NodeConfigException e =
        assertThrows(NodeConfigException.class, () -> new NodeConfigParser(FILE).parse(props));

    String prefix = "etc/io.cairn.node.cfg: data.dir = '" + unwritable + "' is not valid; "
        + "expected a directory Cairn can create and write, but ";
    String reason = e.getMessage().substring(Math.min(prefix.length(), e.getMessage().length()));
    assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    assertTrue(reason.startsWith("permission was denied on " + locked)
        || reason.equals(unwritable + " could not be created or written."), reason);
  }
}
