package io.cairn.coordination.internal.jute;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads jute primitives (big-endian int/long, boolean byte, length-prefixed buffers, UTF-8 strings
 * and vectors; length -1 means null) from one frame's bytes. Every length is checked against the
 * bytes that remain, so a hostile length never allocates more than the frame itself.
 *
 * <p>Not thread-safe; one instance per frame.
 */
public final class JuteInput {
  private final byte[] bytes;
  private int position;

  public JuteInput(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Bytes not yet read. */
  public int remaining() {
    return bytes.length - position;
  }

  /** Reads a 4-byte big-endian int. */
  public int readInt() throws JuteDecodeException {
    need(4, "int");
    int value =
        ((bytes[position] & 0xff) << 24)
            | ((bytes[position + 1] & 0xff) << 16)
            | ((bytes[position + 2] & 0xff) << 8)
            | (bytes[position + 3] & 0xff);
    position += 4;
    return value;
  }

  /** Reads an 8-byte big-endian long. */
  public long readLong() throws JuteDecodeException {
    long high = readInt() & 0xffffffffL;
    long low = readInt() & 0xffffffffL;
    return (high << 32) | low;
  }

  /** Reads a one-byte boolean (any non-zero byte is true, as jute's reader does). */
  public boolean readBool() throws JuteDecodeException {
    need(1, "boolean");
    return bytes[position++] != 0;
  }

  /** Reads a buffer; length -1 is null. */
  public byte[] readBuffer() throws JuteDecodeException {
    int length = readInt();
    if (length == -1) {
      return null;
    }
    checkLength(length, "buffer");
    byte[] value = new byte[length];
    System.arraycopy(bytes, position, value, 0, length);
    position += length;
    return value;
  }

  /** Reads a UTF-8 string; length -1 is null; malformed UTF-8 is a decode error. */
  public String readString() throws JuteDecodeException {
    int length = readInt();
    if (length == -1) {
      return null;
    }
    checkLength(length, "ustring");
    try {
      String value =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(bytes, position, length))
              .toString();
      position += length;
      return value;
    } catch (CharacterCodingException e) {
      throw new JuteDecodeException("ustring at offset " + position + " is not UTF-8: " + e);
    }
  }

  /** Reads a vector of strings; count -1 is null. */
  public List<String> readStringVector() throws JuteDecodeException {
    int count = readVectorCount(4);
    if (count == -1) {
      return null;
    }
    List<String> values = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      values.add(readString());
    }
    return values;
  }

  /**
   * Reads a vector count, checking that {@code count * minElementBytes} bytes remain.
   *
   * @return the count, or -1 for a null vector
   */
  public int readVectorCount(int minElementBytes) throws JuteDecodeException {
    int count = readInt();
    if (count == -1) {
      return -1;
    }
    if (count < 0 || (long) count * minElementBytes > remaining()) {
      throw new JuteDecodeException(
          "vector count " + count + " does not fit in the " + remaining() + " bytes left");
    }
    return count;
  }

  private void checkLength(int length, String what) throws JuteDecodeException {
    if (length < 0 || length > remaining()) {
      throw new JuteDecodeException(
          what
              + " length "
              + length
              + " at offset "
              + position
              + " but "
              + remaining()
              + " bytes left");
    }
  }

  private void need(int count, String what) throws JuteDecodeException {
    if (remaining() < count) {
      throw new JuteDecodeException(
          "frame ends at offset " + position + " while reading a " + what);
    }
  }
}
