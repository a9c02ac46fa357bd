package io.cairn.marathon.internal.model;

import io.cairn.marathon.internal.model.AppDefinition.Constraint;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Marathon's constraint validation ({@code SchedulingValidation}), with its messages. */
public final class Constraints {
  /** The operators, in Marathon's order. */
  public static final Set<String> OPERATORS =
      Set.of("UNIQUE", "CLUSTER", "GROUP_BY", "LIKE", "UNLIKE", "MAX_PER", "IS");
  private static final Pattern IS_VALUE = Pattern.compile("^[a-zA-Z0-9_/.-]*$");

  private Constraints() {}

  /** The violation of a constraint, if any. */
  public static Optional<String> validate(Constraint constraint) {
    String value = constraint.value();
    switch (constraint.operator()) {
      case "UNIQUE":
        return value == null ? Optional.empty() : Optional.of("UNIQUE does not accept a value");
      case "CLUSTER":
        return Optional.empty();
      case "GROUP_BY":
        return value == null || value.isEmpty() || isInt(value) ? Optional.empty()
            : Optional.of("GROUP BY must define an integer value or else no value at all");
      case "MAX_PER":
        return value != null && isInt(value) ? Optional.empty()
            : Optional.of("MAX_PER requires an integer value");
      case "LIKE":
      case "UNLIKE":
        return value != null && !value.isEmpty() && compiles(value) ? Optional.empty()
            : Optional.of("LIKE and UNLIKE require a non-empty, regular expression value");
      case "IS":
        return value != null && IS_VALUE.matcher(value).matches() ? Optional.empty()
            : Optional.of("IS requires a text value matching ^[a-zA-Z0-9_/.-]*$");
      default:
        return Optional.of("operator must be one of the following UNIQUE, CLUSTER, GROUP_BY,"
            + " LIKE, MAX_PER, UNLIKE or IS");
    }
  }

  private static boolean isInt(String value) {
    try {
      Integer.parseInt(value);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static boolean compiles(String regex) {
    try {
      Pattern.compile(regex);
      return true;
    } catch (PatternSyntaxException e) {
      return false;
    }
  }
}
