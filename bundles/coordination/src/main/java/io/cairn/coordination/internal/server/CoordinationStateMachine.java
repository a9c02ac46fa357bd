package io.cairn.coordination.internal.server;

import io.cairn.consensus.spi.StateMachine;
import io.cairn.coordination.internal.jute.JuteDecodeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The coordination namespace's {@link StateMachine}: hands committed commands to the server's core
 * (which fires this node's watches) and snapshots the tree and sessions. Called on the log's apply
 * thread; all work happens under the server's lock.
 */
public final class CoordinationStateMachine implements StateMachine {
  private final CoordinationServer server;

  CoordinationStateMachine(CoordinationServer server) {
    this.server = server;
  }

  @Override
  public String namespace() {
    return CoordinationServer.NAMESPACE;
  }

  @Override
  public byte[] apply(long index, byte[] command) {
    return server.apply(index, command);
  }

  @Override
  public void snapshot(OutputStream out) throws IOException {
    byte[] bytes;
    synchronized (server.lock) {
      bytes = server.core.snapshot();
    }
    out.write(bytes);
  }

  @Override
  public void restore(long lastIndex, InputStream in) throws IOException {
    byte[] bytes = in.readAllBytes();
    synchronized (server.lock) {
      try {
        server.core.restore(lastIndex, bytes);
      } catch (JuteDecodeException e) {
        throw new IOException("coordination snapshot at index " + lastIndex + " is corrupt", e);
      }
    }
  }
}
