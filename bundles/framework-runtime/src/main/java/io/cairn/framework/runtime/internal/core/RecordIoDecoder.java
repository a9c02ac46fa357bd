package io.cairn.framework.runtime.internal.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a Mesos RecordIO stream ({@code <decimal length>\n<record bytes>}, Mesos {@code
 * docs/recordio.md}) into records, whatever the chunking of the bytes fed in. A record longer than
 * {@code maxRecordBytes} or a malformed length is an error: the stream cannot be trusted further.
 *
 * <p>Not thread-safe: owned by the one thread reading a subscription's stream.
 */
public final class RecordIoDecoder {
  private final int maxRecordBytes;
  private final StringBuilder length = new StringBuilder();
  private byte[] record;
  private int filled;

  public RecordIoDecoder(int maxRecordBytes) {
    if (maxRecordBytes < 1) {
      throw new IllegalArgumentException("maxRecordBytes must be >= 1, was " + maxRecordBytes);
    }
    this.maxRecordBytes = maxRecordBytes;
  }

  /** Feeds {@code count} bytes from {@code offset}; returns the records they completed. */
  public List<byte[]> feed(byte[] bytes, int offset, int count) {
    List<byte[]> out = new ArrayList<>();
    int i = offset;
    int end = offset + count;
    while (i < end) {
      if (record == null) {
        byte b = bytes[i++];
        if (b == '\n') {
          startRecord();
          if (record.length == 0) {
            out.add(record);
            record = null;
          }
        } else {
          if (length.length() >= 10 || b < '0' || b > '9') {
            throw new IllegalArgumentException("malformed RecordIO length prefix near '"
                + length + (char) b + "'");
          }
          length.append((char) b);
        }
      } else {
        int take = Math.min(end - i, record.length - filled);
        System.arraycopy(bytes, i, record, filled, take);
        filled += take;
        i += take;
        if (filled == record.length) {
          out.add(record);
          record = null;
        }
      }
    }
    return out;
  }

  /** Whether the stream stopped between records (a clean end). */
  public boolean atBoundary() {
    return record == null && length.length() == 0;
  }

  private void startRecord() {
    if (length.length() == 0) {
      throw new IllegalArgumentException("empty RecordIO length prefix");
    }
    long size = Long.parseLong(length.toString());
    length.setLength(0);
    if (size > maxRecordBytes) {
      throw new IllegalArgumentException("RecordIO record of " + size + " bytes exceeds the bound"
          + " of " + maxRecordBytes + " bytes");
    }
    record = new byte[(int) size];
    filled = 0;
  }

  /** The records of a whole stream, for tests. */
  public static List<byte[]> decodeAll(byte[] stream, int maxRecordBytes) {
    RecordIoDecoder decoder = new RecordIoDecoder(maxRecordBytes);
    List<byte[]> records = decoder.feed(stream, 0, stream.length);
    if (!decoder.atBoundary()) {
      throw new IllegalArgumentException("stream ends inside a record: "
          + Arrays.toString(Arrays.copyOf(stream, Math.min(stream.length, 16))));
    }
    return records;
  }
}
