package io.cairn.consensus.internal.core;

import io.cairn.env.Check;
import io.cairn.env.storage.LogEntry;
import java.util.Arrays;

/**
 * What a log entry holds. The storage contract's {@link LogEntry} has only opaque bytes, so the
 * core frames every payload with one leading kind byte; {@link #data(LogEntry)} strips it.
 *
 * <ul>
 *   <li>{@link #COMMAND}: a proposed command for the state machines;
 *   <li>{@link #NOOP}: the empty entry a new leader appends (Raft §5.4.2, thesis §6.4);
 *   <li>{@link #CONFIGURATION}: a membership configuration (Raft §6).
 * </ul>
 */
public enum EntryKind {
  COMMAND,
  NOOP,
  CONFIGURATION;

  /** The kind of a framed entry. */
  public static EntryKind of(LogEntry entry) {
    byte[] payload = entry.payload();
    // Checked before calling Check: this runs for every entry, and varargs would box each time.
    if (payload.length == 0) {
      Check.argument(false, "entry %s has no kind byte", entry.index());
    }
    int ordinal = payload[0];
    if (ordinal < 0 || ordinal >= KINDS.length) {
      Check.argument(false, "entry %s has unknown kind %s", entry.index(), ordinal);
    }
    return KINDS[ordinal];
  }

  private static final EntryKind[] KINDS = values();

  /** The entry's content without the kind byte. */
  public static byte[] data(LogEntry entry) {
    return Arrays.copyOfRange(entry.payload(), 1, entry.payload().length);
  }

  /** The configuration held by a {@link #CONFIGURATION} entry. */
  public static Configuration configuration(LogEntry entry) {
    Check.argument(of(entry) == CONFIGURATION, "entry %s is not a configuration", entry.index());
    return Configuration.decode(data(entry));
  }

  byte[] frame(byte[] data) {
    byte[] payload = new byte[data.length + 1];
    payload[0] = (byte) ordinal();
    System.arraycopy(data, 0, payload, 1, data.length);
    return payload;
  }
}
