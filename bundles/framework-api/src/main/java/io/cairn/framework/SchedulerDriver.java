package io.cairn.framework;

import com.google.protobuf.ByteString;
import io.cairn.proto.mesos.v1.Protos.AgentID;
import io.cairn.proto.mesos.v1.Protos.ExecutorID;
import io.cairn.proto.mesos.v1.Protos.Filters;
import io.cairn.proto.mesos.v1.Protos.FrameworkID;
import io.cairn.proto.mesos.v1.Protos.Offer;
import io.cairn.proto.mesos.v1.Protos.OfferID;
import io.cairn.proto.mesos.v1.Protos.TaskID;
import io.cairn.proto.mesos.v1.scheduler.Protos.Call;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The calls a leading {@link Scheduler} makes, each sent as a v1 scheduler {@code Call} to the
 * leading master. Every method returns at once; the stage completes when the master accepted the
 * call (HTTP 202) and fails with a {@link FrameworkException} carrying the master's answer
 * otherwise, or when no master is connected. Calls from a driver whose subscription ended fail.
 */
@ProviderType
public interface SchedulerDriver {

  /** The FrameworkID of the current subscription; empty before the first SUBSCRIBED. */
  Optional<FrameworkID> frameworkId();

  /** ACCEPT: apply the operations (LAUNCH, LAUNCH_GROUP, RESERVE, ...) to the offers. */
  CompletionStage<Void> accept(Collection<OfferID> offerIds, List<Offer.Operation> operations,
      Filters filters);

  /** DECLINE the offers; {@code filters.refuse_seconds} (default 5 s) keeps them away. */
  CompletionStage<Void> decline(Collection<OfferID> offerIds, Filters filters);

  /** REVIVE offers for the roles (all of the framework's roles when empty). */
  CompletionStage<Void> revive(Collection<String> roles);

  /** SUPPRESS offers for the roles (all of the framework's roles when empty). */
  CompletionStage<Void> suppress(Collection<String> roles);

  /** KILL a task; {@code agentId} may be null when unknown. */
  CompletionStage<Void> kill(TaskID taskId, AgentID agentId);

  /** ACKNOWLEDGE an update (only needed without implicit acknowledgements). */
  CompletionStage<Void> acknowledge(AgentID agentId, TaskID taskId, ByteString uuid);

  /** RECONCILE the given tasks (explicit) or, with an empty list, all of them (implicit). */
  CompletionStage<Void> reconcile(List<Call.Reconcile.Task> tasks);

  /** MESSAGE to an executor. */
  CompletionStage<Void> message(AgentID agentId, ExecutorID executorId, byte[] data);

  /** TEARDOWN: the framework ends; the master kills all of its tasks. */
  CompletionStage<Void> teardown();
}
