package io.cairn.master.internal.core;

import io.cairn.allocator.Filters;
import io.cairn.allocator.FrameworkId;
import io.cairn.master.internal.core.MasterBooks.AgentEntry;
import io.cairn.master.internal.core.MasterBooks.FrameworkEntry;
import io.cairn.master.internal.core.MasterBooks.OfferEntry;
import io.cairn.master.internal.core.MasterBooks.TaskEntry;
import io.cairn.master.internal.proto.RegistryProtos.AddFramework;
import io.cairn.master.internal.proto.RegistryProtos.RegistryCommand;
import io.cairn.master.internal.proto.RegistryProtos.RegistryResult;
import io.cairn.master.internal.proto.RegistryProtos.RemoveFramework;
import io.cairn.proto.agent.AgentMessage;
import io.cairn.proto.agent.KillTask;
import io.cairn.proto.agent.ShutdownFramework;
import io.cairn.proto.agent.StatusUpdateAcknowledgement;
import io.cairn.proto.mesos.v1.Protos.FrameworkID;
import io.cairn.proto.mesos.v1.Protos.FrameworkInfo;
import io.cairn.proto.mesos.v1.Protos.OfferID;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import io.cairn.proto.mesos.v1.Protos.TaskStatus;
import io.cairn.proto.mesos.v1.scheduler.Protos.Call;
import io.cairn.proto.mesos.v1.scheduler.Protos.Event;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler side of {@link MasterCore}: the v1 scheduler API calls (Mesos {@code
 * docs/scheduler-http-api.md}). SUBSCRIBE opens a stream; every other call names its framework and
 * must come with that framework's stream id. Answers are synchronous {@link CallResult}s (the HTTP
 * status) plus events on the stream. Part of the core: same thread, same rules.
 */
final class SchedulerCalls {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerCalls.class);
  /** Mesos caps refuse_seconds at one year. */
  private static final double MAX_REFUSE_SECONDS = 31_536_000;

  private final MasterCore core;
  private final Launcher launcher;
  /** Streams whose new framework waits for its registry entry. */
  private final Set<String> pendingStreams = new HashSet<>();

  SchedulerCalls(MasterCore core) {
    this.core = core;
    this.launcher = new Launcher(core);
  }

  CallResult subscribe(String streamId, Call call) {
    if (call.getType() != Call.Type.SUBSCRIBE || !call.hasSubscribe()) {
      return CallResult.badRequest("expecting a SUBSCRIBE call with 'subscribe' set");
    }
    FrameworkInfo info = call.getSubscribe().getFrameworkInfo();
    if (call.hasFrameworkId() && !call.getFrameworkId().equals(info.getId())) {
      return CallResult.badRequest("'framework_id' differs from 'subscribe.framework_info.id'");
    }
    if (!(info.getFailoverTimeout() >= 0) || Double.isInfinite(info.getFailoverTimeout())) {
      return CallResult.badRequest("failover_timeout must be a finite number >= 0, was "
          + info.getFailoverTimeout());
    }
    String roleProblem = checkRoles(info);
    if (roleProblem != null) {
      return CallResult.badRequest(roleProblem);
    }
    if (info.hasId() && !info.getId().getValue().isEmpty()) {
      resubscribe(streamId, info);
      return CallResult.ACCEPTED;
    }
    String id = core.masterInfo.getId() + "-" + String.format("%04d", core.nextFramework++);
    FrameworkInfo withId = info.toBuilder().setId(FrameworkID.newBuilder().setValue(id)).build();
    pendingStreams.add(streamId);
    core.propose(RegistryCommand.newBuilder()
        .setAddFramework(AddFramework.newBuilder().setInfo(withId)).build(), result -> {
          if (!pendingStreams.remove(streamId)) {
            return; // the scheduler went away meanwhile; it will subscribe again
          }
          if (result.getCode() != RegistryResult.Code.OK) {
            core.outbox.toFramework(streamId, error("framework was not registered: "
                + result.getMessage()));
            core.outbox.closeStream(streamId, result.getMessage());
            return;
          }
          core.registryFrameworks.put(id, withId.getName());
          FrameworkEntry entry = new FrameworkEntry(withId, core.now());
          core.frameworks.put(id, entry);
          core.allocator.addFramework(MasterCore.frameworkSpec(withId), true, List.of());
          attach(entry, streamId);
          core.operatorEvents.frameworkAdded(entry);
          LOG.info("framework registered framework={} name={}", id, withId.getName());
        });
    return CallResult.ACCEPTED;
  }

  private static String checkRoles(FrameworkInfo info) {
    try {
      MasterCore.frameworkSpec(info.hasId() ? info : info.toBuilder()
          .setId(FrameworkID.newBuilder().setValue("new")).build());
      return null;
    } catch (IllegalArgumentException e) {
      return "bad roles in framework_info: " + e.getMessage();
    }
  }

  private void resubscribe(String streamId, FrameworkInfo info) {
    String id = info.getId().getValue();
    FrameworkEntry entry = core.frameworks.get(id);
    if (entry == null) {
      entry = new FrameworkEntry(info, core.now());
      core.frameworks.put(id, entry);
      core.allocator.addFramework(MasterCore.frameworkSpec(info), true, List.of());
      core.operatorEvents.frameworkAdded(entry);
      if (!core.registryFrameworks.containsKey(id)) {
        core.registryFrameworks.put(id, info.getName());
        core.propose(RegistryCommand.newBuilder()
            .setAddFramework(AddFramework.newBuilder().setInfo(info)).build(), result -> { });
      }
    } else {
      if (entry.streamId != null && !entry.streamId.equals(streamId)) {
        core.frameworkByStream.remove(entry.streamId);
        core.outbox.toFramework(entry.streamId, error("framework failed over"));
        core.outbox.closeStream(entry.streamId, "framework " + id + " failed over");
      }
      entry.info = info.toBuilder().setId(entry.info.getId()).build();
      try {
        core.allocator.updateFramework(MasterCore.frameworkSpec(entry.info));
      } catch (IllegalArgumentException | IllegalStateException e) {
        LOG.warn("framework roles not updated framework={} reason={}", id, e.getMessage());
      }
      core.allocator.activateFramework(entry.allocatorId());
    }
    entry.recovered = false;
    attach(entry, streamId);
    LOG.info("framework subscribed framework={} name={}", id, info.getName());
  }

  private void attach(FrameworkEntry entry, String streamId) {
    entry.streamId = streamId;
    entry.disconnectedMs = -1;
    core.frameworkByStream.put(streamId, entry.id());
    core.outbox.toFramework(streamId, Event.newBuilder().setType(Event.Type.SUBSCRIBED)
        .setSubscribed(Event.Subscribed.newBuilder().setFrameworkId(entry.info.getId())
            .setHeartbeatIntervalSeconds(core.settings.heartbeatIntervalMs() / 1000.0)
            .setMasterInfo(core.masterInfo)).build());
    core.allocateAllSoon();
  }

  static Event error(String message) {
    return Event.newBuilder().setType(Event.Type.ERROR)
        .setError(Event.Error.newBuilder().setMessage(message)).build();
  }

  void streamClosed(String streamId) {
    pendingStreams.remove(streamId);
    String id = core.frameworkByStream.remove(streamId);
    if (id == null) {
      return;
    }
    FrameworkEntry entry = core.frameworks.get(id);
    entry.streamId = null;
    entry.disconnectedMs = core.now();
    core.allocator.deactivateFramework(entry.allocatorId());
    for (String offerId : new ArrayList<>(entry.offerIds)) {
      core.removeOffer(core.offers.get(offerId), false, Filters.NONE);
    }
    LOG.info("framework disconnected framework={} failoverTimeoutSeconds={}", id,
        entry.info.getFailoverTimeout());
  }

  /** Removes frameworks whose scheduler stayed away longer than their failover_timeout. */
  void expireFailoverTimeouts(long now) {
    for (FrameworkEntry entry : new ArrayList<>(core.frameworks.values())) {
      if (entry.streamId == null && entry.disconnectedMs >= 0
          && now - entry.disconnectedMs >= (long) (entry.info.getFailoverTimeout() * 1000)) {
        LOG.info("framework failover timeout expired framework={}", entry.id());
        remove(entry, "failover_timeout expired");
      }
    }
  }

  // ------------------------------------------------------------------------------------------

  CallResult call(String streamId, Call call) {
    if (call.getType() == Call.Type.SUBSCRIBE) {
      return CallResult.badRequest("SUBSCRIBE must be made on its own connection");
    }
    if (!call.hasFrameworkId()) {
      return CallResult.badRequest("expecting 'framework_id' to be present");
    }
    String id = call.getFrameworkId().getValue();
    FrameworkEntry framework = core.frameworks.get(id);
    if (framework == null || framework.streamId == null) {
      return CallResult.forbidden("framework " + id + " is not subscribed");
    }
    if (streamId == null || !streamId.equals(framework.streamId)) {
      return CallResult.badRequest("the Mesos-Stream-Id '" + streamId
          + "' does not match the stream of framework " + id);
    }
    return switch (call.getType()) {
      case ACCEPT -> launcher.accept(framework, call.getAccept());
      case DECLINE -> decline(framework, call.getDecline().getOfferIdsList(),
          call.getDecline().getFilters());
      case REVIVE -> revive(framework, call.getRevive().getRolesList());
      case SUPPRESS -> suppress(framework, call.getSuppress().getRolesList());
      case KILL -> kill(framework, call.getKill());
      case ACKNOWLEDGE -> acknowledge(framework, call.getAcknowledge());
      case RECONCILE -> reconcile(framework, call.getReconcile());
      case TEARDOWN -> {
        remove(framework, "the framework tore itself down");
        yield CallResult.ACCEPTED;
      }
      case MESSAGE -> message(framework, call.getMessage());
      case SHUTDOWN -> shutdown(framework, call.getShutdown());
      case REQUEST, ACCEPT_INVERSE_OFFERS, DECLINE_INVERSE_OFFERS,
          ACKNOWLEDGE_OPERATION_STATUS, RECONCILE_OPERATIONS -> CallResult.ACCEPTED;
      default -> CallResult.badRequest("call type " + call.getType() + " is not supported");
    };
  }

  CallResult decline(FrameworkEntry framework, List<OfferID> offerIds,
      io.cairn.proto.mesos.v1.Protos.Filters filters) {
    Filters refuse = filters(filters);
    for (OfferID offerId : offerIds) {
      OfferEntry offer = core.offers.get(offerId.getValue());
      if (offer == null || !offer.frameworkId().equals(framework.id())) {
        LOG.debug("decline of unknown offer framework={} offer={}", framework.id(),
            offerId.getValue());
        continue;
      }
      core.removeOffer(offer, false, refuse);
    }
    return CallResult.ACCEPTED;
  }

  /** Mesos's default refusal is 5 s; negative or absent means the default, capped at a year. */
  static Filters filters(io.cairn.proto.mesos.v1.Protos.Filters filters) {
    double seconds = filters.hasRefuseSeconds() ? filters.getRefuseSeconds() : 5.0;
    if (!(seconds >= 0)) {
      seconds = 5.0;
    }
    seconds = Math.min(seconds, MAX_REFUSE_SECONDS);
    return new Filters(Math.round(seconds * 1000));
  }

  private CallResult revive(FrameworkEntry framework, List<String> roles) {
    core.allocator.revive(framework.allocatorId(), Set.copyOf(roles));
    core.allocateAllSoon();
    return CallResult.ACCEPTED;
  }

  private CallResult suppress(FrameworkEntry framework, List<String> roles) {
    core.allocator.suppress(framework.allocatorId(), Set.copyOf(roles));
    return CallResult.ACCEPTED;
  }

  private CallResult kill(FrameworkEntry framework, Call.Kill kill) {
    TaskEntry task = framework.tasks.get(kill.getTaskId().getValue());
    if (task == null) {
      TaskStatus status = Reconciliation.unknownTask(core, framework, kill.getTaskId(),
          kill.hasAgentId() ? kill.getAgentId() : null);
      if (status != null) {
        core.sendUpdate(framework, status);
      }
      return CallResult.ACCEPTED;
    }
    AgentEntry agent = core.agents.get(task.task.getAgentId().getValue());
    if (agent != null) {
      KillTask.Builder message = KillTask.newBuilder().setFrameworkId(framework.info.getId())
          .setTaskId(task.task.getTaskId());
      if (kill.hasKillPolicy()) {
        message.setKillPolicy(kill.getKillPolicy());
      }
      core.sendToAgent(agent, AgentMessage.newBuilder().setKillTask(message));
    }
    return CallResult.ACCEPTED;
  }

  /** MESSAGE: framework data for one of its executors, best effort (FrameworkToExecutor). */
  private CallResult message(FrameworkEntry framework, Call.Message message) {
    AgentEntry agent = core.agents.get(message.getAgentId().getValue());
    if (agent == null) {
      return CallResult.notFound("agent " + message.getAgentId().getValue()
          + " is not registered with this master");
    }
    core.sendToAgent(agent, AgentMessage.newBuilder().setFrameworkToExecutor(
        io.cairn.proto.agent.FrameworkToExecutor.newBuilder().setAgentId(message.getAgentId())
            .setFrameworkId(framework.info.getId()).setExecutorId(message.getExecutorId())
            .setData(message.getData())));
    return CallResult.ACCEPTED;
  }

  /** SHUTDOWN: stop one executor of this framework on its agent (ShutdownExecutor). */
  private CallResult shutdown(FrameworkEntry framework, Call.Shutdown shutdown) {
    AgentEntry agent = core.agents.get(shutdown.getAgentId().getValue());
    if (agent == null) {
      return CallResult.notFound("agent " + shutdown.getAgentId().getValue()
          + " is not registered with this master");
    }
    core.sendToAgent(agent, AgentMessage.newBuilder().setShutdownExecutor(
        io.cairn.proto.agent.ShutdownExecutor.newBuilder().setFrameworkId(framework.info.getId())
            .setExecutorId(shutdown.getExecutorId())));
    return CallResult.ACCEPTED;
  }

  private CallResult acknowledge(FrameworkEntry framework, Call.Acknowledge ack) {
    if (ack.getUuid().size() != 16) {
      return CallResult.badRequest("'uuid' must be the 16 bytes of the status update's UUID, was "
          + ack.getUuid().size() + " bytes");
    }
    AgentEntry agent = core.agents.get(ack.getAgentId().getValue());
    if (agent == null) {
      LOG.debug("acknowledgement for unknown agent={} framework={}", ack.getAgentId().getValue(),
          framework.id());
      return CallResult.ACCEPTED;
    }
    core.sendToAgent(agent, AgentMessage.newBuilder().setStatusUpdateAcknowledgement(
        StatusUpdateAcknowledgement.newBuilder().setAgentId(ack.getAgentId())
            .setFrameworkId(framework.info.getId()).setTaskId(ack.getTaskId())
            .setUuid(ack.getUuid())));
    TaskEntry task = framework.tasks.get(ack.getTaskId().getValue());
    if (task != null && MasterBooks.terminal(task.task.getState())
        && ack.getUuid().equals(task.task.getStatusUpdateUuid())) {
      framework.tasks.remove(ack.getTaskId().getValue());
      agent.tasks.remove(task.key());
      framework.complete(task.task);
    }
    return CallResult.ACCEPTED;
  }

  private CallResult reconcile(FrameworkEntry framework, Call.Reconcile reconcile) {
    for (TaskStatus status : Reconciliation.reconcile(core, framework, reconcile)) {
      core.sendUpdate(framework, status);
    }
    return CallResult.ACCEPTED;
  }

  /** TEARDOWN or failover timeout: kill its tasks on every agent and forget the framework. */
  void remove(FrameworkEntry framework, String why) {
    for (String offerId : new ArrayList<>(framework.offerIds)) {
      OfferEntry offer = core.offers.get(offerId);
      core.offers.remove(offerId);
      AgentEntry agent = core.agents.get(offer.agentId());
      if (agent != null) {
        agent.offerIds.remove(offerId);
        core.allocateSoon(agent.id());
      }
    }
    Set<String> agentIds = new HashSet<>();
    for (TaskEntry task : framework.tasks.values()) {
      AgentEntry agent = core.agents.get(task.task.getAgentId().getValue());
      if (agent != null) {
        agent.tasks.remove(task.key());
        agentIds.add(agent.id());
      }
    }
    for (String agentId : agentIds) {
      AgentEntry agent = core.agents.get(agentId);
      core.sendToAgent(agent, AgentMessage.newBuilder().setShutdownFramework(
          ShutdownFramework.newBuilder().setFrameworkId(framework.info.getId())));
      core.allocateSoon(agentId);
    }
    core.allocator.removeFramework(FrameworkId.of(framework.id()));
    core.frameworks.remove(framework.id());
    if (framework.streamId != null) {
      core.frameworkByStream.remove(framework.streamId);
      core.outbox.closeStream(framework.streamId, why);
    }
    core.registryFrameworks.remove(framework.id());
    core.operatorEvents.frameworkRemoved(framework.info);
    core.propose(RegistryCommand.newBuilder().setRemoveFramework(RemoveFramework.newBuilder()
        .setFrameworkId(framework.info.getId())).build(), result -> { });
    LOG.info("framework removed framework={} reason={}", framework.id(), why);
  }

  static TaskState lostOr(FrameworkEntry framework, TaskState partitionAware) {
    return framework.partitionAware() ? partitionAware : TaskState.TASK_LOST;
  }
}
