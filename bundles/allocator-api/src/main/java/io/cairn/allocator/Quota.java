package io.cairn.allocator;

import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The quota of a role. {@code guarantees}: what the role is offered before roles without a
 * shortfall, and what the allocator holds back as headroom while the role is below it. {@code
 * limits}: what the role and its descendants together may never hold beyond ({@link
 * Quantities#UNLIMITED} per dimension for none). Mesos 1.9 deprecated guarantees in favour of
 * limits; Cairn keeps both, as the issue asks.
 */
@ProviderType
public record Quota(Quantities guarantees, Quantities limits) {
  /** No guarantee, no limit. */
  public static final Quota NONE = new Quota(Quantities.ZERO, Quantities.NO_LIMIT);

  /** Validates that limits are at least the guarantees. */
  public Quota {
    Objects.requireNonNull(guarantees, "guarantees");
    Objects.requireNonNull(limits, "limits");
    Checks.argument(
        limits.contains(guarantees),
        "quota limits (%s) must be at least the guarantees (%s)", limits, guarantees);
  }

  /** A guarantee without a limit. */
  public static Quota guarantee(Quantities guarantees) {
    return new Quota(guarantees, Quantities.NO_LIMIT);
  }

  /** A limit without a guarantee. */
  public static Quota limit(Quantities limits) {
    return new Quota(Quantities.ZERO, limits);
  }
}
