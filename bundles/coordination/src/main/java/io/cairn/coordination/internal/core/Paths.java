package io.cairn.coordination.internal.core;

/**
 * Znode path rules of ZooKeeper's {@code PathUtils.validatePath}: absolute, no empty, "." or ".."
 * segments, no trailing slash (except that a sequential create may end in "/"), no NUL and none of
 * the characters ZooKeeper rejects (U+0001..U+001F, U+007F..U+009F, U+D800..U+F8FF,
 * U+FFF0..U+FFFF).
 */
public final class Paths {
  private Paths() {}

  /** True when {@code path} is a valid znode path; {@code sequential} allows a trailing "/". */
  public static boolean valid(String path, boolean sequential) {
    if (path == null || path.isEmpty() || path.charAt(0) != '/') {
      return false;
    }
    if (path.length() == 1) {
      return !sequential;
    }
    String checked = sequential ? path + "1" : path;
    if (checked.endsWith("/")) {
      return false;
    }
    String[] segments = checked.substring(1).split("/", -1);
    for (String segment : segments) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    for (int i = 0; i < checked.length(); i++) {
      if (badChar(checked.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean badChar(char c) {
    return c == 0
        || (c > '\u0000' && c <= '\u001f')
        || (c >= '\u007f' && c <= '\u009F')
        || (c >= '\ud800' && c <= '\uf8ff')
        || (c >= '\ufff0' && c <= '\uffff');
  }

  /** The parent of a valid non-root path. */
  public static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash == 0 ? "/" : path.substring(0, slash);
  }

  /** The last segment of a valid non-root path. */
  public static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** {@code parent + "/" + name}, without doubling the root's slash. */
  public static String child(String parent, String name) {
    return parent.equals("/") ? "/" + name : parent + "/" + name;
  }
}
