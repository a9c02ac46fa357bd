package io.cairn.storage.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.env.storage.LogEntry;
import io.cairn.env.storage.LogStorage;
import io.cairn.env.storage.LogWrite;
import io.cairn.env.storage.StorageException;
import io.cairn.env.storage.StorageFullException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real full disk: the log lives on a small tmpfs (mounting needs root, which CI and the
 * development machines have; elsewhere the test is skipped with that reason). Appends run until
 * the device is full; the failure must be a {@link StorageFullException}, the log must refuse
 * everything after it, and once space is back every acknowledged entry must be there, intact.
 */
class RocksLogStorageDiskFullTest {
  private static final int PAYLOAD_BYTES = 64 * 1024;

  private Path mount;
  private boolean mounted;

  @BeforeEach
  void mountSmallTmpfs() throws Exception {
    mount = TestDirs.create("disk-full-");
    mounted = run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mount.toString()) == 0;
    Assumptions.assumeTrue(mounted, "cannot mount a tmpfs here (needs root)");
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted) {
      run("umount", mount.toString());
    }
    TestDirs.delete(mount);
  }

  @Test
  void aFullDiskFailsTheLogWithATypedErrorAndLosesNoAcknowledgedEntry() throws Exception {
    Path dir = mount.resolve("log");
    List<Long> acknowledged = new ArrayList<>();
    Throwable failure = null;
    try (LogStorage log = RocksLogStorage.open(dir, RocksLogConfig.DEFAULTS)) {
      for (long index = 1; index <= 10_000 && failure == null; index++) {
        try {
          log.write(LogWrite.append(List.of(new LogEntry(index, 1, payload(index)))))
              .toCompletableFuture().get(30, TimeUnit.SECONDS);
          acknowledged.add(index);
        } catch (ExecutionException e) {
          failure = e.getCause();
        }
      }
      assertNotNull(failure, "16 MiB filled up before 10,000 x 64 KiB appends");
      assertInstanceOf(StorageFullException.class, failure, String.valueOf(failure));
      long next = acknowledged.size() + 1L;
      // The failed log refuses at once (or fails the completion): it never continues.
      Exception after = assertThrows(Exception.class, () ->
          log.write(LogWrite.append(List.of(new LogEntry(next, 1, new byte[1]))))
              .toCompletableFuture().get(30, TimeUnit.SECONDS));
      Throwable cause = after instanceof ExecutionException ? after.getCause() : after;
      assertInstanceOf(StorageException.class, cause, "the log stays failed");
    }
    assertTrue(acknowledged.size() > 10, "some appends succeeded: " + acknowledged.size());

    assertEquals(0, run("mount", "-o", "remount,size=64m", mount.toString()));
    try (LogStorage reopened = RocksLogStorage.open(dir, RocksLogConfig.DEFAULTS)) {
      long last = acknowledged.get(acknowledged.size() - 1);
      assertTrue(reopened.lastIndex() >= last, "lastIndex " + reopened.lastIndex() + " < " + last);
      for (long index : acknowledged) {
        List<LogEntry> read = reopened.read(index, index + 1, Long.MAX_VALUE);
        assertArrayEquals(payload(index), read.get(0).payload(), "entry " + index);
      }
    }
  }

  private static byte[] payload(long index) {
    byte[] bytes = new byte[PAYLOAD_BYTES];
    Arrays.fill(bytes, (byte) index);
    return bytes;
  }

  private static int run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    return process.exitValue();
  }
}
