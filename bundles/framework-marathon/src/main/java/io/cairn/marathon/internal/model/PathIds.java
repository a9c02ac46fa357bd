package io.cairn.marathon.internal.model;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Marathon's path ids ({@code src/state/PathId.scala}): segments separated by {@code /}, each
 * fully matching {@link #SEGMENT}; relative ids are resolved against a base group; {@code .} and
 * {@code ..} are resolved.
 */
public final class PathIds {
  /** Marathon's segment rule, printed as is in validation errors. */
  public static final String SEGMENT_REGEX =
      "^(([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])\\.)*([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])"
          + "|(\\.|\\.\\.)$";
  private static final Pattern SEGMENT = Pattern.compile(SEGMENT_REGEX);
  private static final Set<String> RESERVED = Set.of("restart", "tasks", "versions");

  private PathIds() {}

  /**
   * The absolute, canonical form of {@code raw} resolved against {@code base}, or an error
   * sentence when it breaks Marathon's rules.
   */
  public static Result resolve(String raw, String base) {
    if (raw.isEmpty()) {
      return Result.error("must not be empty");
    }
    String joined = raw.startsWith("/") ? raw : (base.endsWith("/") ? base : base + "/") + raw;
    Deque<String> segments = new ArrayDeque<>();
    for (String segment : joined.split("/")) {
      if (segment.isEmpty()) {
        continue;
      }
      if (!SEGMENT.matcher(segment).matches()) {
        return Result.error("must fully match regular expression '" + SEGMENT_REGEX + "'");
      }
      if (segment.equals("..")) {
        if (segments.isEmpty()) {
          return Result.error("path '" + raw + "' escapes the root group");
        }
        segments.removeLast();
      } else if (!segment.equals(".")) {
        segments.addLast(segment);
      }
    }
    return Result.ok("/" + String.join("/", segments));
  }

  /** Validates an app id: also not root and not ending in a reserved word. */
  public static Result appId(String raw, String base) {
    Result result = resolve(raw, base);
    if (result.error().isPresent()) {
      return result;
    }
    String id = result.id();
    if (id.equals("/")) {
      return Result.error("Path must contain at least one path element");
    }
    String last = id.substring(id.lastIndexOf('/') + 1);
    if (RESERVED.contains(last)) {
      return Result.error("must not end with any of the following reserved keywords: "
          + String.join(", ", List.of("restart", "tasks", "versions")));
    }
    return result;
  }

  /** The parent group of an absolute id ({@code /} for a top-level app). */
  public static String parent(String id) {
    int slash = id.lastIndexOf('/');
    return slash <= 0 ? "/" : id.substring(0, slash);
  }

  /** The id with {@code /} replaced by {@code _} and no leading one (task ids, znodes). */
  public static String safe(String id) {
    return id.substring(1).replace('/', '_');
  }

  /** An absolute id, or an error sentence. */
  public record Result(String id, Optional<String> error) {
    static Result ok(String id) {
      return new Result(id, Optional.empty());
    }

    static Result error(String sentence) {
      return new Result("", Optional.of(sentence));
    }
  }
}
