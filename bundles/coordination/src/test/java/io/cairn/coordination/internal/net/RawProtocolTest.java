package io.cairn.coordination.internal.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.coordination.internal.jute.Acl;
import io.cairn.coordination.internal.jute.Code;
import io.cairn.coordination.internal.jute.Frames;
import io.cairn.coordination.internal.jute.Frames.ConnectRequest;
import io.cairn.coordination.internal.jute.Frames.ConnectResponse;
import io.cairn.coordination.internal.jute.Frames.RequestFrame;
import io.cairn.coordination.internal.jute.JuteInput;
import io.cairn.coordination.internal.jute.OpCode;
import io.cairn.coordination.internal.jute.Requests;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hand-made frames on a raw socket: bad input closes that connection only, session expiry removes
 * ephemerals, four-letter words answer.
 */
class RawProtocolTest {
  private ZkServerFixture fixture;

  @BeforeEach
  void start() throws Exception {
    fixture = new ZkServerFixture(ZkServerFixture.fastConfig());
  }

  @AfterEach
  void stop() throws Exception {
    fixture.close();
  }

  private Socket socket() throws IOException {
    Socket socket = new Socket("127.0.0.1", fixture.address.getPort());
    socket.setSoTimeout(10_000);
    return socket;
  }

  private static void send(Socket socket, byte[] payload) throws IOException {
    DataOutputStream out = new DataOutputStream(socket.getOutputStream());
    out.writeInt(payload.length);
    out.write(payload);
    out.flush();
  }

  private static byte[] receive(Socket socket) throws IOException {
    DataInputStream in = new DataInputStream(socket.getInputStream());
    byte[] payload = new byte[in.readInt()];
    in.readFully(payload);
    return payload;
  }

  private static boolean closedByServer(Socket socket) throws IOException {
    try {
      return socket.getInputStream().read() == -1;
    } catch (EOFException e) {
      return true;
    }
  }

  private static long handshake(Socket socket, int timeoutMs) throws Exception {
    send(socket, new ConnectRequest(0, 0, timeoutMs, 0, new byte[16], false).toBytes());
    ConnectResponse response = ConnectResponse.read(new JuteInput(receive(socket)));
    assertEquals(timeoutMs, response.timeoutMs());
    assertEquals(16, response.password().length);
    return response.sessionId();
  }

  @Test
  void anOversizedFrameClosesOnlyThatConnection() throws Exception {
    try (Socket bad = socket();
        Socket good = socket()) {
      handshake(good, 4000);
      handshake(bad, 4000);
      new DataOutputStream(bad.getOutputStream()).writeInt(Frames.MAX_FRAME_BYTES + 1);
      assertTrue(closedByServer(bad));
      send(
          good,
          Frames.encodeRequest(
              new RequestFrame(1, OpCode.EXISTS, new Requests.PathWatch("/", false))));
      JuteInput reply = new JuteInput(receive(good));
      assertEquals(1, reply.readInt());
      reply.readLong();
      assertEquals(Code.OK, reply.readInt());
    }
  }

  @Test
  void aNegativeLengthAndGarbageCloseTheConnection() throws Exception {
    try (Socket negative = socket();
        Socket garbage = socket()) {
      new DataOutputStream(negative.getOutputStream()).writeInt(-5);
      assertTrue(closedByServer(negative));
      handshake(garbage, 4000);
      send(garbage, new byte[] {0, 0, 0, 7, 0, 0, 0, OpCode.MULTI, 0, 0, 0, 99, 0});
      assertTrue(closedByServer(garbage));
    }
  }

  @Test
  void anUnknownOpcodeGetsUnimplementedAndAnInvalidPathBadArguments() throws Exception {
    try (Socket socket = socket()) {
      handshake(socket, 4000);
      send(socket, new byte[] {0, 0, 0, 5, 0, 0, 0x7f, 0});
      JuteInput reply = new JuteInput(receive(socket));
      assertEquals(5, reply.readInt());
      reply.readLong();
      assertEquals(Code.UNIMPLEMENTED, reply.readInt());
      Requests.Create create = new Requests.Create("//bad", null, Acl.OPEN, 0, 0);
      send(socket, Frames.encodeRequest(new RequestFrame(6, OpCode.CREATE, create)));
      reply = new JuteInput(receive(socket));
      assertEquals(6, reply.readInt());
      reply.readLong();
      assertEquals(Code.BAD_ARGUMENTS, reply.readInt());
    }
  }

  @Test
  void anExpiredSessionLosesItsEphemeralsAndWatchersHearIt() throws Exception {
    CountingWatcher connected = new CountingWatcher();
    ZooKeeper observer = new ZooKeeper(fixture.connectString(), 4000, connected);
    try (Socket socket = socket()) {
      assertTrue(connected.events.poll(10, TimeUnit.SECONDS) != null);
      handshake(socket, 1000);
      Requests.Create create =
          new Requests.Create("/eph", "x".getBytes(StandardCharsets.UTF_8), Acl.OPEN, 1, 0);
      send(socket, Frames.encodeRequest(new RequestFrame(1, OpCode.CREATE, create)));
      JuteInput reply = new JuteInput(receive(socket));
      reply.readInt();
      reply.readLong();
      assertEquals(Code.OK, reply.readInt());
      BlockingQueue<WatchedEvent> events = new LinkedBlockingQueue<>();
      observer.exists("/eph", events::add);
      // The raw client never pings: the server expires the session after ~1 s.
      WatchedEvent deleted = events.poll(10, TimeUnit.SECONDS);
      assertEquals(Watcher.Event.EventType.NodeDeleted, deleted.getType());
      assertTrue(closedByServer(socket), "the expired session's connection is closed");
      assertEquals(null, observer.exists("/eph", false));
      observer.create("/after", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    } finally {
      observer.close(5000);
    }
  }

  @Test
  void reconnectKeepsTheSessionAndSetWatchesFiresMissedEvents() throws Exception {
    ConnectResponse first;
    try (Socket socket = socket()) {
      send(socket, new ConnectRequest(0, 0, 4000, 0, new byte[16], false).toBytes());
      first = ConnectResponse.read(new JuteInput(receive(socket)));
      Requests.Create create = new Requests.Create("/kept", null, Acl.OPEN, 1, 0);
      send(socket, Frames.encodeRequest(new RequestFrame(1, OpCode.CREATE, create)));
      receive(socket);
      send(
          socket,
          Frames.encodeRequest(
              new RequestFrame(
                  2, OpCode.SET_DATA, new Requests.SetData("/kept", new byte[] {1}, -1))));
      receive(socket);
    }
    try (Socket intruder = socket()) {
      send(
          intruder,
          new ConnectRequest(0, 0, 4000, first.sessionId(), new byte[16], false).toBytes());
      ConnectResponse refused = ConnectResponse.read(new JuteInput(receive(intruder)));
      assertEquals(0, refused.sessionId(), "a wrong password is told the session expired");
      assertEquals(0, refused.timeoutMs());
      assertTrue(closedByServer(intruder));
    }
    try (Socket socket = socket()) {
      send(
          socket,
          new ConnectRequest(0, 1, 4000, first.sessionId(), first.password(), false).toBytes());
      ConnectResponse again = ConnectResponse.read(new JuteInput(receive(socket)));
      assertEquals(first.sessionId(), again.sessionId());
      Requests.SetWatches watches =
          new Requests.SetWatches(
              1, List.of("/kept"), List.of("/kept"), List.of("/gone"), List.of(), List.of());
      send(
          socket,
          Frames.encodeRequest(
              new RequestFrame(OpCode.XID_SET_WATCHES, OpCode.SET_WATCHES, watches)));
      assertEquals(
          List.of(3, 1, 2),
          List.of(eventType(socket), eventType(socket), eventType(socket)),
          "data changed since zxid 1, exists now, child-watched node gone");
      JuteInput reply = new JuteInput(receive(socket));
      assertEquals(OpCode.XID_SET_WATCHES, reply.readInt());
      send(
          socket,
          Frames.encodeRequest(
              new RequestFrame(3, OpCode.GET_EPHEMERALS, new Requests.PathOnly("/"))));
      reply = new JuteInput(receive(socket));
      reply.readInt();
      reply.readLong();
      assertEquals(Code.OK, reply.readInt());
      assertEquals(
          List.of("/kept"), reply.readStringVector(), "the ephemeral survived the reconnect");
    }
  }

  private static int eventType(Socket socket) throws Exception {
    JuteInput in = new JuteInput(receive(socket));
    assertEquals(OpCode.XID_NOTIFICATION, in.readInt());
    in.readLong();
    in.readInt();
    return in.readInt();
  }

  @Test
  void aClientAheadOfTheServerIsRefused() throws Exception {
    try (Socket socket = socket()) {
      send(socket, new ConnectRequest(0, 1L << 40, 4000, 0, new byte[16], false).toBytes());
      assertTrue(closedByServer(socket));
    }
  }

  @Test
  void fourLetterWordsAnswerAndClose() throws Exception {
    java.util.Map<String, String> expected =
        java.util.Map.of(
            "ruok", "imok",
            "srvr", "3.9.5-cairn",
            "stat", "Node count:",
            "mntr", "zk_znode_count",
            "conf", "tickTime=100",
            "wchs", "Total watches:",
            "cons", "/127.0.0.1:");
    for (java.util.Map.Entry<String, String> word : expected.entrySet()) {
      try (Socket socket = socket()) {
        socket.getOutputStream().write(word.getKey().getBytes(StandardCharsets.US_ASCII));
        String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(answer.contains(word.getValue()), word.getKey() + " answered " + answer);
      }
    }
  }

  /** Collects connection-state events. */
  private static final class CountingWatcher implements Watcher {
    final BlockingQueue<WatchedEvent> events = new LinkedBlockingQueue<>();

    @Override
    public void process(WatchedEvent event) {
      events.add(event);
    }
  }
}
