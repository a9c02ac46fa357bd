package io.cairn.storage.internal;

import io.cairn.env.storage.HardState;
import io.cairn.env.storage.LogEntry;
import io.cairn.env.storage.LogStorage;
import io.cairn.env.storage.LogWrite;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The child JVM of {@link RocksLogStorageCrashTest}: appends to the log in {@code args[0]} from
 * {@code args[1]} threads until killed, printing {@code ACK <lastIndex>} to stdout only after a
 * write is durable. Every write is {@link #ENTRIES_PER_WRITE} entries plus a hard state whose
 * commit index is the write's last index, so recovery can check both atomicity and boundaries.
 */
public final class CrashChild {
  static final int ENTRIES_PER_WRITE = 3;
  static final long TERM = 7;

  private CrashChild() {}

  static byte[] payload(long index) {
    return payload(index, 0);
  }

  /** The entry at {@code index}, {@code pad} bytes longer (large entries roll RocksDB's WAL). */
  static byte[] payload(long index, int pad) {
    return ("crash-entry-" + index + "-" + "x".repeat((int) (index % 50) + pad))
        .getBytes(StandardCharsets.UTF_8);
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int threads = Integer.parseInt(args[1]);
    int pad = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    LogStorage log = RocksLogStorage.open(dir, RocksLogConfig.DEFAULTS);
    out.println("READY " + log.lastIndex());
    Object submit = new Object();
    List<Thread> appenders = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(() -> appendForever(log, submit, out, pad), "appender-" + t);
      thread.start();
      appenders.add(thread);
    }
    for (Thread thread : appenders) {
      thread.join();
    }
  }

  private static void appendForever(LogStorage log, Object submit, PrintStream out, int pad) {
    while (true) {
      CompletionStage<Long> stage;
      synchronized (submit) {
        long first = log.lastIndex() + 1;
        List<LogEntry> entries = new ArrayList<>();
        for (long i = first; i < first + ENTRIES_PER_WRITE; i++) {
          entries.add(new LogEntry(i, TERM, payload(i, pad)));
        }
        long last = first + ENTRIES_PER_WRITE - 1;
        stage = log.write(new LogWrite(new HardState(TERM, 1, last), 0, entries));
      }
      long acked = stage.toCompletableFuture().join();
      out.println("ACK " + acked);
    }
  }
}
