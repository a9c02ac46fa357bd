package io.cairn.marathon.internal.core;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Per app: the launch backoff and the offers seen while instances wait, with why each one was
 * not used ("why not launched", Marathon's {@code processedOffersSummary}). Bounded: the last
 * {@link #LAST_OFFERS_MAX} offers are kept with their reasons.
 */
public final class LaunchStats {
  public static final int LAST_OFFERS_MAX = 16;

  /** One processed offer: which agent and why it was not used (null reason = used). */
  public record OfferSeen(String offerId, String agentId, String hostname, RejectReason reason,
      String detail, long atMillis) {}

  double delaySeconds;
  long delayUntilMillis;
  long sinceMillis;
  long processedOffers;
  long unusedOffers;
  long lastUnusedOfferAtMillis;
  long lastUsedOfferAtMillis;
  final Map<RejectReason, Long> rejected = new EnumMap<>(RejectReason.class);
  final Deque<OfferSeen> lastOffers = new ArrayDeque<>();

  void record(OfferSeen seen) {
    processedOffers++;
    if (seen.reason() == null) {
      lastUsedOfferAtMillis = seen.atMillis();
    } else {
      unusedOffers++;
      lastUnusedOfferAtMillis = seen.atMillis();
      rejected.merge(seen.reason(), 1L, Long::sum);
    }
    lastOffers.addLast(seen);
    while (lastOffers.size() > LAST_OFFERS_MAX) {
      lastOffers.removeFirst();
    }
  }

  void failed(double backoffSeconds, double factor, double maxSeconds, long nowMillis) {
    delaySeconds = delaySeconds == 0 ? backoffSeconds : Math.min(delaySeconds * factor,
        maxSeconds);
    delayUntilMillis = nowMillis + (long) (delaySeconds * 1000);
  }

  void reset() {
    delaySeconds = 0;
    delayUntilMillis = 0;
  }

  public double delaySeconds() {
    return delaySeconds;
  }

  public long delayUntilMillis() {
    return delayUntilMillis;
  }

  public long sinceMillis() {
    return sinceMillis;
  }

  public long processedOffers() {
    return processedOffers;
  }

  public long unusedOffers() {
    return unusedOffers;
  }

  public long lastUnusedOfferAtMillis() {
    return lastUnusedOfferAtMillis;
  }

  public long lastUsedOfferAtMillis() {
    return lastUsedOfferAtMillis;
  }

  public Map<RejectReason, Long> rejected() {
    return Map.copyOf(rejected);
  }

  public List<OfferSeen> lastOffers() {
    return List.copyOf(lastOffers);
  }
}
