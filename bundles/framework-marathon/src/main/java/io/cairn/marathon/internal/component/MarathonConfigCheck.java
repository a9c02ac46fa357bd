package io.cairn.marathon.internal.component;

/** Validation of {@link MarathonConfig}: one sentence naming PID, key, value and range. */
final class MarathonConfigCheck {
  static final String PID = "io.cairn.marathon";

  private MarathonConfigCheck() {}

  static MarathonConfig validate(MarathonConfig config) {
    range("port", config.port(), 0, 65535);
    range("maxInstancesPerOffer", config.maxInstancesPerOffer(), 1, 100);
    range("maxRunningDeployments", config.maxRunningDeployments(), 1, 10_000);
    range("failoverTimeoutSeconds", config.failoverTimeoutSeconds(), 0, Long.MAX_VALUE);
    range("reconciliationIntervalMs", config.reconciliationIntervalMs(), 1000, Long.MAX_VALUE);
    if (!config.zkPath().startsWith("/") || config.zkPath().length() < 2) {
      throw new IllegalArgumentException(PID + ": zkPath = '" + config.zkPath()
          + "' must be an absolute ZooKeeper path such as /marathon");
    }
    if (config.frameworkName().isBlank()) {
      throw new IllegalArgumentException(PID + ": frameworkName must not be empty");
    }
    return config;
  }

  /** The framework user: configured, or the user running the JVM. */
  static String user(MarathonConfig config) {
    return config.user().isBlank() ? System.getProperty("user.name", "root") : config.user();
  }

  private static void range(String key, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(PID + ": " + key + " = " + value + " must be in ["
          + min + ", " + max + "]");
    }
  }
}
