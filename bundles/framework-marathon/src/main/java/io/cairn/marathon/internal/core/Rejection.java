package io.cairn.marathon.internal.core;

import java.util.List;

/**
 * A request the scheduler refuses, with Marathon's HTTP status and message: 404 unknown app or
 * deployment, 409 app locked by deployments (their ids), 403 too many deployments.
 */
public final class Rejection extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final transient List<String> deploymentIds;

  public Rejection(int status, String message) {
    this(status, message, List.of());
  }

  public Rejection(int status, String message, List<String> deploymentIds) {
    super(message);
    this.status = status;
    this.deploymentIds = List.copyOf(deploymentIds);
  }

  public int status() {
    return status;
  }

  public List<String> deploymentIds() {
    return deploymentIds;
  }

  /** Marathon's 404 for an unknown app. */
  public static Rejection unknownApp(String appId) {
    return new Rejection(404, "App '" + appId + "' does not exist");
  }

  /** Marathon's 409 AppLockedException. */
  public static Rejection locked(List<String> ids) {
    return new Rejection(409, "App is locked by one or more deployments. Override with the option"
        + " '?force=true'. View details at '/v2/deployments/" + String.join(",", ids) + "'.", ids);
  }
}
