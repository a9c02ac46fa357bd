package io.cairn.consensus.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A deterministic state machine fed by the replicated log (Raft §5, "replicated state machines").
 * Registered as an OSGi service; the consensus bundle routes each committed command to the state
 * machine of its {@link #namespace()}.
 *
 * <p>Threading: every method is called on the group's event loop, one at a time, never
 * concurrently. Determinism: {@link #apply} must depend only on the state and the command (no
 * clock, no randomness, no I/O), because every node applies the same commands and must reach the
 * same state.
 */
@ConsumerType
public interface StateMachine {
  /** The namespace this state machine owns, e.g. {@code coordination}; stable across restarts. */
  String namespace();

  /**
   * Applies one committed command. Called exactly once per entry in log order, except after a
   * restore, which replaces everything applied so far.
   *
   * @param index the entry's log index; strictly increasing between restores
   * @param command the bytes that were proposed
   * @return a result handed to the proposer on this node; empty when there is none
   */
  byte[] apply(long index, byte[] command);

  /**
   * Writes the whole state as of the last applied index. Must not change the state.
   *
   * @throws IOException when {@code out} fails; the snapshot is then discarded
   */
  void snapshot(OutputStream out) throws IOException;

  /**
   * Replaces the whole state with a snapshot written by {@link #snapshot} on some node.
   *
   * @param lastIndex the last log index the snapshot covers
   * @throws IOException when the bytes cannot be read or decoded
   */
  void restore(long lastIndex, InputStream in) throws IOException;
}
