package io.cairn.node.internal;

import java.nio.file.Path;

/** The one place that reads Karaf's system properties for paths (STYLE.md §2: config classes only). */
final class RuntimePaths {
  private RuntimePaths() {}

  /** {@code ${karaf.data}/cairn/status}, or null outside Karaf. */
  static Path statusFile() {
    String data = System.getProperty("karaf.data");
    return data == null ? null : Path.of(data, "cairn", "status");
  }
}
