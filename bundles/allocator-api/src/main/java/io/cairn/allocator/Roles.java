package io.cairn.allocator;

import java.util.ArrayList;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Role names. A role is a path of segments separated by {@code /} ({@code eng/web}); {@code eng} is
 * the parent of {@code eng/web}. {@code *} is the default role and has no children. Segments are
 * non-empty, are not {@code .} or {@code ..}, and contain no whitespace (Mesos roles.md).
 */
@ProviderType
public final class Roles {
  /** The default role of frameworks that name none. */
  public static final String DEFAULT = "*";

  private Roles() {}

  /** Fails with {@link IllegalArgumentException} naming the role if it is not a valid role. */
  public static String check(String role) {
    Checks.argument(role != null && !role.isEmpty(), "role must not be empty");
    if (role.equals(DEFAULT)) {
      return role;
    }
    for (String segment : role.split("/", -1)) {
      Checks.argument(
          !segment.isEmpty() && !segment.equals(".") && !segment.equals("..")
              && !segment.equals(DEFAULT) && segment.chars().noneMatch(Character::isWhitespace),
          "role '%s' is not valid: segments must be non-empty, not '.', '..' or '*', "
              + "and contain no whitespace",
          role);
    }
    return role;
  }

  /** True if {@code role} equals {@code ancestor} or lies below it ({@code eng/web} in eng). */
  public static boolean isSelfOrDescendant(String role, String ancestor) {
    return role.equals(ancestor)
        || (role.length() > ancestor.length()
            && role.startsWith(ancestor)
            && role.charAt(ancestor.length()) == '/');
  }

  /** The role and its ancestors, nearest first: {@code a/b/c, a/b, a}. */
  public static List<String> selfAndAncestors(String role) {
    List<String> result = new ArrayList<>();
    String current = role;
    while (true) {
      result.add(current);
      int slash = current.lastIndexOf('/');
      if (slash < 0) {
        return result;
      }
      current = current.substring(0, slash);
    }
  }
}
