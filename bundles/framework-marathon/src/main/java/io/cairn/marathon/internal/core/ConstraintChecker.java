package io.cairn.marathon.internal.core;

import io.cairn.marathon.internal.model.AppDefinition.Constraint;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Marathon's constraint semantics ({@code mesosphere.mesos.Constraints}): whether an offer from
 * {@code candidate} may host one more instance of an app whose instances are {@code placed}.
 * Fields are {@code hostname}/{@code @hostname}, {@code @region}/{@code @zone} or an agent
 * attribute. If the agent lacks the field, only UNLIKE accepts. Pure functions.
 */
public final class ConstraintChecker {
  private ConstraintChecker() {}

  /** The first constraint the candidate breaks, or null when all hold. */
  public static Constraint firstUnmet(List<Constraint> constraints, Placement candidate,
      List<Placement> placed) {
    for (Constraint constraint : constraints) {
      if (!meets(constraint, candidate, placed)) {
        return constraint;
      }
    }
    return null;
  }

  /** Whether one constraint holds for the candidate. */
  public static boolean meets(Constraint constraint, Placement candidate, List<Placement> placed) {
    String offerValue = candidate.value(constraint.field());
    String value = constraint.value();
    if (offerValue == null) {
      return constraint.operator().equals("UNLIKE");
    }
    return switch (constraint.operator()) {
      case "UNIQUE" -> placed.stream().noneMatch(p -> offerValue.equals(p.value(
          constraint.field())));
      case "CLUSTER" -> value != null && !value.isEmpty() ? offerValue.equals(value)
          : placed.stream().allMatch(p -> offerValue.equals(p.value(constraint.field())));
      case "LIKE" -> offerValue.matches(value);
      case "UNLIKE" -> !offerValue.matches(value);
      case "IS" -> offerValue.equals(value);
      case "MAX_PER" -> count(placed, constraint.field(), offerValue) < Integer.parseInt(value);
      case "GROUP_BY" -> groupBy(constraint, offerValue, placed);
      default -> false;
    };
  }

  /**
   * GROUP_BY: accept a value no instance uses yet, or one of the smallest groups once at least
   * {@code n} groups exist, so instances spread evenly.
   */
  private static boolean groupBy(Constraint constraint, String offerValue,
      List<Placement> placed) {
    int minimum = constraint.value() == null || constraint.value().isEmpty() ? 1
        : Math.max(1, Integer.parseInt(constraint.value()));
    Map<String, Integer> groups = new HashMap<>();
    for (Placement placement : placed) {
      String v = placement.value(constraint.field());
      if (v != null) {
        groups.merge(v, 1, Integer::sum);
      }
    }
    Integer inGroup = groups.get(offerValue);
    if (inGroup == null) {
      return true;
    }
    int smallest = groups.values().stream().mapToInt(Integer::intValue).min().orElse(0);
    return groups.size() >= minimum && inGroup == smallest;
  }

  private static int count(List<Placement> placed, String field, String value) {
    int count = 0;
    for (Placement placement : placed) {
      if (value.equals(placement.value(field))) {
        count++;
      }
    }
    return count;
  }
}
