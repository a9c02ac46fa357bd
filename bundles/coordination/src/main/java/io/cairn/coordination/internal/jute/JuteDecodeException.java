package io.cairn.coordination.internal.jute;

/**
 * The bytes of a frame are not a valid jute record: too short, a negative or oversized length, an
 * unknown opcode. The only exception the decoders throw on bad input; the connection that sent the
 * frame is closed or answered with an error code, and no other session is affected.
 */
public final class JuteDecodeException extends Exception {
  private static final long serialVersionUID = 1L;

  public JuteDecodeException(String message) {
    super(message);
  }
}
