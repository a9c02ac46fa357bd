package io.cairn.allocator;

import java.util.List;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The result of one allocation step: the offers to send, in the order they were decided, and the
 * explanation of what was not offered. Immutable. {@code cycle} numbers the steps of one allocator
 * from 1; {@code nowMillis} is the time the step was run with.
 */
@ProviderType
public record OfferPlan(long cycle, long nowMillis, List<Offer> offers, Explanation explanation) {
  /** Copies the offers. */
  public OfferPlan {
    offers = List.copyOf(offers);
    Objects.requireNonNull(explanation, "explanation");
  }
}
