package io.cairn.consensus.internal.driver;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A proposed command as stored in a COMMAND entry: one length byte, the namespace in UTF-8, then
 * the state machine's bytes. The namespace routes the command to its {@code StateMachine}.
 *
 * @param namespace the state machine's namespace, 1..255 bytes of UTF-8
 * @param command the state machine's bytes
 */
record CommandFrame(String namespace, byte[] command) {
  byte[] encode() {
    byte[] name = namespace.getBytes(StandardCharsets.UTF_8);
    if (name.length == 0 || name.length > 255) {
      throw new IllegalArgumentException(
          "namespace '" + namespace + "' must be 1..255 bytes of UTF-8, is " + name.length);
    }
    byte[] out = new byte[1 + name.length + command.length];
    out[0] = (byte) name.length;
    System.arraycopy(name, 0, out, 1, name.length);
    System.arraycopy(command, 0, out, 1 + name.length, command.length);
    return out;
  }

  /**
   * Decodes the frame that starts at {@code from} in {@code data} and runs to its end: a COMMAND
   * entry's payload is decoded at 1, after the kind byte, without copying the rest first.
   */
  static CommandFrame decode(byte[] data, int from) {
    if (data.length < from + 1 || data.length < from + 1 + (data[from] & 0xff)) {
      throw new IllegalArgumentException(
          "command frame of " + (data.length - from) + " bytes is truncated");
    }
    int length = data[from] & 0xff;
    String namespace = new String(data, from + 1, length, StandardCharsets.UTF_8);
    return new CommandFrame(namespace, Arrays.copyOfRange(data, from + 1 + length, data.length));
  }
}
