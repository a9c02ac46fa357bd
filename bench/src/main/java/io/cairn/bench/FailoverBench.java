package io.cairn.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * Leader fail-over time of a real 3-node Cairn: starts it with {@code ./cairn start --nodes 3},
 * then for each round kills the Raft leader's process with kill -9 and measures, from the moment
 * the process is gone, (a) until a surviving node reports {@code Mode: leader} and (b) until a
 * write through the survivors is committed and acknowledged; then restarts the killed node for the
 * next round. Baseline: the configured election timeout, printed beside the figures.
 *
 * <pre>
 * java -cp bench/target/cairn-bench.jar:bench/target/lib/* io.cairn.bench.FailoverBench \
 *     [--rounds 5] [--data DIR]
 * </pre>
 *
 * Every node it starts is stopped by {@code ./cairn stop} (pid files) at the end, also on failure.
 */
public final class FailoverBench {
  private static final int OFFSET = 16000; // ports stay below the ephemeral range (32768+)
  private static final int NODES = 3;
  private static final int SETTLE_SECONDS = 5;

  private FailoverBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = 5;
    Path data = Files.createTempDirectory("cairn-failover");
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--data" -> data = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path root = Path.of("").toAbsolutePath();
    try {
      cairn(root, data, "start", "--nodes", String.valueOf(NODES));
      List<long[]> results = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        results.add(round(root, data, round));
        cairn(root, data, "start");
      }
      long[] leader = results.stream().mapToLong(r -> r[0]).sorted().toArray();
      long[] commit = results.stream().mapToLong(r -> r[1]).sorted().toArray();
      System.out.printf(Locale.ROOT,
          "%nkill -9 of the leader, %d rounds: new leader median %d ms (max %d), first commit"
              + " median %d ms (max %d); election timeout = 10..20 x tick.ms"
              + " (io.cairn.consensus)%n",
          rounds, leader[leader.length / 2], leader[leader.length - 1], commit[commit.length / 2],
          commit[commit.length - 1]);
    } finally {
      cairn(root, data, "stop");
    }
  }

  /** One kill: returns {ms until a survivor leads, ms until a write commits}. */
  private static long[] round(Path root, Path data, int round) throws Exception {
    awaitLeader(List.of(1, 2, 3));
    // Let a node restarted by the previous round settle (peer links reconnected, caught up): the
    // figure is for a leader lost from a steady cluster.
    TimeUnit.SECONDS.sleep(SETTLE_SECONDS);
    int leader = awaitLeader(List.of(1, 2, 3));
    List<Integer> survivors = new ArrayList<>(List.of(1, 2, 3));
    survivors.remove(Integer.valueOf(leader));
    String connect = server(survivors.get(0)) + "," + server(survivors.get(1));
    try (ZooKeeper zk = connect(connect)) {
      String path = "/failover-" + round;
      create(zk, path + "-before");
      long pid = Long.parseLong(
          Files.readString(data.resolve("node-" + leader + "/cairn.pid")).strip());
      ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
      // The clock starts at the SIGKILL, and the probes start right after it: onExit() of a
      // process that is not our child is polled with growing delays and can report the death
      // a second late, so it is only awaited at the end.
      long killedAt = System.nanoTime();
      process.destroyForcibly();
      long[] leaderAt = {0};
      Thread watcher = new Thread(() -> {
        try {
          awaitLeader(survivors);
          leaderAt[0] = System.nanoTime();
        } catch (Exception e) {
          leaderAt[0] = -1;
        }
      });
      watcher.start();
      create(zk, path);
      long committedAt = System.nanoTime();
      watcher.join();
      process.onExit().get(30, TimeUnit.SECONDS);
      long leaderMs = TimeUnit.NANOSECONDS.toMillis(leaderAt[0] - killedAt);
      long commitMs = TimeUnit.NANOSECONDS.toMillis(committedAt - killedAt);
      System.out.printf("round %d: killed node %d; new leader after %d ms, first commit after %d ms%n",
          round, leader, leaderMs, commitMs);
      return new long[] {leaderMs, commitMs};
    }
  }

  /** Creates {@code path}, retrying through connection loss; a retried create may find it. */
  private static void create(ZooKeeper zk, String path) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        zk.create(path, new byte[256], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        return;
      } catch (KeeperException.NodeExistsException e) {
        return;
      } catch (KeeperException.ConnectionLossException e) {
        if (System.nanoTime() > end) {
          throw new IllegalStateException("create " + path + " failed for 60 s", e);
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
    }
  }

  private static String server(int node) {
    return "127.0.0.1:" + (2181 + OFFSET + 10 * (node - 1));
  }

  private static int awaitLeader(List<Integer> candidates) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < end) {
      for (int node : candidates) {
        if (srvr(node).contains("Mode: leader")) {
          return node;
        }
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    throw new IllegalStateException("no leader among nodes " + candidates + " within 30 s");
  }

  private static String srvr(int node) {
    String[] hostPort = server(node).split(":");
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 500);
      socket.setSoTimeout(500);
      socket.getOutputStream().write("srvr".getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static ZooKeeper connect(String servers) throws Exception {
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper zk = new ZooKeeper(servers, 30_000, event -> {
      if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
        connected.countDown();
      }
    });
    if (!connected.await(30, TimeUnit.SECONDS)) {
      zk.close();
      throw new IOException("no session with " + servers + " within 30 s");
    }
    return zk;
  }

  private static void cairn(Path root, Path data, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(root.resolve("cairn").toString());
    command.addAll(Arrays.asList(args));
    command.addAll(List.of("--data", data.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    builder.environment().put("CAIRN_PORT_OFFSET", String.valueOf(OFFSET));
    builder.environment().putIfAbsent("CAIRN_NO_BUILD", "1");
    int exit = builder.start().waitFor();
    if (exit != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited " + exit);
    }
  }
}
