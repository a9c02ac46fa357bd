package io.cairn.marathon.internal.core;

import java.util.Map;

/** Where an instance runs, as constraints see it: the hostname and formatted attributes. */
public record Placement(String hostname, Map<String, String> attributes) {
  public Placement {
    attributes = Map.copyOf(attributes);
  }

  /** The value of a constraint field, or null when the agent lacks it. */
  public String value(String field) {
    if (field.equals("hostname") || field.equals("@hostname")) {
      return hostname;
    }
    return attributes.get(field);
  }
}
