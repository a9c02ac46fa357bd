package io.cairn.storage.internal;

import io.cairn.env.storage.CorruptionException;
import io.cairn.env.storage.SnapshotMeta;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The on-disk layout of {@link RocksSnapshotStore}. Every snapshot gets an id (a counter, never
 * reused), so a new snapshot never overwrites the bytes of a published one. Pure; thread-safe.
 *
 * <pre>
 *   key                               value
 *   'c' id(8) offset(8)               crc32c(4) bytes(n)                 crc over id, offset, bytes
 *   'p' id(8)                         crc32c(4) lastIndex(8) lastTerm(8) size(8)   published
 * </pre>
 */
final class SnapshotCodec {
  static final byte CHUNK_PREFIX = 'c';
  static final byte PUBLISHED_PREFIX = 'p';

  private SnapshotCodec() {}

  static byte[] chunkKey(long id, long offset) {
    return ByteBuffer.allocate(17).put(CHUNK_PREFIX).putLong(id).putLong(offset).array();
  }

  static byte[] publishedKey(long id) {
    return ByteBuffer.allocate(9).put(PUBLISHED_PREFIX).putLong(id).array();
  }

  static boolean isChunkKey(byte[] key) {
    return key.length == 17 && key[0] == CHUNK_PREFIX;
  }

  static boolean isPublishedKey(byte[] key) {
    return key.length == 9 && key[0] == PUBLISHED_PREFIX;
  }

  /** The id in a chunk or published key. */
  static long idOf(byte[] key) {
    return ByteBuffer.wrap(key, 1, 8).getLong();
  }

  /** The offset in a chunk key. */
  static long offsetOf(byte[] key) {
    return ByteBuffer.wrap(key, 9, 8).getLong();
  }

  static byte[] encodeChunk(long id, long offset, byte[] bytes) {
    byte[] value = new byte[4 + bytes.length];
    System.arraycopy(bytes, 0, value, 4, bytes.length);
    ByteBuffer.wrap(value).putInt(0, chunkChecksum(id, offset, value));
    return value;
  }

  /** The verified bytes of a chunk; a mismatch names the snapshot's last index. */
  static byte[] decodeChunk(long id, long offset, byte[] value, long lastIndex) {
    if (value.length < 4 || ByteBuffer.wrap(value).getInt(0) != chunkChecksum(id, offset, value)) {
      throw new CorruptionException(
          lastIndex, "snapshot chunk at offset " + offset + " fails its crc32c");
    }
    byte[] bytes = new byte[value.length - 4];
    System.arraycopy(value, 4, bytes, 0, bytes.length);
    return bytes;
  }

  private static int chunkChecksum(long id, long offset, byte[] value) {
    CRC32C crc = new CRC32C();
    crc.update(ByteBuffer.allocate(16).putLong(id).putLong(offset).flip());
    crc.update(value, 4, value.length - 4);
    return (int) crc.getValue();
  }

  static byte[] encodeMeta(SnapshotMeta meta) {
    ByteBuffer buffer = ByteBuffer.allocate(28);
    buffer.position(4);
    buffer.putLong(meta.lastIndex()).putLong(meta.lastTerm()).putLong(meta.sizeBytes());
    CRC32C crc = new CRC32C();
    crc.update(buffer.array(), 4, 24);
    buffer.putInt(0, (int) crc.getValue());
    return buffer.array();
  }

  static SnapshotMeta decodeMeta(byte[] value) {
    CRC32C crc = new CRC32C();
    if (value.length == 28) {
      crc.update(value, 4, 24);
    }
    ByteBuffer buffer = ByteBuffer.wrap(value);
    if (value.length != 28 || buffer.getInt(0) != (int) crc.getValue()) {
      throw new CorruptionException(0, "published snapshot record fails its crc32c");
    }
    return new SnapshotMeta(buffer.getLong(4), buffer.getLong(12), buffer.getLong(20));
  }
}
