package io.cairn.coordination.internal.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.coordination.internal.jute.Stat;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shell's write path without Karaf or sockets: a {@link CoordinationServer} over the one-node
 * log test double, written through its operator session exactly as a client request goes (proposed
 * to the log, applied, answered), with ZooKeeper's errors turned into sentences.
 */
class ShellOperatorTest {
  private final ManualClock clock = new ManualClock();
  private final SingleNodeLogTestDouble log = new SingleNodeLogTestDouble();
  private final CoordinationServer server =
      new CoordinationServer(ServerConfig.defaults(), log, clock);
  private final Introspection view = new Introspection(server);
  private final ShellOperator operator = new ShellOperator(view, server.operatorSession());

  {
    log.register(server.stateMachine());
  }

  @AfterEach
  void stop() {
    server.closeOperatorSession();
    log.close();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void createSetAndDeleteGoThroughTheLogAndShowInTheTree() {
    long before = view.stats().lastZxid();

    assertEquals("/a", operator.create("/a", utf8("one"), false, false));
    Stat stat = operator.set("/a", utf8("two"), 0);
    assertEquals(1, stat.version());
    assertArrayEquals(utf8("two"), operator.read("/a").data());
    assertTrue(view.stats().lastZxid() > before + 2, "session + create + set were log entries");

    assertEquals(1, operator.delete("/a", 1, false));
    assertNull(operator.read("/a"));
  }

  @Test
  void sequentialNamesCountTheChildrenEverCreated() {
    operator.create("/q", new byte[0], false, false);

    assertEquals("/q/job-0000000000", operator.create("/q/job-", new byte[0], false, true));
    assertEquals("/q/job-0000000001", operator.create("/q/job-", new byte[0], false, true));
  }

  @Test
  void anEphemeralBelongsToTheOperatorSessionAndGoesWhenItCloses() {
    operator.create("/live", new byte[0], true, false);
    long owner = operator.read("/live").stat().ephemeralOwner();

    assertNotEquals(0, owner);
    assertEquals(owner, operator.operatorSessionId());
    Introspection.SessionInfo info =
        operator.sessions().stream().filter(s -> s.id() == owner).findFirst().orElseThrow();
    assertEquals(1, info.ephemerals());
    assertTrue(info.holder().contains("this node"), info.holder());
    assertTrue(info.holder().contains("zk: shell"), info.holder());

    server.closeOperatorSession();

    assertNull(view.read("/live"), "the close removed the operator's ephemeral");
    assertTrue(view.sessions().isEmpty());
  }

  @Test
  void zookeeperErrorsBecomeSentences() {
    operator.create("/a", new byte[0], false, false);
    operator.create("/a/child", new byte[0], false, false);
    operator.set("/a", utf8("x"), -1);
    operator.create("/eph", new byte[0], true, false);

    assertEquals("node /a already exists", message(() -> operator.create("/a", null, false, false)));
    assertEquals(
        "bad version: expected 3, is 1", message(() -> operator.set("/a", utf8("y"), 3)));
    assertEquals(
        "bad version: expected 7, is 1", message(() -> operator.delete("/a", 7, true)));
    assertEquals("node /a has children; use -r", message(() -> operator.delete("/a", -1, false)));
    assertEquals("no node /nope", message(() -> operator.set("/nope", utf8("y"), -1)));
    assertEquals("no node /nope", message(() -> operator.delete("/nope", -1, true)));
    assertEquals(
        "no node /x (the parent of /x/y)",
        message(() -> operator.create("/x/y", null, false, false)));
    assertEquals(
        "node /eph is ephemeral and cannot have children",
        message(() -> operator.create("/eph/c", null, false, false)));
    assertEquals(
        "'a/b' is not a valid znode path", message(() -> operator.create("a/b", null, false, false)));
    assertEquals(
        "refusing to delete /zookeeper recursively",
        message(() -> operator.delete("/zookeeper", -1, true)));
  }

  @Test
  void recursiveDeleteRemovesTheSubtreeChildrenFirstInBatches() {
    operator.create("/tree", new byte[0], false, false);
    int made = 1;
    for (int i = 0; i < 3; i++) {
      operator.create("/tree/b" + i, new byte[0], false, false);
      made++;
      for (int j = 0; j < ShellOperator.BATCH / 2; j++) {
        operator.create("/tree/b" + i + "/leaf" + j, new byte[0], false, false);
        made++;
      }
    }
    operator.create("/keep", new byte[0], false, false);

    assertEquals(made, operator.delete("/tree", -1, true));

    assertNull(view.read("/tree"));
    assertNotNull(view.read("/keep"));
  }

  @Test
  void aClosedConnectionIsReopenedAndTheSessionKept() {
    operator.create("/e1", new byte[0], true, false);
    long session = operator.operatorSessionId();
    Connection connection;
    synchronized (server.lock) {
      connection = server.bySession.get(session);
      server.close(connection);
    }

    operator.create("/e2", new byte[0], true, false);

    assertEquals(session, operator.operatorSessionId(), "reattached, not a new session");
    assertEquals(session, view.read("/e2").stat().ephemeralOwner());
    assertNotNull(view.read("/e1"));
  }

  @Test
  void anIdleOperatorSessionIsKeptAliveByTicks() {
    operator.create("/e", new byte[0], true, false);
    long session = operator.operatorSessionId();
    int timeoutMs = ServerConfig.defaults().maxSessionTimeoutMs();

    for (long elapsed = 0; elapsed < 3L * timeoutMs; elapsed += 1000) {
      clock.advanceMs(1000);
      server.tick();
    }

    assertNotNull(server.core.session(session), "pings kept the session");
    assertNotNull(view.read("/e"));
  }

  @Test
  void theOperatorSessionFailsCleanlyOnceClosed() {
    server.closeOperatorSession();

    assertEquals(
        "the operator session is closed (the service is stopping)",
        message(() -> operator.create("/late", null, false, false)));
  }

  private static String message(Runnable action) {
    return assertThrows(OperatorException.class, action::run).getMessage();
  }
}
