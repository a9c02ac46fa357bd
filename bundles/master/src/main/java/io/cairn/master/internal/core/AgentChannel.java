package io.cairn.master.internal.core;

import io.cairn.allocator.AgentId;
import io.cairn.allocator.AgentResources;
import io.cairn.allocator.Allocation;
import io.cairn.allocator.Filters;
import io.cairn.master.AgentState;
import io.cairn.master.internal.core.MasterBooks.AgentEntry;
import io.cairn.master.internal.core.MasterBooks.FrameworkEntry;
import io.cairn.master.internal.core.MasterBooks.OfferEntry;
import io.cairn.master.internal.core.MasterBooks.TaskEntry;
import io.cairn.master.internal.core.MasterBooks.TaskKey;
import io.cairn.master.internal.proto.RegistryProtos.AdmitAgent;
import io.cairn.master.internal.proto.RegistryProtos.MarkAgentReachable;
import io.cairn.master.internal.proto.RegistryProtos.MarkAgentUnreachable;
import io.cairn.master.internal.proto.RegistryProtos.RegistryCommand;
import io.cairn.master.internal.proto.RegistryProtos.RegistryResult;
import io.cairn.proto.agent.AgentMessage;
import io.cairn.proto.agent.AgentRegistered;
import io.cairn.proto.agent.AgentReregistered;
import io.cairn.proto.agent.Ping;
import io.cairn.proto.agent.RegisterAgent;
import io.cairn.proto.agent.ReregisterAgent;
import io.cairn.proto.agent.ShutdownAgent;
import io.cairn.proto.agent.StatusUpdate;
import io.cairn.proto.mesos.v1.Protos.AgentID;
import io.cairn.proto.mesos.v1.Protos.AgentInfo;
import io.cairn.proto.mesos.v1.Protos.FrameworkInfo;
import io.cairn.proto.mesos.v1.Protos.Task;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import io.cairn.proto.mesos.v1.Protos.TaskStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent side of {@link MasterCore}: registration (admitted in the registry before it is
 * answered), re-registration (tasks rebuilt from what the agent reports), pings and pongs,
 * unreachable agents, and status updates forwarded to schedulers. Part of the core: same thread,
 * same rules.
 */
final class AgentChannel {
  private static final Logger LOG = LoggerFactory.getLogger(AgentChannel.class);
  /** How often the fail-over's re-registration progress is logged while agents come back. */
  private static final long PROGRESS_LOG_INTERVAL_MS = 1_000;

  private final MasterCore core;
  /** Connections with a registration in flight, so a retried frame is not proposed twice. */
  private final Map<Long, String> registering = new HashMap<>();
  /** Agents admitted before this term that have not re-registered yet, with their deadline. */
  private final Map<String, Long> awaitingReregistration = new java.util.LinkedHashMap<>();
  /** Agents waiting for a removal permit (rate limit), oldest first, with the reason. */
  private final Map<String, String> removals = new java.util.LinkedHashMap<>();
  private long nextRemovalMs;
  /**
   * The fail-over's re-registrations, logged as progress lines rather than one line per agent
   * (10,000 agents come back within a second): how many were awaited when this term began, how
   * many came back, with how many tasks, and when progress was last logged.
   */
  private final int awaitedAtElection;
  private final long electedMs;
  private int reregisteredAfterElection;
  private long tasksReregisteredAfterElection;
  private int reregisteredAtLastProgress;
  private long nextProgressLogMs;

  /** A framework's resources under one role (the allocator's unit of "used"). */
  private record FrameworkRole(String frameworkId, String role) {}

  /**
   * A sum of task resources: the unreserved parts are added as they come (tasks rarely use
   * reservations), the reserved ones through {@link AgentResources#plus}.
   */
  private static final class UsedSum {
    private io.cairn.allocator.Resources unreserved = io.cairn.allocator.Resources.EMPTY;
    private AgentResources reserved = AgentResources.EMPTY;

    void add(AgentResources resources) {
      unreserved = unreserved.plus(resources.unreserved());
      if (!resources.reserved().isEmpty()) {
        reserved = reserved.plus(new AgentResources(io.cairn.allocator.Resources.EMPTY,
            resources.reserved()));
      }
    }

    AgentResources total() {
      return new AgentResources(unreserved, reserved.reserved());
    }
  }

  AgentChannel(MasterCore core) {
    this.core = core;
    this.electedMs = core.now();
    long deadline = electedMs + core.settings.agentReregisterTimeoutMs();
    core.registryStates.forEach((id, state) -> {
      if (state == AgentState.ADMITTED) {
        awaitingReregistration.put(id, deadline);
      }
    });
    this.awaitedAtElection = awaitingReregistration.size();
    this.nextProgressLogMs = electedMs + PROGRESS_LOG_INTERVAL_MS;
  }

  void onMessage(long connectionId, AgentMessage message) {
    switch (message.getBodyCase()) {
      case REGISTER_AGENT -> register(connectionId, message.getRegisterAgent());
      case REREGISTER_AGENT -> reregister(connectionId, message.getReregisterAgent());
      default -> {
        String agentId = core.agentByConnection.get(connectionId);
        if (agentId == null || message.getLeaderTerm() != core.term) {
          LOG.debug("ignoring agent frame connection={} body={} term={} agent={}", connectionId,
              message.getBodyCase(), message.getLeaderTerm(), agentId);
          return;
        }
        AgentEntry agent = core.agents.get(agentId);
        switch (message.getBodyCase()) {
          case PONG -> {
            agent.pongSinceLastPing = true;
            agent.missedPongs = 0;
            cancelRemoval(agentId);
          }
          case STATUS_UPDATE -> statusUpdate(agent, message.getStatusUpdate());
          case UNREGISTER_AGENT -> removeNow(agentId, "the agent unregistered");
          case EXITED_EXECUTOR -> exitedExecutor(message.getExitedExecutor());
          case EXECUTOR_TO_FRAMEWORK -> executorMessage(message.getExecutorToFramework());
          default -> LOG.debug("unhandled agent frame agent={} body={}", agentId,
              message.getBodyCase());
        }
      }
    }
  }

  void onDisconnected(long connectionId) {
    registering.remove(connectionId);
    String agentId = core.agentByConnection.remove(connectionId);
    if (agentId == null) {
      return;
    }
    AgentEntry agent = core.agents.get(agentId);
    agent.connectionId = -1;
    core.allocator.deactivateAgent(AgentId.of(agentId));
    rescindOffers(agent);
    LOG.info("agent disconnected agent={} host={}", agentId, agent.info.getHostname());
  }

  /** One ping period: counts missed pongs, marks silent agents unreachable, pings the rest. */
  void pingAll() {
    for (AgentEntry agent : new ArrayList<>(core.agents.values())) {
      if (!agent.pongSinceLastPing) {
        agent.missedPongs++;
      }
      if (agent.missedPongs >= core.settings.maxAgentPingTimeouts()) {
        markUnreachable(agent, "the agent missed " + agent.missedPongs + " pings");
        if (!core.agents.containsKey(agent.id())) {
          continue;
        }
      }
      agent.pongSinceLastPing = false;
      agent.pingSequence++;
      core.sendToAgent(agent, AgentMessage.newBuilder().setPing(
          Ping.newBuilder().setConnected(true).setSequence(agent.pingSequence)));
    }
  }

  // ------------------------------------------------------------------------------------------

  private void register(long connectionId, RegisterAgent message) {
    if (registering.containsKey(connectionId) || core.agentByConnection.containsKey(connectionId)) {
      return;
    }
    AgentInfo offered = message.getAgentInfo();
    String problem = ResourceMapping.check(offered.getResourcesList());
    if (problem != null) {
      refuse(connectionId, "agent on " + offered.getHostname() + " was refused: " + problem);
      return;
    }
    String id = core.masterInfo.getId() + "-S" + core.nextAgent++;
    AgentInfo info = offered.toBuilder().setId(AgentID.newBuilder().setValue(id)).build();
    registering.put(connectionId, id);
    core.propose(RegistryCommand.newBuilder()
        .setAdmitAgent(AdmitAgent.newBuilder().setInfo(info)).build(), result -> {
          boolean open = registering.remove(connectionId) != null;
          if (result.getCode() != RegistryResult.Code.OK) {
            refuse(connectionId, "agent " + id + " was not admitted: " + result.getMessage());
            return;
          }
          core.registryStates.put(id, AgentState.ADMITTED);
          AgentEntry agent = admit(info, open ? connectionId : -1, List.of(), List.of());
          core.sendToAgent(agent, AgentMessage.newBuilder().setAgentRegistered(
              AgentRegistered.newBuilder().setAgentId(info.getId())
                  .setMasterInfo(core.masterInfo)
                  .setTotalPingTimeoutMs(core.settings.totalPingTimeoutMs())));
          LOG.info("agent registered agent={} host={}", id, info.getHostname());
        });
  }

  private void reregister(long connectionId, ReregisterAgent message) {
    AgentInfo info = message.getAgentInfo();
    String id = info.getId().getValue();
    if (id.isEmpty()) {
      refuse(connectionId, "re-registration without an agent id; register instead");
      return;
    }
    String problem = ResourceMapping.check(info.getResourcesList());
    if (problem != null) {
      refuse(connectionId, "agent " + id + " was refused: " + problem);
      return;
    }
    String invalid = invalidReregistration(message);
    if (invalid != null) {
      // As Mesos's master (validation::master::message::reregisterSlave): the message is dropped
      // with a warning and nothing changes; the agent stays awaited (or unknown) and retries.
      LOG.warn("dropping the re-registration of agent={} host={}: {}", id, info.getHostname(),
          invalid);
      return;
    }
    boolean awaited = awaitingReregistration.remove(id) != null;
    cancelRemoval(id);
    AgentEntry known = core.agents.get(id);
    if (known != null) {
      // A reconnect within this term: swap the connection, keep the books.
      if (known.connected() && known.connectionId != connectionId) {
        core.agentByConnection.remove(known.connectionId);
        core.outbox.closeAgent(known.connectionId, "agent " + id + " reconnected elsewhere");
      }
      attach(known, connectionId);
      core.allocator.activateAgent(AgentId.of(id));
      core.allocateSoon(id);
      answerReregistered(known, message);
      return;
    }
    if (registering.containsKey(connectionId)) {
      return;
    }
    AgentState state = core.registryStates.get(id);
    if (state == AgentState.GONE) {
      refuse(connectionId, "agent " + id + " is gone and can never re-register");
      return;
    }
    if (state == AgentState.ADMITTED) {
      accepted(connectionId, message, awaited);
      return;
    }
    registering.put(connectionId, id);
    core.propose(RegistryCommand.newBuilder()
        .setMarkAgentReachable(MarkAgentReachable.newBuilder().setInfo(info)).build(), result -> {
          boolean open = registering.remove(connectionId) != null;
          if (result.getCode() != RegistryResult.Code.OK
              && result.getCode() != RegistryResult.Code.ALREADY_EXISTS) {
            refuse(connectionId, "agent " + id + " may not re-register: " + result.getMessage());
            return;
          }
          core.registryStates.put(id, AgentState.ADMITTED);
          accepted(open ? connectionId : -1, message, false);
        });
  }

  /**
   * Why a re-registration cannot be taken as it is (one sentence), or null: every framework,
   * executor and task must name its framework, every task its id, and no task may be reported
   * twice (a task with an empty framework id used to throw out of the core).
   */
  static String invalidReregistration(ReregisterAgent message) {
    // Checked on the id bytes: no string is decoded and no key allocated for a valid message
    // (this runs for every agent of a fail-over's re-registration storm).
    for (FrameworkInfo framework : message.getFrameworksList()) {
      if (framework.getId().getValueBytes().isEmpty()) {
        return "framework '" + framework.getName() + "' is reported without a framework id";
      }
    }
    for (io.cairn.proto.mesos.v1.Protos.ExecutorInfo executor : message.getExecutorInfosList()) {
      if (executor.getFrameworkId().getValueBytes().isEmpty()) {
        return "executor '" + executor.getExecutorId().getValue()
            + "' is reported without a framework id";
      }
    }
    java.util.Set<com.google.protobuf.ByteString> taskIds =
        new java.util.HashSet<>(message.getTasksCount() * 2);
    boolean sameTaskId = false;
    for (Task task : message.getTasksList()) {
      if (task.getTaskId().getValueBytes().isEmpty()) {
        return "a task of framework '" + task.getFrameworkId().getValue()
            + "' is reported without a task id";
      }
      if (task.getFrameworkId().getValueBytes().isEmpty()) {
        return "task '" + task.getTaskId().getValue() + "' is reported without a framework id";
      }
      sameTaskId |= !taskIds.add(task.getTaskId().getValueBytes());
    }
    if (sameTaskId) { // Rare: the same task id may be used by two frameworks; look closer.
      java.util.Set<TaskKey> seen = new java.util.HashSet<>();
      for (Task task : message.getTasksList()) {
        TaskKey key = new TaskKey(task.getFrameworkId().getValue(), task.getTaskId().getValue());
        if (!seen.add(key)) {
          return "task '" + key.taskId() + "' of framework '" + key.frameworkId()
              + "' is reported twice";
        }
      }
    }
    return null;
  }

  /**
   * Admits a re-registering agent the registry holds as admitted, rebuilding its tasks;
   * {@code awaited} when it is one of the agents this term waits for after a fail-over.
   */
  private void accepted(long connectionId, ReregisterAgent message, boolean awaited) {
    AgentInfo info = message.getAgentInfo();
    String agentId = info.getId().getValue();
    List<TaskEntry> tasks = new ArrayList<>(message.getTasksCount());
    for (FrameworkInfo framework : message.getFrameworksList()) {
      recoverFramework(framework);
    }
    // An agent's tasks come mostly from a few frameworks: the framework (and its default role)
    // of the previous task is reused while the id bytes match, instead of looked up per task.
    com.google.protobuf.ByteString lastFrameworkBytes = null;
    String frameworkId = null;
    String defaultRole = null;
    for (Task task : message.getTasksList()) {
      if (!task.getFrameworkId().getValueBytes().equals(lastFrameworkBytes)) {
        lastFrameworkBytes = task.getFrameworkId().getValueBytes();
        frameworkId = task.getFrameworkId().getValue();
        FrameworkEntry framework = core.frameworks.get(frameworkId);
        if (framework == null) {
          recoverFramework(FrameworkInfo.newBuilder().setId(task.getFrameworkId())
              .setUser("").setName("unknown").build());
          framework = core.frameworks.get(frameworkId);
        }
        defaultRole = MasterCore.frameworkSpec(framework.info).roles().first();
      }
      String role = task.getResourcesCount() > 0
          && task.getResources(0).hasAllocationInfo()
          ? task.getResources(0).getAllocationInfo().getRole()
          : defaultRole;
      AgentResources resources = ResourceMapping.check(task.getResourcesList()) == null
          ? ResourceMapping.toAgentResources(task.getResourcesList()) : AgentResources.EMPTY;
      // Agents report their own id on their tasks; rebuild the task only when it differs.
      Task withAgent = task.getAgentId().getValueBytes().equals(info.getId().getValueBytes())
          ? task : task.toBuilder().setAgentId(info.getId()).build();
      TaskEntry entry = new TaskEntry(withAgent, frameworkId, role, resources);
      entry.recovered = MasterBooks.terminal(task.getState());
      tasks.add(entry);
    }
    AgentEntry agent = admit(info, connectionId, tasks, message.getCheckpointedResourcesList());
    // Every task this master knows of on the agent came from this very message: nothing to
    // reconcile (answerReregistered compares only for agents already in the books).
    core.sendToAgent(agent, reregistered(agent));
    if (!awaited) {
      LOG.info("agent re-registered agent={} host={} tasks={}", agentId, info.getHostname(),
          tasks.size());
      return;
    }
    if (LOG.isDebugEnabled()) { // No argument array per agent of the storm when off.
      LOG.debug("agent re-registered agent={} host={} tasks={}", agentId, info.getHostname(),
          tasks.size());
    }
    reregisteredAfterElection++;
    tasksReregisteredAfterElection += tasks.size();
    if (awaitingReregistration.isEmpty()) {
      LOG.info("every agent admitted before this term re-registered agents={} tasks={} "
          + "withinMs={}", reregisteredAfterElection, tasksReregisteredAfterElection,
          core.now() - electedMs);
      reregisteredAtLastProgress = reregisteredAfterElection;
    }
  }

  /** While agents come back after a fail-over: one progress line per interval, not per agent. */
  private void logReregistrationProgress(long now) {
    if (now < nextProgressLogMs || reregisteredAfterElection == reregisteredAtLastProgress) {
      return;
    }
    nextProgressLogMs = now + PROGRESS_LOG_INTERVAL_MS;
    reregisteredAtLastProgress = reregisteredAfterElection;
    LOG.info("agents re-registering after fail-over reregistered={} of awaited={} tasks={} "
        + "sinceElectionMs={}", reregisteredAfterElection, awaitedAtElection,
        tasksReregisteredAfterElection, now - electedMs);
  }

  private void recoverFramework(FrameworkInfo info) {
    String id = info.getId().getValue();
    if (id.isEmpty() || core.frameworks.containsKey(id)) {
      return;
    }
    FrameworkEntry entry = new FrameworkEntry(info, core.now());
    entry.recovered = true;
    core.frameworks.put(id, entry);
    core.allocator.addFramework(MasterCore.frameworkSpec(info), false, List.of());
  }

  private void answerReregistered(AgentEntry agent, ReregisterAgent message) {
    java.util.Set<TaskKey> reported = new java.util.HashSet<>();
    for (Task task : message.getTasksList()) {
      reported.add(new TaskKey(task.getFrameworkId().getValue(), task.getTaskId().getValue()));
    }
    Map<String, io.cairn.proto.agent.ReconcileTasks.Builder> unreported = new HashMap<>();
    for (TaskEntry task : agent.tasks.values()) {
      if (!reported.contains(task.key()) && !MasterBooks.terminal(task.task.getState())) {
        unreported.computeIfAbsent(task.key().frameworkId(), f ->
            io.cairn.proto.agent.ReconcileTasks.newBuilder().setFrameworkId(
                task.task.getFrameworkId()))
            .addStatuses(core.masterStatus(task, task.task.getState(),
                TaskStatus.Reason.REASON_RECONCILIATION, "the agent did not report this task"));
      }
    }
    AgentMessage.Builder answer = reregistered(agent);
    unreported.values().forEach(answer.getAgentReregisteredBuilder()::addReconciliations);
    core.sendToAgent(agent, answer);
  }

  private AgentMessage.Builder reregistered(AgentEntry agent) {
    return AgentMessage.newBuilder().setAgentReregistered(AgentReregistered.newBuilder()
        .setAgentId(agent.info.getId()).setMasterInfo(core.masterInfo)
        .setTotalPingTimeoutMs(core.settings.totalPingTimeoutMs()));
  }

  /** Adds an admitted agent with its (recovered) tasks to the books and the allocator. */
  private AgentEntry admit(AgentInfo info, long connectionId, List<TaskEntry> tasks,
      List<io.cairn.proto.mesos.v1.Protos.Resource> checkpointed) {
    AgentEntry agent = new AgentEntry(info, Reservations.withCheckpointed(
        ResourceMapping.toAgentResources(info.getResourcesList()), checkpointed), core.now());
    core.agents.put(agent.id(), agent);
    // What the tasks use, summed per framework and role: one allocation each, as Mesos's
    // allocator takes an agent's used resources per framework, instead of one per task.
    Map<FrameworkRole, UsedSum> usedByFrameworkRole = new java.util.LinkedHashMap<>();
    for (TaskEntry task : tasks) {
      TaskKey key = task.key();
      agent.tasks.put(key, task);
      core.frameworks.get(key.frameworkId()).tasks.put(key.taskId(), task);
      if (!task.recovered && !task.resources.isEmpty()) {
        usedByFrameworkRole.computeIfAbsent(new FrameworkRole(key.frameworkId(), task.role),
            k -> new UsedSum()).add(task.resources);
      }
    }
    List<Allocation> used = new ArrayList<>(usedByFrameworkRole.size());
    AgentId allocatorAgentId = AgentId.of(agent.id());
    usedByFrameworkRole.forEach((frameworkRole, sum) -> used.add(new Allocation(
        io.cairn.allocator.FrameworkId.of(frameworkRole.frameworkId()), frameworkRole.role(),
        allocatorAgentId, sum.total())));
    core.allocator.addAgent(MasterCore.agentSpec(agent), used);
    core.operatorEvents.agentAdded(agent);
    if (connectionId < 0) {
      core.allocator.deactivateAgent(AgentId.of(agent.id()));
    } else {
      attach(agent, connectionId);
    }
    core.allocateSoon(agent.id());
    return agent;
  }

  private void attach(AgentEntry agent, long connectionId) {
    agent.connectionId = connectionId;
    agent.missedPongs = 0;
    agent.pongSinceLastPing = true;
    core.agentByConnection.put(connectionId, agent.id());
  }

  private void refuse(long connectionId, String reason) {
    LOG.warn("{}", reason);
    core.outbox.toAgent(connectionId, AgentMessage.newBuilder().setLeaderTerm(core.term)
        .setShutdownAgent(ShutdownAgent.newBuilder().setMessage(reason)).build());
    core.outbox.closeAgent(connectionId, reason);
  }

  private void rescindOffers(AgentEntry agent) {
    for (String offerId : new ArrayList<>(agent.offerIds)) {
      OfferEntry offer = core.offers.get(offerId);
      if (offer != null) {
        core.removeOffer(offer, true, Filters.NONE);
      }
    }
  }

  // ------------------------------------------------------------------------------------------

  private void statusUpdate(AgentEntry agent, StatusUpdate update) {
    if (!update.getAgentId().getValue().equals(agent.id())) {
      LOG.warn("status update for agent={} arrived on the connection of agent={}",
          update.getAgentId().getValue(), agent.id());
      return;
    }
    String frameworkId = update.getFrameworkId().getValue();
    String taskId = update.getStatus().getTaskId().getValue();
    if (frameworkId.isEmpty() || taskId.isEmpty()) {
      // Mesos ignores such an update (no framework or task to apply it to); it is never acked.
      LOG.warn("ignoring a status update from agent={}: {}", agent.id(), frameworkId.isEmpty()
          ? "task '" + taskId + "' names no framework" : "it names no task");
      return;
    }
    // An empty uuid marks an update that needs no acknowledgement (a reconciliation answer):
    // the framework must see no uuid, or it would acknowledge what the agent never retries.
    boolean acknowledgeable = !update.getUuid().isEmpty();
    TaskStatus.Builder builder = update.getStatus().toBuilder().setAgentId(agent.info.getId());
    if (acknowledgeable) {
      builder.setUuid(update.getUuid());
    } else {
      builder.clearUuid();
    }
    TaskStatus status = builder.build();
    FrameworkEntry framework = core.frameworks.get(update.getFrameworkId().getValue());
    TaskKey key = new TaskKey(update.getFrameworkId().getValue(),
        status.getTaskId().getValue());
    TaskEntry task = agent.tasks.get(key);
    if (task != null) {
      TaskState latest = update.hasLatestState() ? update.getLatestState() : status.getState();
      var updated = task.task.toBuilder().setState(latest).setStatusUpdateState(status.getState())
          .clearStatuses().addStatuses(status);
      if (acknowledgeable) {
        updated.setStatusUpdateUuid(update.getUuid());
      }
      task.task = updated.build();
      if (MasterBooks.terminal(latest)) {
        core.recoverTask(task);
      }
    }
    if (framework != null) {
      core.sendUpdate(framework, status);
    }
    core.operatorEvents.taskUpdated(update.getFrameworkId(), status,
        task == null ? null : task.task);
  }

  /**
   * Asks for the agent to be marked unreachable: at once without a removal rate limit, else when
   * the limit allows (Mesos {@code --agent_removal_rate_limit}); a pong or re-registration
   * meanwhile cancels it.
   */
  void markUnreachable(AgentEntry agent, String why) {
    requestRemoval(agent.id(), why);
  }

  private void requestRemoval(String id, String why) {
    if (removals.containsKey(id)) {
      return;
    }
    if (core.settings.agentRemovalIntervalMs() == 0) {
      removeNow(id, why);
      return;
    }
    LOG.info("agent removal queued agent={} queued={} reason={}", id, removals.size() + 1, why);
    removals.put(id, why);
  }

  /** Every tick: agents that did not re-register in time, and queued removals the limit allows. */
  void checkTimers(long now) {
    logReregistrationProgress(now);
    // Every deadline was set at election, so they are in order: stop at the first one ahead
    // (this used to copy all 10,000 entries on every tick while a fail-over's agents came back).
    List<String> late = new ArrayList<>();
    for (Map.Entry<String, Long> entry : awaitingReregistration.entrySet()) {
      if (now < entry.getValue()) {
        break;
      }
      late.add(entry.getKey());
    }
    for (String id : late) {
      awaitingReregistration.remove(id);
      requestRemoval(id, "the agent did not re-register within "
          + core.settings.agentReregisterTimeoutMs() + " ms of this master's election");
    }
    while (!removals.isEmpty() && now >= nextRemovalMs) {
      Map.Entry<String, String> next = removals.entrySet().iterator().next();
      removals.remove(next.getKey());
      removeNow(next.getKey(), next.getValue());
      nextRemovalMs = now + core.settings.agentRemovalIntervalMs();
    }
  }

  /** Agents waiting for a removal permit, in order (for tests and the operator). */
  List<String> queuedRemovals() {
    return List.copyOf(removals.keySet());
  }

  private void cancelRemoval(String id) {
    if (removals.remove(id) != null) {
      LOG.info("agent removal cancelled agent={}: it answered again", id);
    }
  }

  /** An executor exited: FAILURE to its framework (Mesos ExitedExecutorMessage). */
  private void exitedExecutor(io.cairn.proto.agent.ExitedExecutor exited) {
    FrameworkEntry framework = core.frameworks.get(exited.getFrameworkId().getValue());
    if (framework != null) {
      core.sendToFramework(framework, io.cairn.proto.mesos.v1.scheduler.Protos.Event.newBuilder()
          .setType(io.cairn.proto.mesos.v1.scheduler.Protos.Event.Type.FAILURE)
          .setFailure(io.cairn.proto.mesos.v1.scheduler.Protos.Event.Failure.newBuilder()
              .setAgentId(exited.getAgentId()).setExecutorId(exited.getExecutorId())
              .setStatus(exited.getStatus())).build());
    }
  }

  /** Executor data for its framework: MESSAGE, best effort. */
  private void executorMessage(io.cairn.proto.agent.ExecutorToFramework message) {
    FrameworkEntry framework = core.frameworks.get(message.getFrameworkId().getValue());
    if (framework != null) {
      core.sendToFramework(framework, io.cairn.proto.mesos.v1.scheduler.Protos.Event.newBuilder()
          .setType(io.cairn.proto.mesos.v1.scheduler.Protos.Event.Type.MESSAGE)
          .setMessage(io.cairn.proto.mesos.v1.scheduler.Protos.Event.Message.newBuilder()
              .setAgentId(message.getAgentId()).setExecutorId(message.getExecutorId())
              .setData(message.getData())).build());
    }
  }

  /** Proposes the agent unreachable and removes it from the books, reporting its tasks. */
  private void removeNow(String id, String why) {
    if (core.registryStates.get(id) != AgentState.ADMITTED) {
      return;
    }
    AgentEntry agent = core.agents.get(id);
    LOG.warn("agent unreachable agent={} reason={}", id, why);
    core.registryStates.put(id, AgentState.UNREACHABLE);
    core.propose(RegistryCommand.newBuilder().setMarkAgentUnreachable(MarkAgentUnreachable
        .newBuilder().setAgentId(AgentID.newBuilder().setValue(id)).setTimeMs(core.now()))
        .build(), result -> {
          if (result.getCode() != RegistryResult.Code.OK) {
            LOG.warn("registry refused unreachable agent={} reason={}", id, result.getMessage());
          }
        });
    if (agent != null) {
      removeAgent(agent, why);
    }
  }

  private void removeAgent(AgentEntry agent, String why) {
    rescindOffers(agent);
    core.agents.remove(agent.id());
    if (agent.connected()) {
      core.agentByConnection.remove(agent.connectionId);
      core.outbox.closeAgent(agent.connectionId, why);
    }
    core.allocator.removeAgent(AgentId.of(agent.id()));
    core.operatorEvents.agentRemoved(agent.id());
    for (TaskEntry task : agent.tasks.values()) {
      FrameworkEntry framework = core.frameworks.get(task.key().frameworkId());
      if (framework == null) {
        continue;
      }
      framework.tasks.remove(task.key().taskId());
      if (!MasterBooks.terminal(task.task.getState())) {
        TaskState state = framework.partitionAware() ? TaskState.TASK_UNREACHABLE
            : TaskState.TASK_LOST;
        core.sendUpdate(framework, core.masterStatus(task, state,
            TaskStatus.Reason.REASON_AGENT_REMOVED, "agent " + agent.id() + " is unreachable: "
                + why));
      }
    }
    agent.tasks.clear();
  }
}
