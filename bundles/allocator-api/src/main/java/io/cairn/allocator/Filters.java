package io.cairn.allocator;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The filter a framework attaches to a decline (or to the unused part of an accept): do not offer
 * me these resources of this agent again for {@code refuseMillis}. The allocator keeps a filter at
 * least one allocation interval (MESOS-4302). {@link #DEFAULT} is Mesos's 5 seconds.
 */
@ProviderType
public record Filters(long refuseMillis) {
  /** refuse_seconds = 5. */
  public static final Filters DEFAULT = new Filters(5_000);

  /** No filter: the resources may be offered again at once (tasks that ended, rescinds). */
  public static final Filters NONE = new Filters(0);

  /** Validates that the duration is not negative. */
  public Filters {
    Checks.argument(refuseMillis >= 0, "refuseMillis must be >= 0, was %s", refuseMillis);
  }
}
