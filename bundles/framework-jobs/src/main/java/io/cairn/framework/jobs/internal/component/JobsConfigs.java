package io.cairn.framework.jobs.internal.component;

/** Validation of {@link JobsConfig}: one sentence naming PID, key, value and the range. */
final class JobsConfigs {
  private static final String PID = "io.cairn.framework.jobs";

  private JobsConfigs() {}

  static JobsConfig validate(JobsConfig c) {
    check(c.frameworkName().matches("[A-Za-z0-9][A-Za-z0-9._-]*"), "frameworkName",
        c.frameworkName(), "letters, digits, '.', '_' or '-'");
    check(c.port() >= 1 && c.port() <= 65535, "port", c.port(), "1..65535");
    check(c.failoverTimeoutSeconds() >= 0 && !Double.isInfinite(c.failoverTimeoutSeconds()),
        "failoverTimeoutSeconds", c.failoverTimeoutSeconds(), "a finite number >= 0");
    check(c.historyMax() >= 1 && c.historyMax() <= 1000, "historyMax", c.historyMax(),
        "1..1000");
    check(c.zkRoot().startsWith("/") && !c.zkRoot().endsWith("/"), "zkRoot", c.zkRoot(),
        "an absolute ZooKeeper path such as /cairn/jobs");
    check(!c.role().isBlank(), "role", c.role(), "a role name such as *");
    return c;
  }

  private static void check(boolean ok, String key, Object value, String expected) {
    if (!ok) {
      throw new IllegalArgumentException(PID + ": " + key + " = " + value + " is invalid;"
          + " expected " + expected);
    }
  }
}
