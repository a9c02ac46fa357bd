package io.cairn.marathon.internal.model;

import java.util.List;
import java.util.Objects;

/**
 * One entry of Marathon's 422 body: {@code {"path":"/cpus","errors":["..."]}}. Paths use
 * Marathon's rendering: {@code /field/sub(0)/x}.
 */
public record Violation(String path, List<String> errors) {
  public Violation {
    Objects.requireNonNull(path, "path");
    errors = List.copyOf(errors);
  }

  public static Violation of(String path, String error) {
    return new Violation(path, List.of(error));
  }
}
