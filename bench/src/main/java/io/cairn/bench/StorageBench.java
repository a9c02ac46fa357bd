package io.cairn.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The storage benchmark of issue 3, in one run: the raw fdatasync rate of the data directory
 * (measured from Java: the physical limit), RocksDB's synced write rate, and {@code LogStorage}
 * durable appends/s with 1, 16 and 64 concurrent appenders at 256 B and 4 KiB, each printed as a
 * ratio to the raw limit. For one appender it also prints the append-to-durable latency as a
 * multiple of one fdatasync (the goal is at most 1.2x).
 *
 * <p>Usage: {@code java -jar bench/target/cairn-bench.jar [--dir DIR] [--seconds N]
 * [--warmup-seconds N] [--reps N]}. DIR must be on the device under test; it is created and
 * emptied. With {@code --reps N} every probe runs N times, interleaved, and the run with the median
 * rate is printed. Results go to stdout (this is a command-line tool, the one place that prints).
 */
public final class StorageBench {
  private static final int[] APPENDERS = {1, 16, 64};
  private static final int[] PAYLOAD_BYTES = {256, 4096};

  /** One line of the report: what to run, and how to name its rate. */
  private record Probe(String label, String unit, int appenders, Run run) {}

  @FunctionalInterface
  private interface Run {
    Measurement measure(Path dir, Window window) throws Exception;
  }

  private StorageBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of("bench-data");
    int seconds = 3;
    int warmupSeconds = 1;
    int reps = 1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--dir" -> dir = Path.of(args[++i]);
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(args[++i]);
        case "--reps" -> reps = Integer.parseInt(args[++i]);
        default ->
            throw new IllegalArgumentException(
                "unknown argument '"
                    + args[i]
                    + "'; use --dir DIR --seconds N --warmup-seconds N --reps N");
      }
    }
    Window window = new Window(warmupSeconds * 1_000_000_000L, seconds * 1_000_000_000L);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    run(dir.toAbsolutePath(), window, reps, out);
  }

  private static List<Probe> probes() {
    List<Probe> probes = new ArrayList<>();
    probes.add(
        new Probe(
            "raw fdatasync, 4 KiB append + force(false), 1 thread",
            "syncs/s",
            0,
            (dir, window) -> RawSyncProbe.measure(dir, 4096, window)));
    for (int payload : PAYLOAD_BYTES) {
      probes.add(
          new Probe(
              "RocksDB put sync=true, " + size(payload) + ", 1 thread",
              "writes/s",
              0,
              (dir, window) -> RocksSyncProbe.measure(dir, payload, window)));
    }
    for (int payload : PAYLOAD_BYTES) {
      for (int appenders : APPENDERS) {
        String label =
            String.format(
                Locale.ROOT,
                "LogStorage %s, %d appender%s",
                size(payload),
                appenders,
                appenders == 1 ? "" : "s");
        probes.add(
            new Probe(
                label,
                "appends/s",
                appenders,
                (dir, window) -> new AppendLoad(dir, appenders, payload).run(window)));
      }
    }
    return probes;
  }

  private static void run(Path dir, Window window, int reps, PrintStream out) throws Exception {
    Files.createDirectories(dir);
    out.printf(
        Locale.ROOT,
        "cairn storage bench  dir=%s  window=%.0fs (+%.0fs warm-up)  reps=%d  cpus=%d "
            + " loadavg=%s%n",
        dir,
        window.measureNanos() / 1e9,
        window.warmupNanos() / 1e9,
        reps,
        Runtime.getRuntime().availableProcessors(),
        loadAverage());
    List<Probe> probes = probes();
    List<List<Measurement>> results = new ArrayList<>();
    probes.forEach(p -> results.add(new ArrayList<>()));
    for (int rep = 0; rep < reps; rep++) {
      for (int i = 0; i < probes.size(); i++) {
        results.get(i).add(probes.get(i).run().measure(fresh(dir, "probe-" + i), window));
      }
    }
    Measurement raw = median(results.get(0));
    double syncP50 = raw.latencies().quantileMicros(0.5);
    for (int i = 0; i < probes.size(); i++) {
      Probe probe = probes.get(i);
      Measurement m = median(results.get(i));
      print(out, probe.label(), m, raw.opsPerSecond(), probe.unit());
      if (probe.appenders() == 1) {
        out.printf(
            Locale.ROOT,
            "    1-appender latency p50 = %.2fx one fdatasync p50 (%.0f / %.0f us; goal <= 1.2x)%n",
            m.latencies().quantileMicros(0.5) / syncP50,
            m.latencies().quantileMicros(0.5),
            syncP50);
      }
    }
    delete(dir);
    out.printf(Locale.ROOT, "loadavg after: %s%n", loadAverage());
    out.println(
        "note: shared 2-vCPU VM with a write-back virtio cache; compare ratios within one run"
            + " only.");
  }

  private static Measurement median(List<Measurement> runs) {
    List<Measurement> sorted = new ArrayList<>(runs);
    sorted.sort(Comparator.comparingDouble(Measurement::opsPerSecond));
    return sorted.get(sorted.size() / 2);
  }

  private static void print(
      PrintStream out, String label, Measurement m, double limit, String unit) {
    String syncs =
        m.syncsPerSecond() > 0
            ? String.format(
                Locale.ROOT,
                "  syncs/s %6.0f  appends/sync %5.1f  mean sync %5.0f us",
                m.syncsPerSecond(),
                m.opsPerSecond() / m.syncsPerSecond(),
                m.meanSyncMicros())
            : "";
    out.printf(
        Locale.ROOT,
        "%-52s %9.0f %-9s = %5.2fx raw   p50 %7.0f us  p99 %7.0f us%s%n",
        label,
        m.opsPerSecond(),
        unit,
        m.opsPerSecond() / limit,
        m.latencies().quantileMicros(0.5),
        m.latencies().quantileMicros(0.99),
        syncs);
  }

  private static String size(int bytes) {
    return bytes >= 1024 ? (bytes / 1024) + " KiB" : bytes + " B";
  }

  private static Path fresh(Path dir, String name) throws IOException {
    Path sub = dir.resolve(name);
    delete(sub);
    return Files.createDirectories(sub);
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }
}
