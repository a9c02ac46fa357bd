package io.cairn.framework.runtime.internal.component;

/** Validation of {@link RuntimeConfig}: one sentence naming PID, key, value and the range. */
final class RuntimeConfigs {
  private static final String PID = "io.cairn.framework.runtime";

  private RuntimeConfigs() {}

  static RuntimeConfig validate(RuntimeConfig c) {
    check(c.sessionTimeoutMs() >= 2000, "sessionTimeoutMs", c.sessionTimeoutMs(), ">= 2000");
    check(c.backoffInitialMs() >= 1, "backoffInitialMs", c.backoffInitialMs(), ">= 1");
    check(c.backoffMaxMs() >= c.backoffInitialMs(), "backoffMaxMs", c.backoffMaxMs(),
        ">= backoffInitialMs (" + c.backoffInitialMs() + ")");
    check(c.missedHeartbeats() >= 1 && c.missedHeartbeats() <= 100, "missedHeartbeats",
        c.missedHeartbeats(), "1..100");
    check(c.subscribeTimeoutMs() >= 1000, "subscribeTimeoutMs", c.subscribeTimeoutMs(),
        ">= 1000");
    check(c.teardownTimeoutMs() >= 100, "teardownTimeoutMs", c.teardownTimeoutMs(), ">= 100");
    check(c.mesosPath().startsWith("/") && !c.mesosPath().endsWith("/"), "mesosPath",
        c.mesosPath(), "an absolute ZooKeeper path such as /mesos");
    return c;
  }

  private static void check(boolean ok, String key, Object value, String expected) {
    if (!ok) {
      throw new IllegalArgumentException(PID + ": " + key + " = " + value + " is invalid;"
          + " expected " + expected);
    }
  }
}
