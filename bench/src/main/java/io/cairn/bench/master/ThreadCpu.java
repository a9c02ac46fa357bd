package io.cairn.bench.master;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * CPU time used during one phase, grouped by who used it: the master core's thread, the master's
 * Netty threads, the log (Raft and RocksDB writer threads), the simulated agents and the
 * schedulers. On a shared 2-core machine this says whether a rate was bounded by the master or by
 * the load generator living in the same process. Threads that ended during the phase are not
 * counted. The JVM's own threads, which {@link ThreadMXBean} does not list, are read from
 * {@code /proc/self/task} (Linux; 10 ms ticks) and printed apart: the JIT compilers (a new master
 * runs its re-registration path for the first time) and the garbage collector's threads.
 *
 * <p>Threading: used from the bench's main thread.
 */
final class ThreadCpu {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private final Map<Long, Long> startNanos = new HashMap<>();
  private final Map<Long, Long> startUserNanos = new HashMap<>();
  private final Map<Long, Long> startAllocated = new HashMap<>();
  private long startGcMillis;
  private long startGcCount;
  /** CPU ticks of the JVM's compiler and GC threads at the start, by {@code /proc} task id. */
  private final Map<String, long[]> startJvmTicks = new HashMap<>();

  private ThreadCpu() {}

  /** Starts a phase: remembers every live thread's CPU time. */
  static ThreadCpu start() {
    ThreadCpu cpu = new ThreadCpu();
    cpu.startGcMillis = gcMillis();
    cpu.startGcCount = gcCount();
    cpu.startJvmTicks.putAll(jvmThreadTicks());
    for (long id : THREADS.getAllThreadIds()) {
      long nanos = THREADS.getThreadCpuTime(id);
      if (nanos >= 0) {
        cpu.startNanos.put(id, nanos);
        cpu.startUserNanos.put(id, THREADS.getThreadUserTime(id));
        cpu.startAllocated.put(id, allocatedBytes(id));
      }
    }
    return cpu;
  }

  /** CPU seconds per group since {@link #start}, as one line. */
  String since() {
    Map<String, Long> groups = new LinkedHashMap<>();
    for (String group : new String[] {"master core", "master netty", "log", "agents",
        "schedulers", "other"}) {
      groups.put(group, 0L);
    }
    long total = 0;
    long user = 0;
    Map<String, Long> allocated = new LinkedHashMap<>();
    for (java.lang.management.ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long nanos = THREADS.getThreadCpuTime(info.getThreadId());
      long userNanos = THREADS.getThreadUserTime(info.getThreadId());
      if (nanos < 0 || userNanos < 0) {
        continue;
      }
      long used = nanos - startNanos.getOrDefault(info.getThreadId(), 0L);
      groups.merge(group(info.getThreadName()), used, Long::sum);
      total += used;
      user += userNanos - startUserNanos.getOrDefault(info.getThreadId(), 0L);
      long bytes = allocatedBytes(info.getThreadId());
      if (bytes >= 0) {
        allocated.merge(group(info.getThreadName()),
            bytes - startAllocated.getOrDefault(info.getThreadId(), 0L), Long::sum);
      }
    }
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
        "cpu %.2f s (%.2f s in the kernel):", total / 1e9, (total - user) / 1e9));
    groups.forEach((group, nanos) ->
        line.append(String.format(Locale.ROOT, " %s %.2f", group, nanos / 1e9)));
    line.append("; allocated MB:");
    allocated.forEach((group, bytes) -> {
      if (bytes >= 1_000_000) {
        line.append(String.format(Locale.ROOT, " %s %.0f", group, bytes / 1e6));
      }
    });
    long jit = 0;
    long gcThreads = 0;
    for (Map.Entry<String, long[]> task : jvmThreadTicks().entrySet()) {
      long[] before = startJvmTicks.getOrDefault(task.getKey(), new long[] {0, 0});
      long ticks = task.getValue()[1] - before[1];
      if (task.getValue()[0] == 0) {
        jit += ticks;
      } else {
        gcThreads += ticks;
      }
    }
    line.append(String.format(Locale.ROOT, "; JVM threads (not in the total): JIT compilers %.2f,"
        + " GC threads %.2f", jit / (double) TICKS_PER_SECOND, gcThreads / (double) TICKS_PER_SECOND));
    line.append(String.format(Locale.ROOT, "; garbage collection %d times, %.2f s (pauses the"
        + " whole process)", gcCount() - startGcCount,
        (gcMillis() - startGcMillis) / 1e3));
    return line.toString();
  }

  /** Milliseconds spent collecting garbage so far, all collectors. */
  private static long gcMillis() {
    long sum = 0;
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      sum += Math.max(0, gc.getCollectionTime());
    }
    return sum;
  }

  private static long gcCount() {
    long sum = 0;
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      sum += Math.max(0, gc.getCollectionCount());
    }
    return sum;
  }

  /** Bytes thread {@code id} allocated so far, or -1 where the JVM does not count them. */
  private static long allocatedBytes(long id) {
    if (THREADS instanceof com.sun.management.ThreadMXBean counting) {
      return counting.getThreadAllocatedBytes(id);
    }
    return -1;
  }

  /** Linux's USER_HZ, the unit of utime and stime in /proc/<pid>/task/<tid>/stat. */
  private static final long TICKS_PER_SECOND = 100;

  /**
   * utime + stime ticks of the JVM's compiler ({0, ticks}) and GC ({1, ticks}) threads, by task
   * id; empty where /proc is not readable.
   */
  private static Map<String, long[]> jvmThreadTicks() {
    Map<String, long[]> ticks = new HashMap<>();
    java.nio.file.Path tasks = java.nio.file.Path.of("/proc/self/task");
    try (java.util.stream.Stream<java.nio.file.Path> list = java.nio.file.Files.list(tasks)) {
      for (java.nio.file.Path task : list.toList()) {
        String stat;
        try {
          stat = java.nio.file.Files.readString(task.resolve("stat"));
        } catch (java.io.IOException e) {
          continue; // The thread ended while listing.
        }
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open) {
          continue;
        }
        String comm = stat.substring(open + 1, close);
        int kind = comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler") ? 0
            : comm.startsWith("GC Thread") || comm.startsWith("G1 ") ? 1 : -1;
        if (kind < 0) {
          continue;
        }
        String[] fields = stat.substring(close + 2).split(" ");
        // fields[0] is stat's 3rd field (state): utime and stime are its 14th and 15th.
        ticks.put(task.getFileName().toString(), new long[] {kind,
            Long.parseLong(fields[11]) + Long.parseLong(fields[12])});
      }
    } catch (java.io.IOException | RuntimeException e) {
      return Map.of();
    }
    return ticks;
  }

  private static String group(String thread) {
    if (thread.equals("cairn-master")) {
      return "master core";
    }
    if (thread.startsWith("cairn-master-accept") || thread.startsWith("cairn-master-io")
        || thread.startsWith("nioEventLoopGroup")) {
      return "master netty";
    }
    if (thread.startsWith("cairn-raft") || thread.startsWith("cairn-log")) {
      return "log";
    }
    if (thread.startsWith("bench-agents")) {
      return "agents";
    }
    if (thread.startsWith("bench-schedulers")) {
      return "schedulers";
    }
    return "other";
  }
}
