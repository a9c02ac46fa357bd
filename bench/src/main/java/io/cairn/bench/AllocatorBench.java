package io.cairn.bench;

import io.cairn.allocator.AgentId;
import io.cairn.allocator.AgentResources;
import io.cairn.allocator.AgentSpec;
import io.cairn.allocator.AllocatorBooks;
import io.cairn.allocator.AllocatorOptions;
import io.cairn.allocator.Filters;
import io.cairn.allocator.FrameworkSpec;
import io.cairn.allocator.Offer;
import io.cairn.allocator.OfferPlan;
import io.cairn.allocator.PortRanges;
import io.cairn.allocator.Resources;
import io.cairn.allocator.drf.internal.DrfAllocatorComponent;
import io.cairn.allocator.spi.Allocator;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One allocation cycle of the DRF allocator over Mesos's benchmark grid (agents {@code
 * cpus:24;mem:4096;disk:4096;ports:[31000-32000]}, all frameworks in one role, as in the Mesos 1.7
 * blog's chart), for issue 7. Two scenarios: <b>full cycle</b> (every agent free; all offers
 * recovered untimed between cycles) and <b>decline</b> (every offer declined with a one-day
 * filter, so filters pile up as in {@code HierarchicalAllocator_BENCHMARK_Test.DeclineOffers}).
 * Each line prints the median cycle time, the same-run floor (handing every agent whole to
 * frameworks in turn with the same resource arithmetic, no ranking) and Mesos 1.8's published
 * figure where there is one (other hardware: a rough anchor, not a same-run baseline).
 *
 * <p>Run: {@code java -cp "bench/target/cairn-bench.jar:bench/target/lib/*"
 * io.cairn.bench.AllocatorBench [--grid 1000x100,5000x500] [--cycles 5] [--warmup 10]}.
 */
public final class AllocatorBench {
  /** Mesos 1.8.0 full-cycle seconds (notes/mesos.md §2, blog chart) by "agents x frameworks". */
  private static final Map<String, Double> MESOS_1_8_SECONDS =
      Map.of("1000x100", 0.1, "5000x500", 0.4, "10000x1000", 1.1, "20000x2000", 3.8);

  private AllocatorBench() {}

  /** Runs the grid given by {@code --grid} (default 1000x100,5000x500) and prints one line each. */
  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    String grid = "1000x100,5000x500";
    int cycles = 5;
    int warmup = 10;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--grid" -> grid = args[i + 1];
        case "--cycles" -> cycles = Integer.parseInt(args[i + 1]);
        case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + "; expected --grid AxF[,AxF...], --cycles N or --warmup N");
      }
    }
    out.printf("%-12s %-10s %12s %12s %10s %14s%n",
        "agents x fw", "scenario", "median ms", "floor ms", "x floor", "Mesos 1.8 ms");
    for (String size : grid.split(",")) {
      String[] parts = size.trim().split("x");
      int agents = Integer.parseInt(parts[0]);
      int frameworks = Integer.parseInt(parts[1]);
      double floor = floorMillis(agents, frameworks, warmup, cycles);
      Double mesos = MESOS_1_8_SECONDS.get(agents + "x" + frameworks);
      print(out, size, "full", fullCycleMillis(agents, frameworks, warmup, cycles), floor, mesos);
      print(out, size, "decline", declineMillis(agents, frameworks, warmup, cycles), floor, null);
    }
  }

  private static void print(PrintStream out, String size, String scenario, double millis,
      double floor, Double mesosSeconds) {
    out.printf(Locale.ROOT, "%-12s %-10s %12.1f %12.1f %10.1f %14s%n", size, scenario, millis,
        floor, millis / floor, mesosSeconds == null ? "-" : String.format(Locale.ROOT, "%.0f",
            mesosSeconds * 1000));
  }

  private static Allocator cluster(int agents, int frameworks) {
    Allocator allocator = new DrfAllocatorComponent().create(
        AllocatorOptions.DEFAULTS, AllocatorBooks.EMPTY);
    for (int f = 0; f < frameworks; f++) {
      allocator.addFramework(FrameworkSpec.of(String.format("f%05d", f), "*"), true, List.of());
    }
    for (int a = 0; a < agents; a++) {
      String id = String.format("a%06d", a);
      allocator.addAgent(new AgentSpec(AgentId.of(id), id, agentTotal()), List.of());
    }
    return allocator;
  }

  private static AgentResources agentTotal() {
    return AgentResources.unreserved(
        Resources.of(24, 4096, 4096, 0, PortRanges.range(31_000, 32_000)));
  }

  private static double fullCycleMillis(int agents, int frameworks, int warmup,
      int cycles) {
    Allocator allocator = cluster(agents, frameworks);
    List<Double> times = new ArrayList<>();
    for (int cycle = -warmup; cycle < cycles; cycle++) {
      long start = System.nanoTime();
      OfferPlan plan = allocator.allocate(cycle * 1_000L);
      long elapsed = System.nanoTime() - start;
      check(plan.offers().size() == agents, "expected %s offers, got %s", agents,
          plan.offers().size());
      for (Offer offer : plan.offers()) {
        allocator.recoverResources(offer.asAllocation(), Filters.NONE, cycle * 1_000L);
      }
      if (cycle >= 0) {
        times.add(elapsed / 1e6);
      }
    }
    return median(times);
  }

  private static double declineMillis(int agents, int frameworks, int warmup, int cycles) {
    for (int round = 0; round < warmup; round += Math.max(1, cycles)) {
      declineRounds(agents, frameworks, cycles);
    }
    return declineRounds(agents, frameworks, cycles);
  }

  private static double declineRounds(int agents, int frameworks, int cycles) {
    Allocator allocator = cluster(agents, frameworks);
    Filters day = new Filters(86_400_000L);
    List<Double> times = new ArrayList<>();
    for (int cycle = 0; cycle < cycles; cycle++) {
      long now = cycle * 1_000L;
      long start = System.nanoTime();
      OfferPlan plan = allocator.allocate(now);
      times.add((System.nanoTime() - start) / 1e6);
      for (Offer offer : plan.offers()) {
        allocator.recoverResources(offer.asAllocation(), day, now);
      }
    }
    return median(times);
  }

  /** Hands every agent whole to the frameworks in turn: the arithmetic without any ranking. */
  private static double floorMillis(int agents, int frameworks, int warmup, int cycles) {
    List<Double> times = new ArrayList<>();
    AgentResources total = agentTotal();
    for (int cycle = -warmup; cycle < cycles; cycle++) {
      long start = System.nanoTime();
      List<Offer> offers = new ArrayList<>(agents);
      for (int a = 0; a < agents; a++) {
        AgentResources available = total.minus(AgentResources.EMPTY);
        offers.add(new Offer(io.cairn.allocator.FrameworkId.of("f" + (a % frameworks)), "*",
            AgentId.of("a" + a), available));
      }
      long elapsed = System.nanoTime() - start;
      check(offers.size() == agents, "floor made %s offers", offers.size());
      if (cycle >= 0) {
        times.add(elapsed / 1e6);
      }
    }
    return median(times);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  private static void check(boolean condition, String template, Object... args) {
    if (!condition) {
      throw new IllegalStateException(String.format(template, args));
    }
  }
}
