package io.cairn.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * A closed-loop load generator over the real ZooKeeper client, run the same way against Apache
 * ZooKeeper and against Cairn's coordination service (bench/zk-vs-cairn.sh starts each cluster in
 * turn). Every client is its own session and thread, keeping one synchronous request outstanding:
 * {@code set} (setData of the client's own znode), {@code get} (getData of it), {@code create}
 * (a new persistent znode per request). A Cairn {@code set} or {@code create} is one proposal
 * through Raft, so the write lines are also the consensus load figures of the consensus issue.
 *
 * <pre>
 * java -cp bench/target/cairn-bench.jar io.cairn.bench.ZkLoad run --label cairn \
 *     --connect 127.0.0.1:2181 --pids 1234,1235 --out results.txt
 * java -cp bench/target/cairn-bench.jar io.cairn.bench.ZkLoad compare zookeeper cairn results.txt
 * </pre>
 *
 * <p>Server CPU per operation comes from {@code /proc/<pid>/stat} (user + system time) of the
 * server processes named by {@code --pids}, sampled around the measured window. The generator
 * runs on the same 2 cores, so absolute rates are lower than on a dedicated client machine; the
 * ratio between the two systems, measured the same way in one run, is the figure that counts.
 */
public final class ZkLoad {
  private static final int SESSION_TIMEOUT_MS = 30_000;

  private ZkLoad() {}

  public static void main(String[] args) throws Exception {
    if (args.length >= 1 && args[0].equals("run")) {
      run(options(args));
    } else if (args.length == 4 && args[0].equals("compare")) {
      compare(args[1], args[2], Path.of(args[3]));
    } else {
      System.err.println("usage: ZkLoad run --label L --connect HOSTS [--pids P,P] [--clients 1,64]"
          + " [--ops set,get,create] [--size 256] [--seconds 5] [--warmup-seconds 2] --out FILE\n"
          + "       ZkLoad compare BASELINE_LABEL LABEL FILE");
      System.exit(2);
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'");
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    return options;
  }

  private static void run(Map<String, String> options) throws Exception {
    String label = required(options, "label");
    String connect = required(options, "connect");
    Path out = Path.of(required(options, "out"));
    int size = Integer.parseInt(options.getOrDefault("size", "256"));
    int seconds = Integer.parseInt(options.getOrDefault("seconds", "5"));
    int warmup = Integer.parseInt(options.getOrDefault("warmup-seconds", "2"));
    List<Long> pids = new ArrayList<>();
    for (String pid : options.getOrDefault("pids", "").split(",")) {
      if (!pid.isBlank()) {
        pids.add(Long.parseLong(pid.trim()));
      }
    }
    for (String op : options.getOrDefault("ops", "set,get,create").split(",")) {
      for (String clients : options.getOrDefault("clients", "1,64").split(",")) {
        Result result = workload(label, connect, op, Integer.parseInt(clients), size, warmup,
            seconds, pids);
        System.out.println(result.line());
        Files.writeString(out, result.record() + "\n", StandardCharsets.UTF_8,
            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
      }
    }
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return value;
  }

  /** One measured workload: {@code clients} sessions running {@code op} in a closed loop. */
  private static Result workload(String label, String connect, String op, int clients, int size,
      int warmupSeconds, int seconds, List<Long> pids) throws Exception {
    byte[] payload = new byte[size];
    new Random(42).nextBytes(payload);
    String root = "/bench-" + op + "-" + clients + "-" + System.nanoTime();
    List<ZooKeeper> sessions = new ArrayList<>();
    try {
      for (int i = 0; i < clients; i++) {
        sessions.add(connect(connect));
      }
      sessions.get(0).create(root, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      for (int i = 0; i < clients; i++) {
        sessions.get(0).create(root + "/c" + i, payload, ZooDefs.Ids.OPEN_ACL_UNSAFE,
            CreateMode.PERSISTENT);
      }
      AtomicBoolean measuring = new AtomicBoolean();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      // A leader change closes connections (ZooKeeper's ConnectionLoss); clients reconnect and go
      // on, as applications do. Counted and reported, never measured as a latency.
      java.util.concurrent.atomic.AtomicLong connectionLosses =
          new java.util.concurrent.atomic.AtomicLong();
      List<Latencies> latencies = new ArrayList<>();
      long[] counts = new long[clients];
      CountDownLatch done = new CountDownLatch(clients);
      for (int i = 0; i < clients; i++) {
        Latencies mine = new Latencies();
        latencies.add(mine);
        int client = i;
        ZooKeeper zk = sessions.get(i);
        String own = root + "/c" + i;
        Thread thread = new Thread(() -> {
          try {
            long n = 0;
            while (!stop.get()) {
              long start = System.nanoTime();
              try {
                switch (op) {
                  case "set" -> zk.setData(own, payload, -1);
                  case "get" -> zk.getData(own, false, null);
                  case "create" -> zk.create(own + "/k" + (n++), payload,
                      ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                  default -> throw new IllegalArgumentException("unknown op '" + op
                      + "'; use set, get or create");
                }
              } catch (org.apache.zookeeper.KeeperException.ConnectionLossException e) {
                connectionLosses.incrementAndGet();
                continue;
              }
              if (measuring.get()) {
                mine.record(System.nanoTime() - start);
                counts[client]++;
              }
            }
          } catch (Throwable e) {
            failure.compareAndSet(null, e);
          } finally {
            done.countDown();
          }
        }, "zkload-" + i);
        thread.setDaemon(true);
        thread.start();
      }
      TimeUnit.SECONDS.sleep(warmupSeconds);
      long cpuBefore = cpuTicks(pids);
      long startNanos = System.nanoTime();
      measuring.set(true);
      TimeUnit.SECONDS.sleep(seconds);
      measuring.set(false);
      long elapsedNanos = System.nanoTime() - startNanos;
      long cpuAfter = cpuTicks(pids);
      stop.set(true);
      if (!done.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("clients did not stop within 60 s");
      }
      if (failure.get() != null) {
        throw new IllegalStateException(label + " " + op + " failed: " + failure.get(),
            failure.get());
      }
      if (connectionLosses.get() > 0) {
        System.err.printf("%s %s %d clients: %d requests lost their connection (leader change?)"
            + " and were not counted%n", label, op, clients, connectionLosses.get());
      }
      long ops = 0;
      for (long count : counts) {
        ops += count;
      }
      Latencies all = Latencies.merge(latencies);
      double rate = ops / (elapsedNanos / 1e9);
      // /proc/<pid>/stat times are in clock ticks; USER_HZ is 100 on Linux.
      double cpuMicrosPerOp = pids.isEmpty() || ops == 0 ? Double.NaN
          : (cpuAfter - cpuBefore) * 10_000.0 / ops;
      return new Result(label, op, clients, rate, all.quantileMicros(0.5),
          all.quantileMicros(0.99), cpuMicrosPerOp);
    } finally {
      for (ZooKeeper zk : sessions) {
        zk.close();
      }
    }
  }

  private static ZooKeeper connect(String connect) throws IOException, InterruptedException {
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper zk = new ZooKeeper(connect, SESSION_TIMEOUT_MS, event -> {
      if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
        connected.countDown();
      }
    });
    if (!connected.await(30, TimeUnit.SECONDS)) {
      zk.close();
      throw new IOException("no session with " + connect + " within 30 s");
    }
    return zk;
  }

  /** User + system clock ticks of the given processes (and their threads). */
  private static long cpuTicks(List<Long> pids) throws IOException {
    long total = 0;
    for (long pid : pids) {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      total += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
    return total;
  }

  /** One workload's figures; {@link #record} is the line stored for {@code compare}. */
  record Result(String label, String op, int clients, double opsPerSecond, double p50Micros,
      double p99Micros, double cpuMicrosPerOp) {
    String record() {
      return String.format(Locale.ROOT, "%s %s %d %.1f %.1f %.1f %.1f", label, op, clients,
          opsPerSecond, p50Micros, p99Micros, cpuMicrosPerOp);
    }

    String line() {
      return String.format(Locale.ROOT,
          "%-10s %-6s %2d clients: %9.0f ops/s  p50 %7.3f ms  p99 %7.3f ms  server cpu %6.1f µs/op",
          label, op, clients, opsPerSecond, p50Micros / 1000, p99Micros / 1000, cpuMicrosPerOp);
    }

    static Result parse(String line) {
      String[] f = line.trim().split(" ");
      return new Result(f[0], f[1], Integer.parseInt(f[2]), Double.parseDouble(f[3]),
          Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]));
    }
  }

  /** Prints {@code label} against {@code baseline} per workload: throughput and p99 ratios. */
  private static void compare(String baseline, String label, Path file) throws IOException {
    Map<String, Result> base = new LinkedHashMap<>();
    Map<String, Result> other = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      Result result = Result.parse(line);
      String key = result.op() + " " + result.clients();
      if (result.label().equals(baseline)) {
        base.put(key, result);
      } else if (result.label().equals(label)) {
        other.put(key, result);
      }
    }
    System.out.printf("%n%s / %s, same machine, same generator, one run:%n", label, baseline);
    for (Map.Entry<String, Result> entry : other.entrySet()) {
      Result b = base.get(entry.getKey());
      if (b == null) {
        continue;
      }
      Result r = entry.getValue();
      System.out.printf(Locale.ROOT,
          "%-6s %2d clients: throughput %5.2fx  p50 %5.2fx  p99 %5.2fx  cpu/op %5.2fx"
              + "   (%.0f vs %.0f ops/s)%n",
          r.op(), r.clients(), r.opsPerSecond() / b.opsPerSecond(), r.p50Micros() / b.p50Micros(),
          r.p99Micros() / b.p99Micros(), r.cpuMicrosPerOp() / b.cpuMicrosPerOp(),
          r.opsPerSecond(), b.opsPerSecond());
    }
  }

  static {
    // The client's own logging is noise here; slf4j-simple prints WARN and above.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
  }
}
