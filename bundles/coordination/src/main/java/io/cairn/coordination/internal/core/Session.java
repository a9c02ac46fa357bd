package io.cairn.coordination.internal.core;

import io.cairn.env.Check;

/**
 * A replicated session: its id, negotiated timeout and password. Liveness (the last heartbeat) is
 * not replicated; the node holding the connection tracks it and proposes a close on expiry.
 *
 * @param id the session id, never 0
 * @param timeoutMs negotiated timeout
 * @param password 16 bytes the client must present to reattach
 */
public record Session(long id, int timeoutMs, byte[] password) {
  public Session {
    Check.argument(id != 0, "session id 0 is reserved");
    password = password.clone();
  }

  @Override
  public byte[] password() {
    return password.clone();
  }
}
