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
 */
final class Explainer {
  private final int reasonsMax;
  private final List<Reason> skips = new ArrayList<>();
  private final List<Reason> unmet = new ArrayList<>();
  private final EnumMap<ReasonCode, Long> counts = new EnumMap<>(ReasonCode.class);
  private final Map<FrameworkRole, Tally> tallies = new HashMap<>();
  private long dropped;

  Explainer(int reasonsMax) {
    this.reasonsMax = reasonsMax;
  }

  /** Records a skip; {@code frameworkId}, {@code agentId} and {@code role} may be null. */
  void skip(ReasonCode code, FrameworkId frameworkId, AgentId agentId, String role,
      Supplier<String> message) {
    counts.merge(code, 1L, Long::sum);
    String text = null;
    if (frameworkId != null && role != null) {
      Tally tally = tallies.computeIfAbsent(new FrameworkRole(frameworkId, role), k -> new Tally());
      tally.counts.merge(code, 1, Integer::sum);
      if (!tally.examples.containsKey(code)) {
        text = message.get();
        tally.examples.put(code, text);
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
    if (tally == null) {
      text.append(": every agent's resources went to roles or frameworks with lower shares,"
          + " or none were left");
    } else {
      String separator = ": ";
      for (Map.Entry<ReasonCode, Integer> entry : tally.counts.entrySet()) {
        text.append(separator).append(entry.getKey().name().toLowerCase()).append(" x")
            .append(entry.getValue()).append(" (").append(tally.examples.get(entry.getKey()))
            .append(')');
        separator = "; ";
      }
    }
    unmet.add(new Reason(ReasonCode.NO_OFFER, Optional.of(frameworkId), Optional.empty(),
        Optional.of(role), text.toString()));
  }

  Explanation build() {
    return new Explanation(unmet, skips, dropped, counts);
  }

  private static final class Tally {
    final EnumMap<ReasonCode, Integer> counts = new EnumMap<>(ReasonCode.class);
    final EnumMap<ReasonCode, String> examples = new EnumMap<>(ReasonCode.class);
  }
}
