package io.cairn.coordination.internal.core;

import io.cairn.coordination.internal.jute.JuteDecodeException;

/** Test-only access to {@link Command#decode} from the jute fuzz test. */
public final class CommandFuzzAccess {
  private CommandFuzzAccess() {}

  public static Command decode(byte[] bytes) throws JuteDecodeException {
    return Command.decode(bytes);
  }
}
