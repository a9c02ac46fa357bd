package io.cairn.marathon.internal.http;

import com.google.protobuf.ByteString;
import io.cairn.framework.FrameworkException;
import io.cairn.framework.SchedulerDriver;
import io.cairn.proto.mesos.v1.Protos.AgentID;
import io.cairn.proto.mesos.v1.Protos.ExecutorID;
import io.cairn.proto.mesos.v1.Protos.Filters;
import io.cairn.proto.mesos.v1.Protos.FrameworkID;
import io.cairn.proto.mesos.v1.Protos.Offer;
import io.cairn.proto.mesos.v1.Protos.OfferID;
import io.cairn.proto.mesos.v1.Protos.TaskID;
import io.cairn.proto.mesos.v1.Protos.TaskInfo;
import io.cairn.proto.mesos.v1.scheduler.Protos.Call;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A test SchedulerDriver that records every call and is stricter than the master: it fails an
 * ACCEPT or DECLINE of an offer it never handed out or that was already answered, a LAUNCH whose
 * task uses an agent other than the offer's or a task id already launched, and a KILL of a task
 * never launched. Failures are also recorded, so a test asserts there were none.
 */
final class RecordingSchedulerDriver implements SchedulerDriver {
  private final Map<String, Offer> outstanding = new HashMap<>();
  private final Set<String> launchedIds = new HashSet<>();
  final List<TaskInfo> launched = new ArrayList<>();
  final List<String> declined = new ArrayList<>();
  final List<String> killed = new ArrayList<>();
  final List<String> violations = new ArrayList<>();
  int revives;
  int reconciles;

  /** Hands an offer out (the test then passes it to the scheduler). */
  synchronized Offer offer(Offer offer) {
    outstanding.put(offer.getId().getValue(), offer);
    return offer;
  }

  @Override
  public Optional<FrameworkID> frameworkId() {
    return Optional.of(FrameworkID.newBuilder().setValue("fw-test").build());
  }

  @Override
  public synchronized CompletionStage<Void> accept(Collection<OfferID> offerIds,
      List<Offer.Operation> operations, Filters filters) {
    for (OfferID id : offerIds) {
      Offer offer = outstanding.remove(id.getValue());
      if (offer == null) {
        return fail("ACCEPT of unknown or used offer " + id.getValue());
      }
      for (Offer.Operation operation : operations) {
        for (TaskInfo task : operation.getLaunch().getTaskInfosList()) {
          if (!task.getAgentId().equals(offer.getAgentId())) {
            return fail("task " + task.getTaskId().getValue() + " on another agent");
          }
          if (!launchedIds.add(task.getTaskId().getValue())) {
            return fail("task id " + task.getTaskId().getValue() + " launched twice");
          }
          launched.add(task);
        }
      }
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletionStage<Void> decline(Collection<OfferID> offerIds,
      Filters filters) {
    for (OfferID id : offerIds) {
      if (outstanding.remove(id.getValue()) == null) {
        return fail("DECLINE of unknown or used offer " + id.getValue());
      }
      declined.add(id.getValue());
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletionStage<Void> revive(Collection<String> roles) {
    revives++;
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Void> suppress(Collection<String> roles) {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletionStage<Void> kill(TaskID taskId, AgentID agentId) {
    if (!launchedIds.contains(taskId.getValue())) {
      return fail("KILL of a task never launched " + taskId.getValue());
    }
    killed.add(taskId.getValue());
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Void> acknowledge(AgentID agentId, TaskID taskId, ByteString uuid) {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletionStage<Void> reconcile(List<Call.Reconcile.Task> tasks) {
    reconciles++;
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Void> message(AgentID agentId, ExecutorID executorId, byte[] data) {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Void> teardown() {
    return CompletableFuture.completedFuture(null);
  }

  private CompletionStage<Void> fail(String violation) {
    violations.add(violation);
    return CompletableFuture.failedFuture(new FrameworkException(400, violation));
  }
}
