package io.cairn.coordination.internal.jute;

/** A record with a jute encoding (zookeeper.jute); it writes its fields in declaration order. */
public interface JuteRecord {
  /** Appends this record's fields to {@code out}. */
  void write(JuteOutput out);

  /** This record alone, encoded. */
  default byte[] toBytes() {
    JuteOutput out = new JuteOutput();
    write(out);
    return out.toByteArray();
  }
}
