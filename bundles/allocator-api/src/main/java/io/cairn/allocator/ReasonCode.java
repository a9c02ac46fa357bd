package io.cairn.allocator;

/** Why the allocator did not offer something; each {@link Reason} carries one. */
public enum ReasonCode {
  /** The agent is deactivated (draining, maintenance). */
  AGENT_INACTIVE,
  /** What is left on the agent meets none of the minimum allocatable resource sets. */
  AGENT_NOT_ALLOCATABLE,
  /** The framework is registered but not active (disconnected, failing over). */
  FRAMEWORK_INACTIVE,
  /** The framework suppressed offers for this role. */
  SUPPRESSED,
  /** A refusal filter of the framework covers what the agent has for this role. */
  FILTERED,
  /** The role (or an ancestor) has reached a quota limit in a dimension it needs. */
  ROLE_AT_LIMIT,
  /** Unreserved resources are held back as headroom for other roles' quota guarantees. */
  HEADROOM_HELD,
  /** What could be offered, after limits and headroom, meets no minimum allocatable set. */
  BELOW_MIN_ALLOCATABLE,
  /** A framework with demand received no offer in this cycle; the summary of its skips. */
  NO_OFFER
}
