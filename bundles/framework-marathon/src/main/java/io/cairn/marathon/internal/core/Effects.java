package io.cairn.marathon.internal.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.marathon.internal.model.AppDefinition;
import io.cairn.proto.mesos.v1.Protos.Offer;
import io.cairn.proto.mesos.v1.Protos.TaskInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * The core's outbox: what the driver must do after an input, in this order: persist the writes
 * (so a new leader resumes), then send the calls to the master (accepts, declines, kills,
 * revive, reconcile) and start the readiness and health probes, then publish the events. Drained with {@link MarathonCore#drain()}.
 */
public final class Effects {
  /** ACCEPT one offer with LAUNCH of these tasks. */
  public record Accept(Offer offer, List<TaskInfo> tasks) {}

  /** DECLINE one offer for a while. */
  public record Decline(Offer offer, double refuseSeconds) {}

  /** KILL a task (agent id may be empty). */
  public record Kill(String taskId, String agentId) {}

  /**
   * An HTTP readiness check to run against a task: GET {@code url}, give up after
   * {@code timeoutSeconds}, report with {@link MarathonCore#readiness}.
   */
  public record ReadinessProbe(String taskId, String name, String url, int timeoutSeconds) {}

  /**
   * A Marathon-level health check to run against a task: {@code protocol} HTTP or HTTPS (GET
   * {@code url}: passes on 200-399; with {@code ignoreHttp1xx} a 1xx answer is no result) or TCP
   * (connect to {@code host:port}); give up after {@code timeoutSeconds}; report with
   * {@link MarathonCore#health}.
   */
  public record HealthProbe(String taskId, int checkIndex, String protocol, String host,
      int port, String url, int timeoutSeconds, boolean ignoreHttp1xx) {}

  /** A task to reconcile (explicit). */
  public record ReconcileTask(String taskId, String agentId) {}

  /** A write to the state store. */
  public sealed interface Write permits PutApp, DeleteApp, PutDeployment, DeleteDeployment,
      PutInstance, DeleteInstance {}

  /** Store an app (its current definition and that version). */
  public record PutApp(AppDefinition app) implements Write {}

  /** Remove an app and its versions. */
  public record DeleteApp(String appId) implements Write {}

  /** Store a deployment plan. */
  public record PutDeployment(DeploymentPlan plan) implements Write {}

  /** Remove a finished or cancelled plan. */
  public record DeleteDeployment(String planId) implements Write {}

  /** Store an instance (launched). */
  public record PutInstance(Instance instance) implements Write {}

  /** Remove an instance (terminal). */
  public record DeleteInstance(String taskId) implements Write {}

  final List<Write> writes = new ArrayList<>();
  final List<Accept> accepts = new ArrayList<>();
  final List<Decline> declines = new ArrayList<>();
  final List<Kill> kills = new ArrayList<>();
  final List<ReconcileTask> reconcile = new ArrayList<>();
  final List<ReadinessProbe> probes = new ArrayList<>();
  final List<HealthProbe> healthProbes = new ArrayList<>();
  boolean reconcileImplicit;
  boolean revive;
  final List<ObjectNode> events = new ArrayList<>();

  public List<Write> writes() {
    return writes;
  }

  public List<Accept> accepts() {
    return accepts;
  }

  public List<Decline> declines() {
    return declines;
  }

  public List<Kill> kills() {
    return kills;
  }

  public List<ReconcileTask> reconcile() {
    return reconcile;
  }

  public List<ReadinessProbe> probes() {
    return probes;
  }

  public List<HealthProbe> healthProbes() {
    return healthProbes;
  }

  public boolean reconcileImplicit() {
    return reconcileImplicit;
  }

  public boolean revive() {
    return revive;
  }

  public List<ObjectNode> events() {
    return events;
  }

  /** Whether nothing needs doing. */
  public boolean isEmpty() {
    return writes.isEmpty() && accepts.isEmpty() && declines.isEmpty() && kills.isEmpty()
        && reconcile.isEmpty() && probes.isEmpty() && healthProbes.isEmpty()
        && !reconcileImplicit && !revive && events.isEmpty();
  }
}
