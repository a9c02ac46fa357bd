package io.cairn.storage.internal;

import io.cairn.env.storage.CorruptionException;
import io.cairn.env.storage.HardState;
import io.cairn.env.storage.LogEntry;
import io.cairn.env.Check;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The on-disk layout of a log in RocksDB. Pure functions; thread-safe.
 *
 * <pre>
 *   key                          value
 *   'e' index(8, big-endian)     crc32c(4) term(8) payload(n)       crc over index, term, payload
 *   'm' 'c'                      crc32c(4) index(8) term(8)          compaction point
 *   'm' 'h'                      crc32c(4) term(8) vote(4) commit(8) hard state
 * </pre>
 *
 * Big-endian indexes make RocksDB's byte order the log order, so the last entry is one seek away.
 * The index is inside the checksum, so an entry stored under the wrong key is caught too.
 */
final class EntryCodec {
  static final byte ENTRY_PREFIX = 'e';
  static final byte[] COMPACTION_KEY = {'m', 'c'};
  static final byte[] HARD_STATE_KEY = {'m', 'h'};
  private static final int HEADER_BYTES = 4 + 8;

  private EntryCodec() {}

  static byte[] entryKey(long index) {
    return ByteBuffer.allocate(9).put(ENTRY_PREFIX).putLong(index).array();
  }

  static boolean isEntryKey(byte[] key) {
    return key.length == 9 && key[0] == ENTRY_PREFIX;
  }

  static long indexOf(byte[] key) {
    Check.invariant(isEntryKey(key), "not an entry key: %s bytes", key.length);
    return ByteBuffer.wrap(key, 1, 8).getLong();
  }

  static byte[] encodeEntry(LogEntry entry) {
    byte[] value = new byte[HEADER_BYTES + entry.payload().length];
    ByteBuffer buffer = ByteBuffer.wrap(value);
    buffer.position(4);
    buffer.putLong(entry.term());
    buffer.put(entry.payload());
    buffer.putInt(0, entryChecksum(entry.index(), value));
    return value;
  }

  /** Decodes and verifies the value stored under {@code index}. */
  static LogEntry decodeEntry(long index, byte[] value) {
    if (value == null) {
      throw new CorruptionException(index, "entry missing inside the stored range");
    }
    if (value.length < HEADER_BYTES) {
      throw new CorruptionException(index, "value of " + value.length + " bytes is too short");
    }
    ByteBuffer buffer = ByteBuffer.wrap(value);
    int stored = buffer.getInt(0);
    int actual = entryChecksum(index, value);
    if (stored != actual) {
      throw new CorruptionException(
          index, String.format("crc32c mismatch: stored %08x, computed %08x", stored, actual));
    }
    long term = buffer.getLong(4);
    if (term < 1) {
      throw new CorruptionException(index, "term " + term + " below 1");
    }
    byte[] payload = new byte[value.length - HEADER_BYTES];
    System.arraycopy(value, HEADER_BYTES, payload, 0, payload.length);
    return new LogEntry(index, term, payload);
  }

  private static int entryChecksum(long index, byte[] value) {
    CRC32C crc = new CRC32C();
    crc.update(ByteBuffer.allocate(8).putLong(index).flip());
    crc.update(value, 4, value.length - 4);
    return (int) crc.getValue();
  }

  static byte[] encodeHardState(HardState state) {
    ByteBuffer buffer = ByteBuffer.allocate(4 + 8 + 4 + 8);
    buffer.position(4);
    buffer.putLong(state.term()).putInt(state.votedFor()).putLong(state.commitIndex());
    return sealed(buffer.array());
  }

  static HardState decodeHardState(byte[] value) {
    if (value == null) {
      return HardState.INITIAL;
    }
    ByteBuffer buffer = opened(value, 24, "hard state");
    return new HardState(buffer.getLong(4), buffer.getInt(12), buffer.getLong(16));
  }

  /** Encodes the compaction point: every index up to {@code index} is gone; its term was kept. */
  static byte[] encodeCompaction(long index, long term) {
    ByteBuffer buffer = ByteBuffer.allocate(4 + 8 + 8);
    buffer.position(4);
    buffer.putLong(index).putLong(term);
    return sealed(buffer.array());
  }

  /** Returns {index, term} of the compaction point, {0, 0} when the log was never compacted. */
  static long[] decodeCompaction(byte[] value) {
    if (value == null) {
      return new long[] {0, 0};
    }
    ByteBuffer buffer = opened(value, 20, "compaction point");
    return new long[] {buffer.getLong(4), buffer.getLong(12)};
  }

  private static byte[] sealed(byte[] value) {
    CRC32C crc = new CRC32C();
    crc.update(value, 4, value.length - 4);
    ByteBuffer.wrap(value).putInt(0, (int) crc.getValue());
    return value;
  }

  private static ByteBuffer opened(byte[] value, int length, String what) {
    if (value.length != length) {
      throw new CorruptionException(
          0, what + " record has " + value.length + " bytes, not " + length);
    }
    CRC32C crc = new CRC32C();
    crc.update(value, 4, value.length - 4);
    ByteBuffer buffer = ByteBuffer.wrap(value);
    if (buffer.getInt(0) != (int) crc.getValue()) {
      throw new CorruptionException(0, what + " record fails its crc32c");
    }
    return buffer;
  }
}
