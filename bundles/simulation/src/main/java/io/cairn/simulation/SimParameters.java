package io.cairn.simulation;

import io.cairn.env.RandomSource;

/**
 * The knobs of one simulated run, all derived from its seed so that the seed alone reproduces it.
 *
 * @param nodes group size (3 or 5)
 * @param electionTimeoutTicks base election timeout
 * @param heartbeatTicks heartbeat interval
 * @param preVoteAndCheckQuorum whether the thesis extensions are on (production: on)
 * @param faults network faults during the safety phase
 * @param maxDiskDelayMs longest fsync
 * @param safetyPhaseMs virtual duration of the safety phase
 * @param livenessBudgetMs how long the healed cluster has to elect and commit
 * @param faultEveryMs mean interval between injected faults
 * @param clientEveryMs mean interval between client requests
 * @param maxEntriesPerAppend batch size; small batches make old-term entries commit one by one
 * @param maxInflightAppends pipeline depth
 * @param snapshotEvery applied entries between snapshots (log compaction), 0 for never
 * @param engineStorage keep each node's log in storage-engine's SimLogStorage instead of the
 *     simulator's own SimDurableLog (both follow the same fault model)
 * @param leaseReads leaders answer reads from their lease (needs check-quorum; production: on)
 */
public record SimParameters(
    int nodes,
    int electionTimeoutTicks,
    int heartbeatTicks,
    boolean preVoteAndCheckQuorum,
    NetworkFaults faults,
    long maxDiskDelayMs,
    long safetyPhaseMs,
    long livenessBudgetMs,
    long faultEveryMs,
    long clientEveryMs,
    int maxEntriesPerAppend,
    int maxInflightAppends,
    int snapshotEvery,
    boolean engineStorage,
    boolean leaseReads) {

  /** Draws a run's parameters from its seed. */
  public static SimParameters derive(long seed) {
    RandomSource random = RandomSource.seeded(seed ^ 0x5DEECE66DL);
    int nodes = random.chance(0.7) ? 3 : 5;
    long maxDelay = random.nextLong(2, 40);
    NetworkFaults faults =
        new NetworkFaults(
            random.chance(0.2) ? 0 : random.nextLong(0, 20) / 100.0,
            random.nextLong(0, 6) / 100.0,
            1,
            maxDelay);
    int heartbeat = random.chance(0.5) ? 1 : 2;
    boolean thesisExtensions = random.chance(0.85);
    long maxDiskDelay = random.nextLong(1, 8);
    long safetyPhase = random.nextLong(1_000, 6_000);
    long faultEvery = random.nextLong(40, 300);
    long clientEvery = random.nextLong(2, 25);
    int entriesPerAppend = pick(random, 1, 2, 64);
    int inflight = pick(random, 1, 4, 16);
    int snapshotEvery = pick(random, 0, 3, 10, 40);
    boolean engineStorage = random.chance(0.5);
    boolean leaseReads = thesisExtensions && random.chance(0.5);
    return new SimParameters(
        nodes, 10, heartbeat, thesisExtensions, faults, maxDiskDelay, safetyPhase, 4_000,
        faultEvery, clientEvery, entriesPerAppend, inflight, snapshotEvery, engineStorage,
        leaseReads);
  }

  private static int pick(RandomSource random, int... choices) {
    return choices[random.nextInt(choices.length)];
  }
}
