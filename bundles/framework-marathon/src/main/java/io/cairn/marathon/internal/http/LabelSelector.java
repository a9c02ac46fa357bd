package io.cairn.marathon.internal.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Marathon's {@code label=} selector: comma-separated terms, all must hold: {@code k},
 * {@code k==v}, {@code k!=v}, {@code k in (a,b)}, {@code k notin (a,b)}.
 */
final class LabelSelector {
  private static final Pattern SET = Pattern.compile("^\\s*(\\S+)\\s+(in|notin)\\s+\\((.*)\\)\\s*$");
  private final List<Predicate<Map<String, String>>> terms;

  private LabelSelector(List<Predicate<Map<String, String>>> terms) {
    this.terms = terms;
  }

  static LabelSelector parse(String text) {
    List<Predicate<Map<String, String>>> terms = new ArrayList<>();
    for (String term : split(text)) {
      Matcher set = SET.matcher(term);
      if (set.matches()) {
        String key = set.group(1);
        Set<String> values = Set.of(set.group(3).trim().split("\\s*,\\s*"));
        boolean in = set.group(2).equals("in");
        terms.add(labels -> labels.containsKey(key) && values.contains(labels.get(key)) == in);
      } else if (term.contains("!=")) {
        String[] kv = term.split("!=", 2);
        terms.add(labels -> !kv[1].trim().equals(labels.get(kv[0].trim())));
      } else if (term.contains("==")) {
        String[] kv = term.split("==", 2);
        terms.add(labels -> kv[1].trim().equals(labels.get(kv[0].trim())));
      } else if (!term.isBlank()) {
        terms.add(labels -> labels.containsKey(term.trim()));
      }
    }
    return new LabelSelector(terms);
  }

  boolean matches(Map<String, String> labels) {
    return terms.stream().allMatch(t -> t.test(labels));
  }

  /** Splits on commas outside parentheses. */
  private static List<String> split(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    StringBuilder current = new StringBuilder();
    for (char c : text.toCharArray()) {
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      }
      if (c == ',' && depth == 0) {
        parts.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    parts.add(current.toString());
    return parts;
  }
}
