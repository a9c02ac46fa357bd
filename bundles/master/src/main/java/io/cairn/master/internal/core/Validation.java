package io.cairn.master.internal.core;

import io.cairn.master.internal.proto.RegistryProtos.ScalarQuantity;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Pure checks of user input in registry commands. Each answers empty when the value is fine, or
 * the end of a sentence saying what is wrong ("is empty", "contains a space ..."), which the caller
 * puts after the name of the thing it checked.
 */
final class Validation {
  private Validation() {}

  /**
   * A role name as Mesos accepts it (src/common/roles.cpp): {@code *}, or {@code /}-separated
   * components that are not empty, not {@code .} or {@code ..}, do not start with {@code -}, are
   * not {@code *}, and hold no whitespace, control character or backslash.
   */
  static Optional<String> roleProblem(String role) {
    if (role.equals("*")) {
      return Optional.empty();
    }
    if (role.isEmpty()) {
      return Optional.of("is empty");
    }
    for (String part : role.split("/", -1)) {
      if (part.isEmpty()) {
        return Optional.of("has an empty component (a leading, trailing or double '/')");
      }
      if (part.equals(".") || part.equals("..") || part.equals("*")) {
        return Optional.of("has a '" + part + "' component");
      }
      if (part.startsWith("-")) {
        return Optional.of("has a component starting with '-'");
      }
      if (part.chars().anyMatch(c -> c <= ' ' || c == 0x7f || c == '\\')) {
        return Optional.of("contains a space, a control character or a backslash");
      }
    }
    return Optional.empty();
  }

  /**
   * An agent or framework id: not empty, at most 255 characters, no {@code /}, no whitespace or
   * control character, not {@code .} or {@code ..} (ids become path names on agents).
   */
  static Optional<String> idProblem(String id) {
    if (id.isEmpty()) {
      return Optional.of("is empty");
    }
    if (id.length() > 255) {
      return Optional.of("is longer than 255 characters");
    }
    if (id.equals(".") || id.equals("..")) {
      return Optional.of("is '" + id + "'");
    }
    if (id.chars().anyMatch(c -> c <= ' ' || c == 0x7f || c == '/' || c == '\\')) {
      return Optional.of("contains a '/', a backslash, a space or a control character");
    }
    return Optional.empty();
  }

  /**
   * Scalar quantities of a quota: named, finite, >= 0, each name once. Returns them by name.
   *
   * @param what "guarantee" or "limit", for the message
   */
  static Result<TreeMap<String, Double>> quantities(
      String role, String what, List<ScalarQuantity> quantities) {
    TreeMap<String, Double> byName = new TreeMap<>();
    for (ScalarQuantity q : quantities) {
      if (!q.hasName() || q.getName().isEmpty()) {
        return Result.problem("a quota %s for role '%s' has no resource name", what, role);
      }
      if (!q.hasValue() || !Double.isFinite(q.getValue()) || q.getValue() < 0) {
        return Result.problem(
            "quota %s of %s for role '%s' must be a number >= 0, was %s",
            what, q.getName(), role, q.hasValue() ? Results.number(q.getValue()) : "missing");
      }
      if (byName.put(q.getName(), q.getValue()) != null) {
        return Result.problem(
            "quota %s of %s for role '%s' is given twice", what, q.getName(), role);
      }
    }
    return Result.of(byName);
  }

  /**
   * A value, or the sentence saying why there is none.
   *
   * @param value the value when {@code problem} is null
   * @param problem a full sentence, or null
   */
  record Result<T>(T value, String problem) {
    static <T> Result<T> of(T value) {
      return new Result<>(value, null);
    }

    static <T> Result<T> problem(String template, Object... args) {
      return new Result<>(null, String.format(java.util.Locale.ROOT, template, args));
    }

    boolean ok() {
      return problem == null;
    }
  }
}
