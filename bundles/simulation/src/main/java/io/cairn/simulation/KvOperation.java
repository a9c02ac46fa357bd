package io.cairn.simulation;

/**
 * One client operation on a single-key register, as the linearizability checker sees it.
 * Invocation and response are positions in one global order of simulation events (virtual time
 * with ties broken by sequence), so real-time precedence is exact.
 *
 * @param id unique id
 * @param key the register
 * @param write true for a put, false for a get
 * @param value the value written, or the value a get returned
 * @param invoked when the client called
 * @param returned when the client got the answer; {@link Long#MAX_VALUE} when it never learned
 *     the outcome (a put that may or may not have happened)
 */
public record KvOperation(
    int id, int key, boolean write, long value, long invoked, long returned) {
  public static final long NEVER = Long.MAX_VALUE;
}
