package io.cairn.allocator.drf.internal.core;

import io.cairn.allocator.AgentId;
import io.cairn.allocator.Explanation;
import io.cairn.allocator.FrameworkId;
import io.cairn.allocator.Reason;
import io.cairn.allocator.ReasonCode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Collects the reasons of one allocation step (STYLE.md §5, Nomad {@code FilterNode}). Every skip
 * is counted by code; the first {@code reasonsMax} are kept with their message, built lazily so
 * that a large cluster does not pay for strings nobody reads. Per (framework, role) it tallies the
 * skips and keeps one example message per code, from which {@link #noOffer} writes the summary.
 * The step may hold on to a {@link Tally} (see {@link #tally}) so that a skip in its inner loop
 * costs a few array writes, not a map lookup. Not thread-safe.
 */
final class Explainer {
  private static final ReasonCode[] CODES = ReasonCode.values();

  private final int reasonsMax;
  private final List<Reason> skips = new ArrayList<>();
  private final List<Reason> unmet = new ArrayList<>();
  private final long[] counts = new long[CODES.length];
  private final Map<FrameworkRole, Tally> tallies = new HashMap<>();
  private long dropped;

  Explainer(int reasonsMax) {
    this.reasonsMax = reasonsMax;
  }

  /** The tally of one (framework, role), created on first use. */
  Tally tally(FrameworkId frameworkId, String role) {
    return tallies.computeIfAbsent(new FrameworkRole(frameworkId, role), k -> new Tally());
  }

  /** Records a skip; {@code frameworkId}, {@code agentId} and {@code role} may be null. */
  void skip(ReasonCode code, FrameworkId frameworkId, AgentId agentId, String role,
      Supplier<String> message) {
    Tally tally = frameworkId != null && role != null ? tally(frameworkId, role) : null;
    skip(code, tally, frameworkId, agentId, role, message);
  }

  /**
   * Records a skip whose (framework, role) tally the caller already holds ({@code tally} is null
   * when the skip is about no framework).
   */
  void skip(ReasonCode code, Tally tally, FrameworkId frameworkId, AgentId agentId, String role,
      Supplier<String> message) {
    int ordinal = code.ordinal();
    counts[ordinal]++;
    String text = null;
    if (tally != null) {
      tally.counts[ordinal]++;
      if (tally.examples[ordinal] == null) {
        text = message.get();
        tally.examples[ordinal] = text;
      }
    }
    if (skips.size() < reasonsMax) {
      skips.add(new Reason(code, Optional.ofNullable(frameworkId), Optional.ofNullable(agentId),
          Optional.ofNullable(role), text != null ? text : message.get()));
    } else {
      dropped++;
    }
  }

  /** Records that an active, unsuppressed framework got no offer for a role, with a summary. */
  void noOffer(FrameworkId frameworkId, String role) {
    Tally tally = tallies.get(new FrameworkRole(frameworkId, role));
    StringBuilder text = new StringBuilder()
        .append("framework ").append(frameworkId).append(" got no offer for role ").append(role);
    if (tally == null || tally.isEmpty()) {
      text.append(": every agent's resources went to roles or frameworks with lower shares,"
          + " or none were left");
    } else {
      String separator = ": ";
      for (int i = 0; i < CODES.length; i++) {
        if (tally.counts[i] == 0) {
          continue;
        }
        text.append(separator).append(CODES[i].name().toLowerCase()).append(" x")
            .append(tally.counts[i]).append(" (").append(tally.examples[i]).append(')');
        separator = "; ";
      }
    }
    unmet.add(new Reason(ReasonCode.NO_OFFER, Optional.of(frameworkId), Optional.empty(),
        Optional.of(role), text.toString()));
  }

  Explanation build() {
    EnumMap<ReasonCode, Long> byCode = new EnumMap<>(ReasonCode.class);
    for (int i = 0; i < CODES.length; i++) {
      if (counts[i] > 0) {
        byCode.put(CODES[i], counts[i]);
      }
    }
    return new Explanation(unmet, skips, dropped, byCode);
  }

  /** The skips of one (framework, role): a count and the first message per code. */
  static final class Tally {
    private final int[] counts = new int[CODES.length];
    private final String[] examples = new String[CODES.length];

    private boolean isEmpty() {
      for (int count : counts) {
        if (count > 0) {
          return false;
        }
      }
      return true;
    }
  }
}
