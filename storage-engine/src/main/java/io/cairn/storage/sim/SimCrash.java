package io.cairn.storage.sim;

import io.cairn.env.RandomSource;
import io.cairn.env.Check;

/**
 * What a simulated crash does to the writes that were submitted but not yet synced (see the fault
 * model in storage-engine/README.md).
 *
 * <p>The device may have written any prefix of the unsynced writes, in submission order, before
 * power was lost: {@code unsyncedKept} of them reach the disk. If {@code tearLast} is set, the last
 * of those was only partly written; recovery finds its checksum broken and discards it, so it is
 * lost after all (a write is atomic: all of it or none). Synced writes always survive.
 *
 * @param unsyncedKept how many of the oldest unsynced writes reach the disk, at least 0
 * @param tearLast whether the last kept write is torn (and therefore discarded by recovery)
 */
public record SimCrash(int unsyncedKept, boolean tearLast) {
  /** The pessimistic crash: every unsynced write is lost. */
  public static final SimCrash LOSE_UNSYNCED = new SimCrash(0, false);

  public SimCrash {
    Check.argument(unsyncedKept >= 0, "unsyncedKept must be >= 0, was %s", unsyncedKept);
    Check.argument(
        !tearLast || unsyncedKept > 0,
        "tearLast needs at least one kept write, got %s",
        unsyncedKept);
  }

  /**
   * A crash drawn from {@code random} for {@code unsyncedWrites} pending writes: a uniform number
   * of them kept, and the last kept one torn with probability 1/2.
   */
  public static SimCrash random(RandomSource random, int unsyncedWrites) {
    int kept = random.nextInt(unsyncedWrites + 1);
    boolean tear = kept > 0 && random.chance(0.5);
    return new SimCrash(kept, tear);
  }
}
