package io.cairn.allocator.firstfit.internal.core;

import io.cairn.allocator.AgentResources;

/**
 * A framework's refusal of some resources of one agent for one role until {@code
 * expiresAtMillis}. It keeps back only an offer that holds nothing beyond what was refused, so a
 * larger offer still goes out (Mesos {@code RefusedOfferFilter}: refused ⊇ offered).
 */
record RefusalFilter(AgentResources refused, long expiresAtMillis) {
  /** True if this filter keeps {@code offer} from its framework at {@code nowMillis}. */
  boolean filters(AgentResources offer, long nowMillis) {
    return nowMillis < expiresAtMillis && refused.contains(offer);
  }
}
