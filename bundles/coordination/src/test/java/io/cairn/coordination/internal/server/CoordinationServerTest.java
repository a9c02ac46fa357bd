package io.cairn.coordination.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.coordination.internal.core.Command;
import io.cairn.coordination.internal.core.CoordinationCore;
import io.cairn.coordination.internal.jute.Acl;
import io.cairn.coordination.internal.jute.OpCode;
import io.cairn.coordination.internal.jute.Requests.Create;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Expiry, reaping and snapshots through the server and its state machine, with a manual clock and
 * no sockets.
 */
class CoordinationServerTest {
  private final ManualClock clock = new ManualClock();
  private final SingleNodeLogTestDouble log = new SingleNodeLogTestDouble();
  private final CoordinationServer server =
      new CoordinationServer(new ServerConfig(100, 1000, 10000, 100, 100, false), log, clock);
  private final CoordinationStateMachine machine = server.stateMachine();

  {
    log.register(machine);
  }

  @AfterEach
  void stop() {
    log.close();
  }

  private byte[] propose(Command command) throws Exception {
    return log.propose("coordination", Command.encode(command))
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS)
        .result();
  }

  private void settle() throws Exception {
    log.readBarrier().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void aSessionWithoutAConnectionHereExpiresAfterOneTimeoutOnTheLeader() throws Exception {
    long session =
        CoordinationCore.sessionIdOf(propose(new Command.CreateSession(1000, new byte[16], 0)));
    propose(
        new Command.Write(
            session, 0, List.of(), OpCode.CREATE, new Create("/e", null, Acl.OPEN, 1, 0)));
    server.tick();
    settle();
    assertNotNull(server.core.session(session), "adopted with a fresh deadline, not expired");
    clock.advanceMs(999);
    server.tick();
    settle();
    assertNotNull(server.core.session(session));
    clock.advanceMs(2);
    server.tick();
    settle();
    assertNull(server.core.session(session), "expired one timeout after adoption");
    assertNull(server.core.tree().stat("/e"), "its ephemeral went with it");
  }

  @Test
  void aSessionTouchedByTheNodeHoldingItsConnectionOutlivesTheLeadersDeadline() throws Exception {
    long session =
        CoordinationCore.sessionIdOf(propose(new Command.CreateSession(1000, new byte[16], 0)));
    server.tick();
    settle();
    for (int round = 0; round < 3; round++) {
      clock.advanceMs(900);
      // Another node holds the client's connection and reports it alive through the log.
      propose(new Command.Touch(List.of(session), 0));
      server.tick();
      settle();
      assertNotNull(server.core.session(session), "touched within its timeout, round " + round);
    }
    clock.advanceMs(1001);
    server.tick();
    settle();
    assertNull(server.core.session(session), "expired one timeout after the last touch");
  }

  @Test
  void aTouchSurvivesEncodingAndChangesNoReplicatedState() throws Exception {
    Command.Touch touch = new Command.Touch(List.of(3L, 1L << 56 | 7), 42);
    assertEquals(touch, Command.decode(Command.encode(touch)));
    long before = server.core.tree().size();
    propose(touch);
    assertEquals(before, server.core.tree().size());
  }

  @Test
  void aTouchNamingItsNodeTellsOperatorsWhichNodeHoldsTheSession() throws Exception {
    Command.Touch touch = new Command.Touch(List.of(5L), 42, 3);
    assertEquals(touch, Command.decode(Command.encode(touch)));
    long session =
        CoordinationCore.sessionIdOf(propose(new Command.CreateSession(1000, new byte[16], 0)));
    Introspection view = new Introspection(server);
    assertTrue(view.sessions().get(0).holder().startsWith("none"), "no node touched it yet");

    propose(new Command.Touch(List.of(session), 0, 3));

    assertEquals("node 3", view.sessions().get(0).holder());
    propose(new Command.CloseSession(session, 0));
    assertTrue(view.sessions().isEmpty());
    assertTrue(server.heldBy.isEmpty(), "forgotten when the session ended");
  }

  @Test
  void theLeaderReapsEmptyContainersOnItsInterval() throws Exception {
    propose(
        new Command.Write(
            0, 0, List.of(), OpCode.CREATE_CONTAINER, new Create("/c", null, Acl.OPEN, 4, 0)));
    propose(
        new Command.Write(
            0, 0, List.of(), OpCode.CREATE, new Create("/c/x", null, Acl.OPEN, 0, 0)));
    server.tick();
    settle();
    assertNotNull(server.core.tree().stat("/c"), "in use");
    propose(
        new Command.Write(
            0,
            0,
            List.of(),
            OpCode.DELETE,
            new io.cairn.coordination.internal.jute.Requests.Delete("/c/x", -1)));
    clock.advanceMs(100);
    server.tick();
    settle();
    settle();
    assertNull(server.core.tree().stat("/c"));
  }

  @Test
  void aSnapshotRestoresIntoAnotherServer() throws Exception {
    long session =
        CoordinationCore.sessionIdOf(propose(new Command.CreateSession(4000, new byte[16], 0)));
    propose(
        new Command.Write(
            session,
            0,
            List.of(),
            OpCode.CREATE,
            new Create("/s", new byte[] {7}, Acl.OPEN, 1, 0)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    machine.snapshot(out);
    SingleNodeLogTestDouble otherLog = new SingleNodeLogTestDouble();
    try {
      CoordinationServer other = new CoordinationServer(ServerConfig.defaults(), otherLog, clock);
      CoordinationStateMachine otherMachine = other.stateMachine();
      otherMachine.restore(server.core.lastZxid(), new ByteArrayInputStream(out.toByteArray()));
      assertEquals(server.core.lastZxid(), other.core.lastZxid());
      assertEquals(1, other.core.tree().stat("/s").dataLength());
      assertEquals(List.of("/s"), other.core.tree().ephemeralsOf(session));
      assertTrue(new Introspection(other).sessions().stream().anyMatch(s -> s.id() == session));
    } finally {
      otherLog.close();
    }
  }
}
