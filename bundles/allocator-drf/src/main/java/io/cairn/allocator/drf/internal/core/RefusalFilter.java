package io.cairn.allocator.drf.internal.core;

import io.cairn.allocator.AgentResources;

/**
 * A framework's refusal of some resources of one agent for one role, until {@code
 * expiresAtMillis}. It filters an offer only if the offer holds nothing beyond what was refused,
 * so a bigger offer still goes out (Mesos {@code RefusedOfferFilter}).
 */
record RefusalFilter(AgentResources refused, long expiresAtMillis) {
  /** True if this filter keeps {@code offer} from the framework at {@code nowMillis}. */
  boolean filters(AgentResources offer, long nowMillis) {
    return nowMillis < expiresAtMillis && refused.contains(offer);
  }
}
