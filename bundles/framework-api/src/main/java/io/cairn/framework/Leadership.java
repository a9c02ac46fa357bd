package io.cairn.framework;

import java.util.Objects;

/**
 * Who leads a framework across the master nodes, as this instance sees it.
 *
 * @param leading whether this instance is the leader
 * @param leaderAddress the leader's {@link Scheduler#instanceAddress()} (empty when it serves
 *     nothing or no leader is known)
 * @param leaderKnown whether a leader is currently elected
 */
public record Leadership(boolean leading, String leaderAddress, boolean leaderKnown) {
  public Leadership {
    Objects.requireNonNull(leaderAddress, "leaderAddress");
    if (leading && !leaderKnown) {
      throw new IllegalArgumentException("a leading instance knows the leader");
    }
  }

  /** This instance leads. */
  public static Leadership leader(String ownAddress) {
    return new Leadership(true, ownAddress, true);
  }

  /** Another instance leads (or, with an empty address and {@code leaderKnown} false, none). */
  public static Leadership standby(String leaderAddress, boolean leaderKnown) {
    return new Leadership(false, leaderAddress, leaderKnown);
  }
}
