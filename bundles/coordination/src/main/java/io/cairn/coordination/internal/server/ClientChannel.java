package io.cairn.coordination.internal.server;

/**
 * The transport side of one client connection, as the server needs it. Implementations are
 * thread-safe; frames are written in the order {@link #send} was called.
 */
public interface ClientChannel {
  /** Sends one frame payload (the length prefix is added by the transport). */
  void send(byte[] payload);

  /** Closes the connection after the frames already sent are flushed. */
  void closeAfterFlush();

  /** The peer's IP address as text, for the ip ACL scheme. */
  String remoteIp();

  /** The peer's address as {@code ip:port} (or a name for in-process peers), for operators. */
  default String remoteAddress() {
    return remoteIp();
  }
}
