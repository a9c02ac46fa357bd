package io.cairn.marathon.internal.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A rejected definition: HTTP 422 with {@code {"message", "details":[{path, errors}]}}. The
 * message is Marathon's: "Invalid JSON" when a field has the wrong JSON type or is missing,
 * "Object is not valid" when the values break a rule.
 */
public final class ValidationException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  public static final String INVALID_JSON = "Invalid JSON";
  public static final String NOT_VALID = "Object is not valid";

  private final transient List<Violation> details;

  public ValidationException(String message, List<Violation> details) {
    super(message);
    this.details = merge(details);
  }

  /** One violation at one path. */
  public static ValidationException of(String path, String error) {
    return new ValidationException(NOT_VALID, List.of(Violation.of(path, error)));
  }

  public List<Violation> details() {
    return details;
  }

  private static List<Violation> merge(List<Violation> violations) {
    Map<String, List<String>> byPath = new LinkedHashMap<>();
    for (Violation violation : violations) {
      byPath.computeIfAbsent(violation.path(), p -> new ArrayList<>())
          .addAll(violation.errors());
    }
    List<Violation> merged = new ArrayList<>();
    byPath.forEach((path, errors) -> merged.add(new Violation(path, errors)));
    return List.copyOf(merged);
  }
}
