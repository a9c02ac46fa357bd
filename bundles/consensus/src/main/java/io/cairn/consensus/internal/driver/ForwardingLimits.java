package io.cairn.consensus.internal.driver;

import io.cairn.env.Check;

/**
 * Bounds on what a follower forwards to its leader (STYLE.md §5: bound everything, reject
 * explicitly). Beyond {@code maxInFlight} forwarded proposals (or reads) a follower refuses new
 * ones at once; a forward the leader has not answered within {@code timeoutTicks} fails, because
 * the transport may drop messages and a caller must never wait forever.
 *
 * @param maxInFlight forwarded proposals, and separately forwarded reads, a follower keeps in
 *     flight; on the leader, forwarded reads it serves at once
 * @param timeoutTicks ticks a follower waits for the leader's answer to a forward
 */
public record ForwardingLimits(int maxInFlight, int timeoutTicks) {
  public ForwardingLimits {
    Check.argument(maxInFlight > 0, "maxInFlight must be > 0, was %s", maxInFlight);
    Check.argument(timeoutTicks > 0, "timeoutTicks must be > 0, was %s", timeoutTicks);
  }

  /** 1,024 in flight; an answer within 30 ticks (3 election timeouts at the default 10). */
  public static ForwardingLimits defaults() {
    return new ForwardingLimits(1024, 30);
  }
}
