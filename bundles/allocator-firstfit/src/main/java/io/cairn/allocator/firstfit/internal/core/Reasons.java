package io.cairn.allocator.firstfit.internal.core;

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
 * The reasons of one first-fit step, in the api's {@link Explanation} shape and with the same
 * message texts as the DRF allocator, so the shell reads both alike. Every skip is counted by code;
 * the first {@code reasonsMax} keep their message (built only when kept). Per holder, the first
 * message of each code is kept as the example for its {@link ReasonCode#NO_OFFER} summary.
 */
final class Reasons {
  private final int reasonsMax;
  private final List<Reason> skips = new ArrayList<>();
  private final List<Reason> unmet = new ArrayList<>();
  private final EnumMap<ReasonCode, Long> counts = new EnumMap<>(ReasonCode.class);
  private final Map<Holder, EnumMap<ReasonCode, Integer>> tallies = new HashMap<>();
  private final Map<Holder, EnumMap<ReasonCode, String>> examples = new HashMap<>();
  private long dropped;

  Reasons(int reasonsMax) {
    this.reasonsMax = reasonsMax;
  }

  /** Records one skip; {@code frameworkId}, {@code agentId} and {@code role} may be null. */
  void skip(ReasonCode code, FrameworkId frameworkId, AgentId agentId, String role,
      Supplier<String> message) {
    counts.merge(code, 1L, Long::sum);
    String text = null;
    if (frameworkId != null && role != null) {
      Holder holder = new Holder(frameworkId, role);
      tallies.computeIfAbsent(holder, h -> new EnumMap<>(ReasonCode.class))
          .merge(code, 1, Integer::sum);
      EnumMap<ReasonCode, String> kept =
          examples.computeIfAbsent(holder, h -> new EnumMap<>(ReasonCode.class));
      if (!kept.containsKey(code)) {
        text = message.get();
        kept.put(code, text);
      }
    }
    if (skips.size() < reasonsMax) {
      skips.add(new Reason(code, Optional.ofNullable(frameworkId), Optional.ofNullable(agentId),
          Optional.ofNullable(role), text != null ? text : message.get()));
    } else {
      dropped++;
    }
  }

  /** Records that an active, unsuppressed holder got no offer, summarising its skips. */
  void noOffer(Holder holder) {
    StringBuilder text = new StringBuilder().append("framework ").append(holder.frameworkId())
        .append(" got no offer for role ").append(holder.role());
    EnumMap<ReasonCode, Integer> tally = tallies.get(holder);
    if (tally == null) {
      text.append(": every agent went to frameworks added earlier, or none was free");
    } else {
      String separator = ": ";
      for (Map.Entry<ReasonCode, Integer> entry : tally.entrySet()) {
        text.append(separator).append(entry.getKey().name().toLowerCase()).append(" x")
            .append(entry.getValue()).append(" (")
            .append(examples.get(holder).get(entry.getKey())).append(')');
        separator = "; ";
      }
    }
    unmet.add(new Reason(ReasonCode.NO_OFFER, Optional.of(holder.frameworkId()),
        Optional.empty(), Optional.of(holder.role()), text.toString()));
  }

  Explanation build() {
    return new Explanation(unmet, skips, dropped, counts);
  }

  /** Wall-clock milliseconds as the UTC time of day, {@code 12:03:05}, without java.time. */
  static String timeOfDay(long epochMillis) {
    long seconds = Math.floorMod(Math.floorDiv(epochMillis, 1000L), 86_400L);
    return String.format("%02d:%02d:%02d", seconds / 3600, (seconds / 60) % 60, seconds % 60);
  }
}
