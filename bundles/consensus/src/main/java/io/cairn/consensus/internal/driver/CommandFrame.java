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

  static CommandFrame decode(byte[] data) {
    if (data.length < 1 || data.length < 1 + (data[0] & 0xff)) {
      throw new IllegalArgumentException("command frame of " + data.length + " bytes is truncated");
    }
    int length = data[0] & 0xff;
    String namespace = new String(data, 1, length, StandardCharsets.UTF_8);
    return new CommandFrame(namespace, Arrays.copyOfRange(data, 1 + length, data.length));
  }
}
