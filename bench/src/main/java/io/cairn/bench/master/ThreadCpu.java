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
 * counted.
 *
 * <p>Threading: used from the bench's main thread.
 */
final class ThreadCpu {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private final Map<Long, Long> startNanos = new HashMap<>();
  private final Map<Long, Long> startUserNanos = new HashMap<>();
  private long startGcMillis;
  private long startGcCount;

  private ThreadCpu() {}

  /** Starts a phase: remembers every live thread's CPU time. */
  static ThreadCpu start() {
    ThreadCpu cpu = new ThreadCpu();
    cpu.startGcMillis = gcMillis();
    cpu.startGcCount = gcCount();
    for (long id : THREADS.getAllThreadIds()) {
      long nanos = THREADS.getThreadCpuTime(id);
      if (nanos >= 0) {
        cpu.startNanos.put(id, nanos);
        cpu.startUserNanos.put(id, THREADS.getThreadUserTime(id));
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
    }
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
        "cpu %.2f s (%.2f s in the kernel):", total / 1e9, (total - user) / 1e9));
    groups.forEach((group, nanos) ->
        line.append(String.format(Locale.ROOT, " %s %.2f", group, nanos / 1e9)));
    line.append(String.format(Locale.ROOT, "; garbage collection %d times, %.2f s (pauses the"
        + " whole process; its CPU is not counted above)", gcCount() - startGcCount,
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
