package io.cairn.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * RocksDB's own synced write rate: one thread, one {@code put} with {@code sync=true} at a time.
 */
final class RocksSyncProbe {
  private RocksSyncProbe() {}

  static Measurement measure(Path dir, int valueBytes, Window window) throws IOException {
    RocksDB.loadLibrary();
    byte[] value = new byte[valueBytes];
    Latencies latencies = new Latencies();
    long ops = 0;
    try (Options options = new Options().setCreateIfMissing(true);
        WriteOptions sync = new WriteOptions().setSync(true);
        RocksDB db = RocksDB.open(options, dir.toString())) {
      long warmEnd = System.nanoTime() + window.warmupNanos();
      long end = warmEnd + window.measureNanos();
      long measuredFrom = 0;
      for (long key = 0; ; key++) {
        long start = System.nanoTime();
        if (start >= end) {
          break;
        }
        db.put(sync, ByteBuffer.allocate(8).putLong(key).array(), value);
        if (start >= warmEnd) {
          measuredFrom = measuredFrom == 0 ? start : measuredFrom;
          latencies.record(System.nanoTime() - start);
          ops++;
        }
      }
      double seconds = (System.nanoTime() - measuredFrom) / 1e9;
      return new Measurement(ops / seconds, Latencies.merge(List.of(latencies)), 0, 0);
    } catch (RocksDBException e) {
      throw new IOException("RocksDB probe in " + dir + " failed", e);
    }
  }
}
