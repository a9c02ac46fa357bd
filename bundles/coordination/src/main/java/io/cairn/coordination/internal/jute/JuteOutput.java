package io.cairn.coordination.internal.jute;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Writes jute primitives into a growing byte array (big-endian; null buffers, strings and vectors
 * as length -1). Not thread-safe.
 */
public final class JuteOutput {
  private byte[] bytes = new byte[64];
  private int size;

  /** Writes a 4-byte big-endian int. */
  public JuteOutput writeInt(int value) {
    ensure(4);
    bytes[size] = (byte) (value >>> 24);
    bytes[size + 1] = (byte) (value >>> 16);
    bytes[size + 2] = (byte) (value >>> 8);
    bytes[size + 3] = (byte) value;
    size += 4;
    return this;
  }

  /** Writes an 8-byte big-endian long. */
  public JuteOutput writeLong(long value) {
    writeInt((int) (value >>> 32));
    return writeInt((int) value);
  }

  /** Writes a boolean as one byte, 1 or 0. */
  public JuteOutput writeBool(boolean value) {
    ensure(1);
    bytes[size++] = (byte) (value ? 1 : 0);
    return this;
  }

  /** Writes a buffer, null as length -1. */
  public JuteOutput writeBuffer(byte[] value) {
    if (value == null) {
      return writeInt(-1);
    }
    writeInt(value.length);
    ensure(value.length);
    System.arraycopy(value, 0, bytes, size, value.length);
    size += value.length;
    return this;
  }

  /** Writes a UTF-8 string, null as length -1. */
  public JuteOutput writeString(String value) {
    return writeBuffer(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes a vector of strings, null as count -1. */
  public JuteOutput writeStringVector(List<String> values) {
    if (values == null) {
      return writeInt(-1);
    }
    writeInt(values.size());
    for (String value : values) {
      writeString(value);
    }
    return this;
  }

  /** The number of bytes written so far. */
  public int size() {
    return size;
  }

  /** A copy of the bytes written so far. */
  public byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }

  private void ensure(int extra) {
    if (size + extra > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + extra));
    }
  }
}
