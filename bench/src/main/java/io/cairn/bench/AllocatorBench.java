package io.cairn.bench;

import io.cairn.bench.jmh.AllocatorCycleBenchmark;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH allocator benchmarks ({@link AllocatorCycleBenchmark}) over Mesos's grid and
 * prints one table: per cluster the median (p50) time of one full cycle and of one decline-round
 * cycle, the issue 7 goal and the ratio to it, and Mesos 1.8's published full-cycle time with the
 * speed-up over it (notes/mesos.md §2: the Mesos 1.7 blog's chart and the LargeAndSmallQuota
 * commit; other hardware, so a rough anchor, not a same-run baseline). The load average is printed
 * before and after, since the machine is shared.
 *
 * <p>Run: {@code java -cp "bench/target/cairn-bench.jar:bench/target/lib/*"
 * io.cairn.bench.AllocatorBench [--grid 1000x100,...,quota:3000] [--warmup N] [--iterations N]
 * [--seconds S]}. One JMH fork per cluster and scenario; about 3 minutes with the defaults.
 */
public final class AllocatorBench {
  private static final String DEFAULT_GRID = "1000x100,5000x500,10000x1000,20000x2000,quota:3000";

  /** Mesos's published full-cycle seconds by cluster (1.8.0 for the grid; notes/mesos.md §2). */
  private static final Map<String, Double> MESOS_SECONDS = Map.of(
      "1000x100", 0.1, "5000x500", 0.4, "10000x1000", 1.1, "20000x2000", 3.8,
      // LargeAndSmallQuota/2, 3000 agents and quota roles, after commit ec6b7b342 (2019).
      "quota:3000", 16.83);

  /** The issue 7 goals in milliseconds per full cycle. */
  private static final Map<String, Double> GOAL_MILLIS = Map.of(
      "10000x1000", 50.0, "20000x2000", 200.0);

  private AllocatorBench() {}

  /** Parses the options, runs JMH and prints the table. */
  public static void main(String[] args) throws RunnerException {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    String grid = DEFAULT_GRID;
    int warmup = 3;
    int iterations = 3;
    int seconds = 2;
    for (int i = 0; i < args.length; i += 2) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--grid" -> grid = value;
        case "--warmup" -> warmup = Integer.parseInt(value);
        // --cycles: the option of the hand-rolled loop this replaced; same meaning now.
        case "--iterations", "--cycles" -> iterations = Integer.parseInt(value);
        case "--seconds" -> seconds = Integer.parseInt(value);
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + "; expected --grid AxF|quota:N[,...], --warmup N, --iterations N or --seconds S");
      }
    }
    String[] clusters = grid.split(",");
    String loadBefore = loadAverage();
    ChainedOptionsBuilder options = new OptionsBuilder()
        .include(AllocatorCycleBenchmark.class.getName() + "\\.")
        .param("cluster", clusters)
        .forks(1)
        .warmupIterations(warmup)
        .warmupTime(TimeValue.seconds(seconds))
        .measurementIterations(iterations)
        .measurementTime(TimeValue.seconds(seconds));
    Collection<RunResult> results = new Runner(options.build()).run();
    Map<String, Map<String, double[]>> byCluster = new LinkedHashMap<>();
    for (String cluster : clusters) {
      byCluster.put(cluster.trim(), new LinkedHashMap<>());
    }
    for (RunResult result : results) {
      String cluster = result.getParams().getParam("cluster");
      String label = result.getParams().getBenchmark();
      String scenario = label.substring(label.lastIndexOf('.') + 1);
      var statistics = result.getPrimaryResult().getStatistics();
      byCluster.computeIfAbsent(cluster, c -> new LinkedHashMap<>()).put(scenario, new double[] {
          statistics.getPercentile(50), statistics.getMin(), statistics.getMax(),
          statistics.getN()});
    }
    out.println();
    out.println("Allocation cycle, JMH SampleTime, p50 [min-max] ms over n cycles; load average "
        + loadBefore + " before, " + loadAverage() + " after");
    out.printf("%-12s %-26s %-26s %9s %9s %10s %10s%n", "cluster", "full cycle", "decline cycle",
        "goal ms", "x goal", "Mesos ms", "speed-up");
    for (Map.Entry<String, Map<String, double[]>> entry : byCluster.entrySet()) {
      String cluster = entry.getKey();
      double[] full = entry.getValue().get("fullCycle");
      double[] decline = entry.getValue().get("declineCycle");
      Double goal = GOAL_MILLIS.get(cluster);
      Double mesos = MESOS_SECONDS.get(cluster);
      out.printf(Locale.ROOT, "%-12s %-26s %-26s %9s %9s %10s %10s%n", cluster, cell(full),
          cell(decline), goal == null ? "-" : String.format(Locale.ROOT, "%.0f", goal),
          goal == null || full == null ? "-" : String.format(Locale.ROOT, "%.2f", full[0] / goal),
          mesos == null ? "-" : String.format(Locale.ROOT, "%.0f", mesos * 1000),
          mesos == null || full == null ? "-"
              : String.format(Locale.ROOT, "%.0fx", mesos * 1000 / full[0]));
    }
    out.println("x goal = full-cycle p50 / goal (<= 1.00 meets it); Mesos ms = Mesos 1.8's"
        + " published full cycle (quota:3000: LargeAndSmallQuota/2 after commit ec6b7b342, 2019;"
        + " other hardware); speed-up = Mesos ms / our full-cycle p50.");
  }

  private static String cell(double[] values) {
    if (values == null) {
      return "-";
    }
    return String.format(Locale.ROOT, "%.1f [%.1f-%.1f] n=%d", values[0], values[1], values[2],
        (long) values[3]);
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      List<String> first = new ArrayList<>(List.of(parts).subList(0, Math.min(3, parts.length)));
      return String.join(" ", first);
    } catch (IOException e) {
      return "unknown";
    }
  }
}
