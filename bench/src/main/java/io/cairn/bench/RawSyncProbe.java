package io.cairn.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The physical limit: how many appends of {@code blockBytes}, each followed by an fdatasync ({@link
 * FileChannel#force(boolean) force(false)}), the data directory's device completes per second from
 * Java on one thread. This is what RocksDB's WAL does for each synced write.
 */
final class RawSyncProbe {
  private RawSyncProbe() {}

  static Measurement measure(Path dir, int blockBytes, Window window) throws IOException {
    Path file = dir.resolve("raw-fdatasync.bin");
    ByteBuffer block = ByteBuffer.allocateDirect(blockBytes);
    Latencies latencies = new Latencies();
    long ops = 0;
    try (FileChannel channel =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      long warmEnd = System.nanoTime() + window.warmupNanos();
      long end = warmEnd + window.measureNanos();
      long measuredFrom = 0;
      while (true) {
        long start = System.nanoTime();
        if (start >= end) {
          break;
        }
        block.clear();
        channel.write(block);
        channel.force(false);
        if (start >= warmEnd) {
          if (measuredFrom == 0) {
            measuredFrom = start;
          }
          latencies.record(System.nanoTime() - start);
          ops++;
        }
      }
      double seconds = (System.nanoTime() - measuredFrom) / 1e9;
      return new Measurement(ops / seconds, Latencies.merge(List.of(latencies)), 0, 0);
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
