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

  private ThreadCpu() {}

  /** Starts a phase: remembers every live thread's CPU time. */
  static ThreadCpu start() {
    ThreadCpu cpu = new ThreadCpu();
    for (long id : THREADS.getAllThreadIds()) {
      long nanos = THREADS.getThreadCpuTime(id);
      if (nanos >= 0) {
        cpu.startNanos.put(id, nanos);
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
    for (java.lang.management.ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long nanos = THREADS.getThreadCpuTime(info.getThreadId());
      if (nanos < 0) {
        continue;
      }
      long used = nanos - startNanos.getOrDefault(info.getThreadId(), 0L);
      groups.merge(group(info.getThreadName()), used, Long::sum);
      total += used;
    }
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "cpu %.2f s:", total / 1e9));
    groups.forEach((group, nanos) ->
        line.append(String.format(Locale.ROOT, " %s %.2f", group, nanos / 1e9)));
    return line.toString();
  }

  private static String group(String thread) {
    if (thread.equals("cairn-master")) {
      return "master core";
    }
    if (thread.startsWith("nioEventLoopGroup")) {
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
