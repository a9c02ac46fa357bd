package io.cairn.itests;

import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import javax.inject.Inject;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The {@code zk:} operator commands of the coordination bundle in a real Karaf, on a Raft group of
 * one: the local reads {@code zk:ls}, {@code zk:get}, {@code zk:stat}; the writes {@code
 * zk:create}, {@code zk:set}, {@code zk:rm}, which go through the node's operator session and the
 * replicated log; and {@code zk:sessions}, {@code zk:watches}. Each command is covered once; the
 * formatting and the write path are unit-tested in bundles/coordination.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShellCommandsIT {
  @Inject SessionFactory sessions;

  @org.ops4j.pax.exam.Configuration
  public Option[] config() {
    // A group of one, on ports apart from CairnDistributionIT's and a developer's node.
    return CairnOptions.distribution(
        editConfigurationFilePut("etc/io.cairn.node.cfg", "node.id", "1"),
        editConfigurationFilePut("etc/io.cairn.node.cfg", "peers", "1@127.0.0.1:17170"),
        editConfigurationFilePut("etc/io.cairn.coordination.cfg", "clientPort", "12281"),
        editConfigurationFilePut("etc/io.cairn.coordination.cfg", "adminPort", "12291"));
  }

  @Test
  public void zkLsListsTheZookeeperNodeUnderTheRoot() throws Exception {
    await("zk:ls /", () -> execute("zk:ls /").contains("zookeeper"));

    String out = execute("zk:ls /zookeeper");

    assertTrue(out, out.contains("config"));
    assertTrue(out, out.contains("quota"));
  }

  @Test
  public void zkGetOfAMissingNodeSaysNoNode() throws Exception {
    await("zk:ls /", () -> execute("zk:ls /").contains("zookeeper"));

    String out = execute("zk:get /nope");

    assertTrue(out, out.contains("no node /nope"));
    assertTrue(out, !out.contains("Exception"));
  }

  @Test
  public void zkStatAndGetShowTheStatFields() throws Exception {
    await("zk:ls /", () -> execute("zk:ls /").contains("zookeeper"));

    String stat = execute("zk:stat /zookeeper");
    String get = execute("zk:get /zookeeper/quota");

    assertTrue(stat, matches(stat, "numChildren\\s+2"));
    assertTrue(stat, matches(stat, "dataVersion\\s+0"));
    assertTrue(stat, matches(stat, "ephemeralOwner\\s+0x0"));
    assertTrue(get, get.contains("(no data)"));
    assertTrue(get, matches(get, "numChildren\\s+0"));
  }

  @Test
  public void zkCreateSetAndRmWriteThroughTheLogAndSayWhyWhenRefused() throws Exception {
    awaitWrites();

    assertTrue(execute("zk:create /it hello").contains("created /it"));
    String again = execute("zk:create /it hello");
    String badVersion = execute("zk:set -v 5 /it world");
    String set = execute("zk:set /it world");
    String get = execute("zk:get /it");
    String sequential = execute("zk:create -s /it/job-");
    String notEmpty = execute("zk:rm /it");
    String recursive = execute("zk:rm -r /it");
    String gone = execute("zk:get /it");

    assertTrue(again, again.contains("node /it already exists"));
    assertTrue(badVersion, badVersion.contains("bad version: expected 5, is 0"));
    assertTrue(set, matches(set, "dataVersion\\s+1"));
    assertTrue(get, get.startsWith("world"));
    assertTrue(sequential, sequential.contains("created /it/job-0000000000"));
    assertTrue(notEmpty, notEmpty.contains("node /it has children; use -r"));
    assertTrue(recursive, recursive.contains("deleted /it and 1 descendant"));
    assertTrue(gone, gone.contains("no node /it"));
  }

  @Test
  public void zkSessionsShowsTheOperatorSessionAndItsEphemeral()
      throws Exception {
    awaitWrites();

    String created = execute("zk:create -e /it-ephemeral");
    String sessions = execute("zk:sessions");
    String stat = execute("zk:stat /it-ephemeral");

    assertTrue(created, created.contains("created /it-ephemeral"));
    assertTrue(sessions, matches(sessions, "session\\s+timeout\\s+ephemerals\\s+connection held by"));
    assertTrue(sessions, matches(sessions,
        "0x[0-9a-f]+\\s+40000ms\\s+1\\s+node 1 \\(this node, zk: shell\\) \\[operator session\\]"));
    assertTrue(stat, !matches(stat, "ephemeralOwner\\s+0x0\\b"));
  }

  @Test
  public void zkWatchesListsAClientsWatchByPathAndBySession() throws Exception {
    awaitWrites();
    try (Socket client = new Socket("127.0.0.1", 12281)) {
      client.setSoTimeout(10_000);
      DataOutputStream out = new DataOutputStream(client.getOutputStream());
      DataInputStream in = new DataInputStream(client.getInputStream());
      // ConnectRequest{protocolVersion, lastZxidSeen, timeOut, sessionId, passwd, readOnly}.
      ByteBuffer connect = ByteBuffer.allocate(4 + 8 + 4 + 8 + 4 + 16 + 1);
      connect.putInt(0).putLong(0).putInt(30_000).putLong(0).putInt(16).put(new byte[16]);
      connect.put((byte) 0);
      frame(out, connect.array());
      long sessionId = ByteBuffer.wrap(readFrame(in)).getLong(8);
      // getData("/zookeeper", watch=true): RequestHeader{xid 1, type 4}, path, watch.
      byte[] path = "/zookeeper".getBytes(StandardCharsets.UTF_8);
      ByteBuffer getData = ByteBuffer.allocate(4 + 4 + 4 + path.length + 1);
      getData.putInt(1).putInt(4).putInt(path.length).put(path).put((byte) 1);
      frame(out, getData.array());
      readFrame(in);

      String session = "0x" + Long.toHexString(sessionId);
      // Listed by path (other clients' watches may come first) and by session; CI once saw a
      // listing without this session right after the reply, so the listing is polled.
      String[] watches = {""};
      await("zk:watches lists " + session, () -> {
        watches[0] = execute("zk:watches").replace("\r\n", "\n");
        return watches[0].contains("\n/zookeeper\n  " + session + " (data)")
            && watches[0].contains("\n" + session + "\n  /zookeeper (data)");
      });
      assertTrue(watches[0], watches[0].startsWith("by path:\n"));
      assertTrue(watches[0], watches[0].contains("\n\nby session:\n"));
    }
  }

  private static void frame(DataOutputStream out, byte[] payload) throws IOException {
    out.writeInt(payload.length);
    out.write(payload);
    out.flush();
  }

  private static byte[] readFrame(DataInputStream in) throws IOException {
    byte[] payload = new byte[in.readInt()];
    in.readFully(payload);
    return payload;
  }

  /** Waits until the group of one has a leader: a write goes through (reads are local). */
  private void awaitWrites() throws InterruptedException {
    await("a write to go through", () -> {
      String out = execute("zk:create /it-ready");
      return out.contains("created /it-ready") || out.contains("node /it-ready already exists");
    });
  }

  private static boolean matches(String text, String regex) {
    return Pattern.compile(regex).matcher(text).find();
  }

  private String execute(String command) {
    return KarafShell.execute(sessions, command);
  }

  /**
   * Waits for {@code condition} with a deadline, polling; never a fixed sleep. A condition that
   * throws counts as not yet true: right after boot the commands' bundle may not have registered
   * them yet ("Command not found"); the last failure is reported at the deadline.
   */
  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    BooleanSupplier tolerant = condition;
    Throwable[] last = {null};
    condition = () -> {
      try {
        return tolerant.getAsBoolean();
      } catch (RuntimeException | AssertionError e) {
        last[0] = e;
        return false;
      }
    };
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after 60 s waiting for " + what, last[0]);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
    }
  }
}
