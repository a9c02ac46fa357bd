package io.cairn.coordination.internal.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.coordination.internal.jute.Acl;
import io.cairn.coordination.internal.jute.Code;
import io.cairn.coordination.internal.jute.Id;
import io.cairn.coordination.internal.jute.OpCode;
import io.cairn.coordination.internal.jute.Requests.CheckVersion;
import io.cairn.coordination.internal.jute.Requests.Create;
import io.cairn.coordination.internal.jute.Requests.Delete;
import io.cairn.coordination.internal.jute.Requests.Multi;
import io.cairn.coordination.internal.jute.Requests.Op;
import io.cairn.coordination.internal.jute.Requests.Request;
import io.cairn.coordination.internal.jute.Requests.SetAcl;
import io.cairn.coordination.internal.jute.Requests.SetData;
import io.cairn.coordination.internal.jute.Responses.MultiResponse;
import io.cairn.coordination.internal.jute.Responses.PathResponse;
import io.cairn.coordination.internal.jute.Stat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** ZooKeeper's tree, session and multi semantics on the deterministic core, without a network. */
class CoordinationCoreTest {
  private static final byte[] DATA = {1, 2, 3};
  private final CoordinationCore core = new CoordinationCore();
  private long index;

  private long newSession() {
    CoordinationCore.Outcome outcome = apply(new Command.CreateSession(4000, new byte[16], 1000));
    return CoordinationCore.sessionIdOf(CoordinationCore.encodeResult(outcome.result()));
  }

  private final List<byte[]> appliedCommands = new java.util.ArrayList<>();

  private CoordinationCore.Outcome apply(Command command) {
    byte[] bytes = Command.encode(command);
    appliedCommands.add(bytes);
    return core.apply(++index, bytes);
  }

  private Result write(long session, int type, Request request) {
    return apply(new Command.Write(session, 5000 + index, List.of(), type, request)).result();
  }

  private static Create create(String path, int flags) {
    return new Create(path, DATA, Acl.OPEN, flags, 0);
  }

  @Test
  void sequentialNamesCountCreatesNotDeletesAndCversionCountsBoth() {
    long s = newSession();
    write(s, OpCode.CREATE, create("/p", 0));
    assertEquals(
        "/p/a0000000000",
        ((PathResponse) write(s, OpCode.CREATE, create("/p/a", 2)).body()).path());
    write(s, OpCode.DELETE, new Delete("/p/a0000000000", -1));
    assertEquals(
        "/p/0000000001", ((PathResponse) write(s, OpCode.CREATE, create("/p/", 2)).body()).path());
    Stat parent = core.tree().stat("/p");
    assertEquals(3, parent.cversion(), "2 creates + 1 delete");
    assertEquals(1, parent.numChildren());
    assertEquals(core.lastZxid(), parent.pzxid());
  }

  @Test
  void statFieldsFollowTheWritesThatMadeThem() {
    long s = newSession();
    CoordinationCore.Outcome created =
        apply(new Command.Write(s, 7000, List.of(), OpCode.CREATE2, create("/n", 1)));
    Stat stat = core.tree().stat("/n");
    assertEquals(created.zxid(), stat.czxid());
    assertEquals(7000, stat.ctime());
    assertEquals(s, stat.ephemeralOwner());
    assertEquals(3, stat.dataLength());
    write(s, OpCode.SET_DATA, new SetData("/n", null, 0));
    stat = core.tree().stat("/n");
    assertEquals(1, stat.version());
    assertEquals(0, stat.dataLength(), "null data has length 0");
    assertTrue(stat.mzxid() > stat.czxid());
    write(s, OpCode.SET_ACL, new SetAcl("/n", Acl.OPEN, 0));
    assertEquals(1, core.tree().stat("/n").aversion());
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of("missing parent", OpCode.CREATE, create("/x/y", 0), Code.NO_NODE),
        Arguments.of("existing node", OpCode.CREATE, create("/zookeeper", 0), Code.NODE_EXISTS),
        Arguments.of("bad path", OpCode.CREATE, create("/a/../b", 0), Code.BAD_ARGUMENTS),
        Arguments.of("trailing slash", OpCode.CREATE, create("/a/", 0), Code.BAD_ARGUMENTS),
        Arguments.of("bad flags", OpCode.CREATE, create("/a", 9), Code.BAD_ARGUMENTS),
        Arguments.of("container via create", OpCode.CREATE, create("/a", 4), Code.BAD_ARGUMENTS),
        Arguments.of("ttl of 0", OpCode.CREATE_TTL, create("/a", 5), Code.BAD_ARGUMENTS),
        Arguments.of(
            "empty acl", OpCode.CREATE, new Create("/a", null, List.of(), 0, 0), Code.INVALID_ACL),
        Arguments.of(
            "auth acl without auth",
            OpCode.CREATE,
            new Create("/a", null, List.of(new Acl(31, new Id("auth", ""))), 0, 0),
            Code.INVALID_ACL),
        Arguments.of("delete missing", OpCode.DELETE, new Delete("/nope", -1), Code.NO_NODE),
        Arguments.of("delete root", OpCode.DELETE, new Delete("/", -1), Code.BAD_ARGUMENTS),
        Arguments.of(
            "delete non-empty", OpCode.DELETE, new Delete("/zookeeper", -1), Code.NOT_EMPTY),
        Arguments.of(
            "delete bad version",
            OpCode.DELETE,
            new Delete("/zookeeper/quota", 3),
            Code.BAD_VERSION),
        Arguments.of("set missing", OpCode.SET_DATA, new SetData("/nope", null, -1), Code.NO_NODE),
        Arguments.of(
            "set bad version",
            OpCode.SET_DATA,
            new SetData("/zookeeper", null, 5),
            Code.BAD_VERSION),
        Arguments.of(
            "acl bad version",
            OpCode.SET_ACL,
            new SetAcl("/zookeeper", Acl.OPEN, 2),
            Code.BAD_VERSION));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void badWritesGetZooKeeperErrorCodesAndChangeNothing(
      String name, int type, Request request, int err) {
    long s = newSession();
    byte[] before = core.snapshot();
    assertEquals(err, write(s, type, request).err());
    byte[] after = core.snapshot();
    // Only the last zxid in the header moved.
    assertArrayEquals(
        java.util.Arrays.copyOfRange(before, 12, before.length),
        java.util.Arrays.copyOfRange(after, 12, after.length));
  }

  @Test
  void ephemeralsNeedALiveSessionAndCannotHaveChildren() {
    long s = newSession();
    write(s, OpCode.CREATE, create("/e", 1));
    assertEquals(Code.NO_CHILDREN_FOR_EPHEMERALS, write(s, OpCode.CREATE, create("/e/c", 0)).err());
    CoordinationCore.Outcome closed = apply(new Command.CloseSession(s, 9000));
    assertEquals(s, closed.closedSession());
    assertNull(core.tree().stat("/e"));
    assertTrue(closed.changes().contains(new Change(Change.NODE_DELETED, "/e")));
    assertEquals(Code.SESSION_EXPIRED, write(s, OpCode.CREATE, create("/f", 1)).err());
    assertEquals(Code.SESSION_EXPIRED, apply(new Command.CloseSession(s, 9000)).result().err());
  }

  @Test
  void aclsAreCheckedWithTheCallersIds() {
    long s = newSession();
    Id alice = new Id("digest", "alice:hash");
    Create locked = new Create("/l", null, List.of(new Acl(Acl.READ | Acl.CREATE, alice)), 0, 0);
    write(s, OpCode.CREATE, locked);
    assertEquals(Code.NO_AUTH, write(s, OpCode.CREATE, create("/l/c", 0)).err());
    Result asAlice =
        apply(new Command.Write(s, 1, List.of(alice), OpCode.CREATE, create("/l/c", 0))).result();
    assertTrue(asAlice.isOk());
    assertEquals(Code.NO_AUTH, write(s, OpCode.SET_DATA, new SetData("/l", null, -1)).err());
    assertEquals(Code.NO_AUTH, Reads.read(core.tree(), OpCode.GET_DATA, "/l", List.of()).err());
    assertTrue(Reads.read(core.tree(), OpCode.GET_DATA, "/l", List.of(alice)).isOk());
    Create ipOnly =
        new Create("/ip", null, List.of(new Acl(31, new Id("ip", "10.1.0.0/16"))), 0, 0);
    write(s, OpCode.CREATE, ipOnly);
    assertTrue(
        Reads.read(core.tree(), OpCode.GET_DATA, "/ip", List.of(new Id("ip", "10.1.2.3"))).isOk());
    assertEquals(
        Code.NO_AUTH,
        Reads.read(core.tree(), OpCode.GET_DATA, "/ip", List.of(new Id("ip", "10.2.2.3"))).err());
  }

  @Test
  void aFailedMultiRollsEverythingBackAndReportsPerOpErrors() {
    long s = newSession();
    write(s, OpCode.CREATE, create("/base", 0));
    byte[] before = java.util.Arrays.copyOfRange(core.snapshot(), 12, core.snapshot().length);
    Multi multi =
        new Multi(
            List.of(
                new Op(OpCode.CREATE, create("/base/s-", 2)),
                new Op(OpCode.SET_DATA, new SetData("/base", null, 0)),
                new Op(OpCode.DELETE, new Delete("/base/s-0000000000", -1)),
                new Op(OpCode.CHECK, new CheckVersion("/base", 0)),
                new Op(OpCode.CREATE, create("/base/t", 0))));
    CoordinationCore.Outcome outcome =
        apply(new Command.Write(s, 1, List.of(), OpCode.MULTI, multi));
    MultiResponse response = (MultiResponse) outcome.result().body();
    assertEquals(
        List.of(0, 0, 0, Code.BAD_VERSION, Code.RUNTIME_INCONSISTENCY),
        response.results().stream().map(r -> r.err()).toList());
    assertTrue(outcome.changes().isEmpty(), "a failed multi fires no watches");
    byte[] after = core.snapshot();
    assertArrayEquals(before, java.util.Arrays.copyOfRange(after, 12, after.length));
  }

  @Test
  void containersAndTtlNodesAreReapedOnlyWhenStillEligible() {
    long s = newSession();
    write(s, OpCode.CREATE_CONTAINER, create("/c", 4));
    assertEquals(List.of(), core.tree().reapable(10_000), "never-used containers stay");
    write(s, OpCode.CREATE, create("/c/x", 0));
    write(s, OpCode.DELETE, new Delete("/c/x", -1));
    write(s, OpCode.CREATE_TTL, new Create("/t", null, Acl.OPEN, 5, 100));
    long mtime = core.tree().stat("/t").mtime();
    assertEquals(List.of("/c"), core.tree().reapable(mtime + 100));
    assertEquals(List.of("/c", "/t"), core.tree().reapable(mtime + 101));
    assertEquals(0, core.tree().stat("/t").ephemeralOwner());
    apply(new Command.Reap("/t", mtime + 50));
    assertNotNull(core.tree().stat("/t"), "not expired at the stamped time");
    apply(new Command.Reap("/t", mtime + 101));
    apply(new Command.Reap("/c", 0));
    assertNull(core.tree().stat("/t"));
    assertNull(core.tree().stat("/c"));
  }

  @Test
  void snapshotsRestoreTheSameStateAndAreDeterministic() throws Exception {
    long s = newSession();
    write(s, OpCode.CREATE, create("/a", 0));
    write(s, OpCode.CREATE, create("/a/e", 1));
    write(s, OpCode.CREATE_CONTAINER, create("/a/c", 4));
    byte[] snapshot = core.snapshot();
    CoordinationCore copy = new CoordinationCore();
    copy.restore(core.lastZxid(), snapshot);
    assertArrayEquals(snapshot, copy.snapshot());
    assertEquals(List.of("/a/e"), copy.tree().ephemeralsOf(s));
    assertNotNull(copy.session(s));
    copy.apply(core.lastZxid() + 1, Command.encode(new Command.CloseSession(s, 1)));
    assertNull(copy.tree().stat("/a/e"));
    assertThrows(
        io.cairn.coordination.internal.jute.JuteDecodeException.class,
        () -> new CoordinationCore().restore(1, new byte[] {1, 2, 3, 4}));
  }

  @Test
  void replayingTheSameCommandsGivesTheSameBytes() {
    long s = newSession();
    write(s, OpCode.CREATE, create("/r", 2));
    write(s, OpCode.CREATE, create("/r", 3));
    write(s, OpCode.MULTI, new Multi(List.of(new Op(OpCode.CREATE_CONTAINER, create("/k", 4)))));
    apply(new Command.CloseSession(s, 6000));
    CoordinationCore replay = new CoordinationCore();
    for (int i = 0; i < appliedCommands.size(); i++) {
      replay.apply(i + 1, appliedCommands.get(i));
    }
    assertArrayEquals(core.snapshot(), replay.snapshot());
  }
}
