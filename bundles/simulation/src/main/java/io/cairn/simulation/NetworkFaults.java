package io.cairn.simulation;

/**
 * How unreliable the simulated network is right now.
 *
 * @param dropProbability chance that a message is lost
 * @param duplicateProbability chance that a message is delivered twice
 * @param minDelayMs shortest one-way delay
 * @param maxDelayMs longest one-way delay; a wide range reorders messages
 */
public record NetworkFaults(
    double dropProbability, double duplicateProbability, long minDelayMs, long maxDelayMs) {
  public static final NetworkFaults NONE = new NetworkFaults(0, 0, 1, 2);

  public NetworkFaults {
    if (minDelayMs < 1 || maxDelayMs < minDelayMs) {
      throw new IllegalArgumentException(
          "need 1 <= minDelayMs <= maxDelayMs: " + minDelayMs + ", " + maxDelayMs);
    }
  }
}
