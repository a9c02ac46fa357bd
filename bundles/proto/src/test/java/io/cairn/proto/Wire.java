package io.cairn.proto;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Hand-encodes protobuf messages field by field, the way a peer compiled from Apache Mesos's own
 * .proto files would put them on the wire. Tests use it to build bytes without going through
 * Cairn's generated classes, so a wrong field number, wire type or enum value in Cairn's .proto
 * files shows up as a decoding mismatch.
 *
 * <p>Callers write fields in ascending field-number order, as Mesos's C++ serializer does.
 */
final class Wire {
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final CodedOutputStream out = CodedOutputStream.newInstance(buffer);

  private Wire() {}

  static Wire message() {
    return new Wire();
  }

  Wire string(int field, String value) {
    return write(() -> out.writeString(field, value));
  }

  Wire bytes(int field, byte[] value) {
    return write(() -> out.writeByteArray(field, value));
  }

  /** An enum is a varint of its number (proto2 int32 encoding). */
  Wire enumValue(int field, int number) {
    return write(() -> out.writeEnum(field, number));
  }

  Wire int32(int field, int value) {
    return write(() -> out.writeInt32(field, value));
  }

  Wire uint32(int field, int value) {
    return write(() -> out.writeUInt32(field, value));
  }

  Wire int64(int field, long value) {
    return write(() -> out.writeInt64(field, value));
  }

  Wire uint64(int field, long value) {
    return write(() -> out.writeUInt64(field, value));
  }

  Wire doubleValue(int field, double value) {
    return write(() -> out.writeDouble(field, value));
  }

  Wire bool(int field, boolean value) {
    return write(() -> out.writeBool(field, value));
  }

  /** A nested message: length-delimited bytes of the inner encoding. */
  Wire message(int field, Wire nested) {
    return bytes(field, nested.toByteArray());
  }

  byte[] toByteArray() {
    flush();
    return buffer.toByteArray();
  }

  private void flush() {
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("flushing an in-memory CodedOutputStream failed", e);
    }
  }

  private Wire write(IoAction action) {
    try {
      action.run();
    } catch (IOException e) {
      throw new UncheckedIOException("encoding to an in-memory CodedOutputStream failed", e);
    }
    return this;
  }

  @FunctionalInterface
  private interface IoAction {
    void run() throws IOException;
  }
}
