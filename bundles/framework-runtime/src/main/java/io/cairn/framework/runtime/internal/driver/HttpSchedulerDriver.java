package io.cairn.framework.runtime.internal.driver;

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
import io.cairn.proto.mesos.v1.scheduler.Protos.Call;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@link SchedulerDriver} of one subscription: every call is a protobuf {@code Call} POSTed to
 * the master that holds the stream, with its {@code Mesos-Stream-Id}, and must be answered 202.
 * Once the subscription ended ({@link #end}), every call fails at once.
 *
 * <p>Threading: thread-safe; calls are asynchronous ({@link HttpClient#sendAsync}).
 */
final class HttpSchedulerDriver implements SchedulerDriver {
  static final String PROTOBUF = "application/x-protobuf";
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);

  private final HttpClient http;
  private final URI endpoint;
  private final String streamId;
  private final FrameworkID frameworkId;
  private volatile String endedReason;

  HttpSchedulerDriver(HttpClient http, String master, String streamId, FrameworkID frameworkId) {
    this.http = http;
    this.endpoint = URI.create("http://" + master + "/api/v1/scheduler");
    this.streamId = streamId;
    this.frameworkId = frameworkId;
  }

  /** The subscription ended: later calls fail with this reason. */
  void end(String reason) {
    endedReason = reason;
  }

  boolean ended() {
    return endedReason != null;
  }

  @Override
  public Optional<FrameworkID> frameworkId() {
    return Optional.of(frameworkId);
  }

  @Override
  public CompletionStage<Void> accept(Collection<OfferID> offerIds,
      List<Offer.Operation> operations, Filters filters) {
    return send(call(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder().addAllOfferIds(offerIds)
        .addAllOperations(operations).setFilters(filters)));
  }

  @Override
  public CompletionStage<Void> decline(Collection<OfferID> offerIds, Filters filters) {
    return send(call(Call.Type.DECLINE).setDecline(Call.Decline.newBuilder()
        .addAllOfferIds(offerIds).setFilters(filters)));
  }

  @Override
  public CompletionStage<Void> revive(Collection<String> roles) {
    return send(call(Call.Type.REVIVE).setRevive(Call.Revive.newBuilder().addAllRoles(roles)));
  }

  @Override
  public CompletionStage<Void> suppress(Collection<String> roles) {
    return send(call(Call.Type.SUPPRESS).setSuppress(Call.Suppress.newBuilder()
        .addAllRoles(roles)));
  }

  @Override
  public CompletionStage<Void> kill(TaskID taskId, AgentID agentId) {
    Call.Kill.Builder kill = Call.Kill.newBuilder().setTaskId(taskId);
    if (agentId != null) {
      kill.setAgentId(agentId);
    }
    return send(call(Call.Type.KILL).setKill(kill));
  }

  @Override
  public CompletionStage<Void> acknowledge(AgentID agentId, TaskID taskId, ByteString uuid) {
    return send(call(Call.Type.ACKNOWLEDGE).setAcknowledge(Call.Acknowledge.newBuilder()
        .setAgentId(agentId).setTaskId(taskId).setUuid(uuid)));
  }

  @Override
  public CompletionStage<Void> reconcile(List<Call.Reconcile.Task> tasks) {
    return send(call(Call.Type.RECONCILE).setReconcile(Call.Reconcile.newBuilder()
        .addAllTasks(tasks)));
  }

  @Override
  public CompletionStage<Void> message(AgentID agentId, ExecutorID executorId, byte[] data) {
    return send(call(Call.Type.MESSAGE).setMessage(Call.Message.newBuilder().setAgentId(agentId)
        .setExecutorId(executorId).setData(ByteString.copyFrom(data))));
  }

  @Override
  public CompletionStage<Void> teardown() {
    return send(call(Call.Type.TEARDOWN));
  }

  private Call.Builder call(Call.Type type) {
    return Call.newBuilder().setType(type).setFrameworkId(frameworkId);
  }

  /** Sends even after {@link #end} (used for the final TEARDOWN on unregistration). */
  CompletionStage<Void> sendFinal(Call.Builder call) {
    return post(call.build());
  }

  CompletionStage<Void> teardownFinal() {
    return sendFinal(call(Call.Type.TEARDOWN));
  }

  private CompletionStage<Void> send(Call.Builder call) {
    String reason = endedReason;
    if (reason != null) {
      return CompletableFuture.failedFuture(new FrameworkException(0, call.getType()
          + " not sent: the subscription ended (" + reason + ")"));
    }
    return post(call.build());
  }

  private CompletionStage<Void> post(Call call) {
    HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(CALL_TIMEOUT)
        .header("Content-Type", PROTOBUF).header("Accept", PROTOBUF)
        .header("Mesos-Stream-Id", streamId)
        .POST(HttpRequest.BodyPublishers.ofByteArray(call.toByteArray())).build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .handle((response, error) -> {
          if (error != null) {
            throw new FrameworkException(call.getType() + " to " + endpoint + " failed", error);
          }
          if (response.statusCode() != 202) {
            throw new FrameworkException(response.statusCode(), call.getType() + " refused by "
                + endpoint + ": " + new String(response.body(), StandardCharsets.UTF_8).strip());
          }
          return null;
        });
  }
}
