package io.cairn.bench.jmh;

import io.cairn.allocator.Filters;
import io.cairn.allocator.Offer;
import io.cairn.allocator.OfferPlan;
import io.cairn.allocator.spi.Allocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: the time of one allocation cycle ({@code DrfAllocator.allocate}, the step plus entering
 * its offers into the books) over Mesos's benchmark grid, for issue 7. Every invocation is one
 * cycle; a {@link Level#Invocation} setup (untimed) puts the allocator back into the state the
 * scenario defines, so every measured cycle does the same work:
 *
 * <ul>
 *   <li>{@link #fullCycle}: every agent free (the previous cycle's offers are recovered without a
 *       filter), all frameworks in one role, no filtering: the Mesos 1.7 blog's "allocation
 *       cycle" chart. Every agent is offered whole to some framework.
 *   <li>{@link #declineCycle}: Mesos's {@code DeclineOffers}: every agent has {@code cpus:16} and
 *       16 ports in use, and every offer is declined with a one-day filter. The trial setup runs
 *       {@link #DECLINE_ROUNDS} declined cycles (untimed); each measured cycle is the next round,
 *       whose offers are then recovered without a filter, so the filters stay those of the
 *       earlier rounds and every agent's walk passes frameworks filtered on it.
 * </ul>
 *
 * Clusters are named as in {@link AllocatorClusters}. Run through {@code
 * io.cairn.bench.AllocatorBench}, which prints the table with the goal and Mesos ratios. Single
 * JMH thread; the state is not shared between threads.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
public class AllocatorCycleBenchmark {
  /** Declined cycles before the measured one in {@link #declineCycle} (Mesos prints rounds 0-2). */
  public static final int DECLINE_ROUNDS = 2;

  private static final Filters ONE_DAY = new Filters(86_400_000L);

  /** One cluster whose every agent is free before each measured cycle. */
  @State(Scope.Thread)
  public static class Full {
    @Param({"1000x100", "5000x500", "10000x1000", "20000x2000", "quota:3000"})
    public String cluster;

    Allocator allocator;
    OfferPlan last;
    long nowMillis;

    /** Builds the cluster. */
    @Setup(Level.Trial)
    public void build() {
      AllocatorClusters.Shape shape = AllocatorClusters.Shape.parse(cluster);
      warmUp(shape);
      allocator = AllocatorClusters.build(shape);
    }

    /** Recovers the previous cycle's offers without a filter and moves the clock on. */
    @Setup(Level.Invocation)
    public void restore() {
      recover(allocator, last, Filters.NONE, nowMillis);
      last = null;
      nowMillis += 1_000;
    }
  }

  /** One cluster after {@link #DECLINE_ROUNDS} rounds of declined offers. */
  @State(Scope.Thread)
  public static class Decline {
    @Param({"1000x100", "5000x500", "10000x1000", "20000x2000", "quota:3000"})
    public String cluster;

    Allocator allocator;
    OfferPlan last;
    long nowMillis;

    /** Builds the cluster and declines every offer of the first rounds for a day. */
    @Setup(Level.Trial)
    public void build() {
      AllocatorClusters.Shape shape = AllocatorClusters.Shape.parse(cluster);
      warmUp(shape);
      allocator = AllocatorClusters.buildUsed(shape);
      for (int round = 0; round < DECLINE_ROUNDS; round++) {
        nowMillis += 1_000;
        recover(allocator, allocator.allocate(nowMillis), ONE_DAY, nowMillis);
      }
    }

    /** Recovers the previous measured round's offers without a filter. */
    @Setup(Level.Invocation)
    public void restore() {
      recover(allocator, last, Filters.NONE, nowMillis);
      last = null;
      nowMillis += 1_000;
    }
  }

  /** One full allocation cycle over free agents. */
  @Benchmark
  public OfferPlan fullCycle(Full state) {
    state.last = state.allocator.allocate(state.nowMillis);
    return state.last;
  }

  /** One allocation cycle with the earlier rounds' offers declined and filtered. */
  @Benchmark
  public OfferPlan declineCycle(Decline state) {
    state.last = state.allocator.allocate(state.nowMillis);
    return state.last;
  }

  /**
   * Compiles the allocator's hot code before JMH's own warm-up: full cycles on a throwaway copy of
   * the cluster until about 200k agents were visited (at least 5 cycles, at most 10 s). JMH's
   * time-based warm-up alone sees only a handful of cycles of the large clusters.
   */
  static void warmUp(AllocatorClusters.Shape shape) {
    Allocator allocator = AllocatorClusters.build(shape);
    int cycles = Math.max(5, 200_000 / Math.max(1, shape.agents()));
    long deadline = System.nanoTime() + 10_000_000_000L;
    for (int cycle = 1; cycle <= cycles && System.nanoTime() < deadline; cycle++) {
      recover(allocator, allocator.allocate(cycle * 1_000L), Filters.NONE, cycle * 1_000L);
    }
  }

  static void recover(Allocator allocator, OfferPlan plan, Filters filters, long nowMillis) {
    if (plan == null) {
      return;
    }
    for (Offer offer : plan.offers()) {
      allocator.recoverResources(offer.asAllocation(), filters, nowMillis);
    }
  }
}
