package io.cairn.storage.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.env.storage.LogEntry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Crash safety for real: a child JVM appends from several threads and prints an acknowledgement
 * after each durable write; the test kills it with SIGKILL ({@link Process#destroyForcibly()} on
 * Linux) in the middle of appends, reopens the log and checks that every acknowledged entry is
 * there, intact, and that the log ends on a write boundary with the hard state of that write. Two
 * rounds: the second appends to the recovered log and is killed again.
 */
class RocksLogStorageCrashTest {
  private static final long DEADLINE_MS = 60_000;
  private static final long ACKED_ENTRIES_BEFORE_KILL = 1_500;
  private final Path dir = TestDirs.create("rocks-crash-");
  private Process child;

  @AfterEach
  void cleanUp() throws InterruptedException {
    if (child != null && child.isAlive()) {
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
    }
    TestDirs.delete(dir);
  }

  @Test
  void everyAcknowledgedEntrySurvivesKillNineAndTheLogEndsOnAWriteBoundary() throws Exception {
    killTwiceAndVerify(ACKED_ENTRIES_BEFORE_KILL, 0);
  }

  /**
   * The same with 48 KiB entries, acknowledged past 200 MiB before each kill: RocksDB's WAL rolls
   * with its 64 MiB memtable, so the log writes into recycled WAL files (the storage recycles them
   * to spare fdatasync an inode update) and recovery must tell their old records from new ones.
   */
  @Test
  void everyAcknowledgedEntrySurvivesKillNineInRecycledWalFiles() throws Exception {
    killTwiceAndVerify(4_500, 48 << 10);
  }

  private void killTwiceAndVerify(long entriesPerRound, int pad) throws Exception {
    long acked = 0;
    for (int round = 1; round <= 2; round++) {
      long ackedThisRound = runChildAndKill(acked + entriesPerRound, pad);
      assertTrue(ackedThisRound > acked, "round " + round + " acknowledged nothing new");
      acked = ackedThisRound;
      verifyRecovered(acked, pad);
    }
  }

  /**
   * Starts the child, waits for acknowledgements up to {@code killAt}, kills it, returns max ack.
   */
  private long runChildAndKill(long killAt, int pad) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                CrashChild.class.getName(),
                dir.toString(),
                "4",
                Integer.toString(pad))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> readLines(child, lines), "crash-child-stdout");
    reader.start();
    long maxAck = 0;
    long deadline = System.currentTimeMillis() + DEADLINE_MS;
    while (maxAck < killAt) {
      String line =
          lines.poll(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
      if (line == null) {
        throw new AssertionError(
            "child acknowledged only up to " + maxAck + " before the deadline");
      }
      maxAck = Math.max(maxAck, parseAck(line));
    }
    child.destroyForcibly();
    assertTrue(child.waitFor(10, TimeUnit.SECONDS), "child did not die after SIGKILL");
    reader.join(10_000);
    for (String line : lines) {
      maxAck = Math.max(maxAck, parseAck(line));
    }
    return maxAck;
  }

  private static long parseAck(String line) {
    return line.startsWith("ACK ") ? Long.parseLong(line.substring(4)) : 0;
  }

  private static void readLines(Process process, BlockingQueue<String> lines) {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lines.add(line);
      }
    } catch (IOException e) {
      lines.add("EOF " + e.getMessage());
    }
  }

  private void verifyRecovered(long acked, int pad) {
    try (RocksLogStorage log = RocksLogStorage.open(dir, RocksLogConfig.DEFAULTS)) {
      long last = log.lastIndex();
      assertTrue(last >= acked, "acknowledged up to " + acked + " but recovered only " + last);
      assertEquals(0, last % CrashChild.ENTRIES_PER_WRITE, "log ends inside a write: " + last);
      assertEquals(last, log.hardState().commitIndex(), "hard state not atomic with its entries");
      long index = 1;
      while (index <= last) {
        List<LogEntry> chunk = log.read(index, last + 1, 1 << 20);
        for (LogEntry entry : chunk) {
          assertEquals(index, entry.index());
          assertEquals(CrashChild.TERM, entry.term());
          assertArrayEquals(CrashChild.payload(index, pad), entry.payload(),
              "payload of " + index);
          index++;
        }
      }
    }
  }
}
