package io.cairn.agent.internal.core;

import io.cairn.env.Check;
import io.cairn.env.Clock;
import io.cairn.env.RandomSource;
import io.cairn.proto.agent.AgentMessage;
import io.cairn.proto.agent.AgentRegistered;
import io.cairn.proto.agent.AgentReregistered;
import io.cairn.proto.agent.KillTask;
import io.cairn.proto.agent.ReconcileTasks;
import io.cairn.proto.agent.RunTask;
import io.cairn.proto.agent.RunTaskGroup;
import io.cairn.proto.agent.StatusUpdate;
import io.cairn.proto.agent.StatusUpdateAcknowledgement;
import io.cairn.proto.mesos.v1.Protos.AgentID;
import io.cairn.proto.mesos.v1.Protos.AgentInfo;
import io.cairn.proto.mesos.v1.Protos.FrameworkInfo;
import io.cairn.proto.mesos.v1.Protos.TaskInfo;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import io.cairn.proto.mesos.v1.Protos.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's deterministic core: registration with the leading master, leader_term fencing,
 * Ping/Pong, launching and killing tasks through {@link AgentEffects}, reconciliation, and the
 * status update manager (per-task FIFO, retried with backoff until acknowledged, checkpointed).
 *
 * <pre>
 *  DISCONNECTED --connected--&gt; REGISTERING --AgentRegistered/AgentReregistered--&gt; REGISTERED
 *       ^                         |  (Register or Reregister resent with backoff 1 s .. 1 min)
 *       +----disconnected---------+----disconnected / ping timeout / ShutdownAgent---+
 * </pre>
 *
 * <p>Threading: not thread-safe; the driver calls it only on the agent's event thread. Time comes
 * from the {@link Clock} given at construction, uuids from the {@link RandomSource}; it starts no
 * threads and does no I/O.
 */
public final class AgentCore {
  private static final Logger LOG = LoggerFactory.getLogger(AgentCore.class);
  static final Duration REGISTER_RETRY_MIN = Duration.ofSeconds(1);
  static final Duration REGISTER_RETRY_MAX = Duration.ofMinutes(1);

  /** Where the agent stands with the master. */
  public enum Registration {
    DISCONNECTED,
    REGISTERING,
    REGISTERED
  }

  private final Clock clock;
  private final RandomSource random;
  private final AgentEffects effects;
  private final String version;
  private final StatusUpdateManager updates;
  private final Map<String, TaskEntry> tasks = new LinkedHashMap<>();
  private AgentInfo agentInfo;
  private Registration registration = Registration.DISCONNECTED;
  private long registeredTerm;
  private long highestTerm;
  private long registerRetryNanos;
  private long nextRegisterNanos;
  private long pingTimeoutNanos;
  private long lastPingNanos;
  private boolean draining;

  /**
   * A core for an agent described by {@code agentInfo} (hostname, port, resources, attributes;
   * {@code id} set when a checkpointed id was recovered).
   */
  public AgentCore(
      AgentInfo agentInfo, String version, Clock clock, RandomSource random, AgentEffects effects) {
    this(agentInfo, version, StatusUpdateManager.RETRY_MIN, clock, random, effects);
  }

  /** A core whose status updates are first retried after {@code updateRetryMin}. */
  public AgentCore(AgentInfo agentInfo, String version, Duration updateRetryMin, Clock clock,
      RandomSource random, AgentEffects effects) {
    this.updates = new StatusUpdateManager(updateRetryMin);
    this.agentInfo = agentInfo;
    this.version = version;
    this.clock = clock;
    this.random = random;
    this.effects = effects;
  }

  // ---------------------------------------------------------------------------------------------
  // Recovery after an agent restart.

  /** Restores checkpointed task records; call before the first connection. */
  public void recover(List<TaskRecord> records) {
    Check.state(registration == Registration.DISCONNECTED, "recover after connecting");
    for (TaskRecord record : records) {
      TaskEntry entry = new TaskEntry(record.framework(), record.task());
      entry.state = record.state();
      entry.latest = record.latest().orElse(null);
      tasks.put(record.taskId(), entry);
      updates.restore(record.taskId(), record.pending());
    }
    LOG.info("agent core recovered tasks={} pendingUpdates={}", tasks.size(), updates.pendingCount());
  }

  /**
   * The containerizer finished recovering: {@code accountedFor} are tasks it adopted or is
   * reporting as failed. Any other non-terminal task is lost to the agent (its end was not
   * checkpointed before the restart) and is reported TASK_FAILED.
   */
  public void recoveryDone(Set<String> accountedFor) {
    for (TaskEntry entry : List.copyOf(tasks.values())) {
      if (!TaskRecord.isTerminal(entry.state) && !accountedFor.contains(entry.taskId())) {
        emit(
            entry,
            status(entry, TaskState.TASK_FAILED, TaskStatus.Source.SOURCE_AGENT)
                .setReason(TaskStatus.Reason.REASON_EXECUTOR_TERMINATED)
                .setMessage(
                    "Task '" + entry.taskId() + "' was not found by the containerizer after the"
                        + " agent restarted; its end was not recorded")
                .build());
      } else if (entry.state == TaskState.TASK_RUNNING && entry.info.hasHealthCheck()) {
        entry.health = new HealthPolicy(entry.info.getHealthCheck(), clock.monotonicNanos());
        effects.startHealthCheck(entry.taskId(), HealthCheckPorts.onHost(entry.info));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Connection and registration.

  /** A connection to the (presumed) leading master is open: (re-)register. */
  public void connected() {
    registration = Registration.REGISTERING;
    registerRetryNanos = REGISTER_RETRY_MIN.toNanos();
    sendRegistration();
  }

  /** The connection closed. Updates keep waiting; they are resent after re-registration. */
  public void disconnected() {
    if (registration != Registration.DISCONNECTED) {
      LOG.info("agent disconnected from master agent={} was={}", agentIdText(), registration);
    }
    registration = Registration.DISCONNECTED;
  }

  private void sendRegistration() {
    nextRegisterNanos = clock.monotonicNanos() + registerRetryNanos;
    registerRetryNanos = Math.min(registerRetryNanos * 2, REGISTER_RETRY_MAX.toNanos());
    if (agentInfo.hasId()) {
      effects.send(
          frame(0).setReregisterAgent(Registrations.reregister(agentInfo, version, records()))
              .build());
    } else {
      effects.send(frame(0).setRegisterAgent(Registrations.register(agentInfo, version)).build());
    }
  }

  /** One message from the master. */
  public void receive(AgentMessage message) {
    long term = message.getLeaderTerm();
    boolean registrationReply = message.hasAgentRegistered() || message.hasAgentReregistered();
    if (term < highestTerm) {
      LOG.info("ignoring {} from deposed master term={} highest={}",
          message.getBodyCase(), term, highestTerm);
      return;
    }
    highestTerm = term;
    if (registrationReply) {
      onRegistered(message, term);
      return;
    }
    if (message.hasPing()) {
      lastPingNanos = clock.monotonicNanos();
      effects.send(
          frame(registeredTerm)
              .setPong(io.cairn.proto.agent.Pong.newBuilder().setSequence(message.getPing().getSequence()))
              .build());
      if (!message.getPing().getConnected() && registration == Registration.REGISTERED) {
        LOG.info("master says agent={} is not connected; re-registering", agentIdText());
        connected();
      }
      return;
    }
    if (message.hasShutdownAgent()) {
      shutdownAgent(message.getShutdownAgent().getMessage());
      return;
    }
    if (registration != Registration.REGISTERED) {
      LOG.info("ignoring {} before registration completed", message.getBodyCase());
      return;
    }
    switch (message.getBodyCase()) {
      case RUN_TASK -> runTask(message.getRunTask());
      case RUN_TASK_GROUP -> runTaskGroup(message.getRunTaskGroup());
      case KILL_TASK -> killTask(message.getKillTask());
      case STATUS_UPDATE_ACKNOWLEDGEMENT -> acknowledge(message.getStatusUpdateAcknowledgement());
      case SHUTDOWN_FRAMEWORK -> shutdownFramework(message.getShutdownFramework().getFrameworkId().getValue());
      case SHUTDOWN_EXECUTOR ->
          killTask(KillTask.newBuilder()
              .setFrameworkId(message.getShutdownExecutor().getFrameworkId())
              .setTaskId(io.cairn.proto.mesos.v1.Protos.TaskID.newBuilder()
                  .setValue(message.getShutdownExecutor().getExecutorId().getValue()))
              .build());
      case UPDATE_FRAMEWORK -> updateFramework(message.getUpdateFramework());
      case RECONCILE_TASKS -> reconcile(message.getReconcileTasks());
      case DRAIN_AGENT -> drain(Optional.of(Duration.ofNanos(
          message.getDrainAgent().getConfig().getMaxGracePeriod().getNanoseconds())).filter(
              d -> message.getDrainAgent().getConfig().hasMaxGracePeriod()));
      default -> LOG.info("ignoring unsupported message {}", message.getBodyCase());
    }
  }

  private void onRegistered(AgentMessage message, long term) {
    AgentID id;
    long pingTimeoutMs;
    List<ReconcileTasks> reconciliations = List.of();
    if (message.hasAgentRegistered()) {
      AgentRegistered registered = message.getAgentRegistered();
      id = registered.getAgentId();
      pingTimeoutMs = registered.getTotalPingTimeoutMs();
    } else {
      AgentReregistered reregistered = message.getAgentReregistered();
      id = reregistered.getAgentId();
      pingTimeoutMs = reregistered.getTotalPingTimeoutMs();
      reconciliations = reregistered.getReconciliationsList();
    }
    if (registration == Registration.DISCONNECTED) {
      LOG.info("ignoring registration reply while disconnected");
      return;
    }
    if (!agentInfo.hasId() || !agentInfo.getId().equals(id)) {
      agentInfo = agentInfo.toBuilder().setId(id).build();
      effects.persistAgentInfo(Optional.of(agentInfo));
    }
    boolean first = registration != Registration.REGISTERED;
    registration = Registration.REGISTERED;
    registeredTerm = term;
    pingTimeoutNanos = Duration.ofMillis(pingTimeoutMs).toNanos();
    lastPingNanos = clock.monotonicNanos();
    if (first) {
      LOG.info("agent registered agent={} term={} tasks={}", id.getValue(), term, tasks.size());
    }
    for (String taskId : updates.heads()) {
      sendHead(taskId);
    }
    reconciliations.forEach(this::reconcile);
  }

  /** Time passes: retries of status updates and registration, and the ping timeout. */
  public void tick() {
    long now = clock.monotonicNanos();
    if (registration == Registration.REGISTERING && now >= nextRegisterNanos) {
      sendRegistration();
    }
    if (registration != Registration.REGISTERED) {
      return;
    }
    if (pingTimeoutNanos > 0 && now - lastPingNanos > pingTimeoutNanos) {
      LOG.warn("no ping from the master for {} ms; reconnecting agent={}",
          Duration.ofNanos(now - lastPingNanos).toMillis(), agentIdText());
      registration = Registration.DISCONNECTED;
      effects.disconnect("no ping from the master within the ping timeout");
      return;
    }
    for (String taskId : updates.due(now)) {
      LOG.info("retrying status update task={}", taskId);
      sendHead(taskId);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Tasks.

  private void runTask(RunTask run) {
    FrameworkInfo framework = run.getFramework();
    launchChecked(framework, List.of(run.getTask()));
  }

  /** Tasks of a group are started as command tasks each, all or none validated here. */
  private void runTaskGroup(RunTaskGroup group) {
    launchChecked(group.getFramework(), group.getTaskGroup().getTasksList());
  }

  private void launchChecked(FrameworkInfo framework, List<TaskInfo> infos) {
    for (TaskInfo info : infos) {
      String taskId = info.getTaskId().getValue();
      if (tasks.containsKey(taskId)) {
        LOG.warn("ignoring RunTask for task={}: a task with this id is already on the agent", taskId);
        continue;
      }
      TaskEntry entry = new TaskEntry(framework, info);
      tasks.put(taskId, entry);
      if (draining) {
        emit(entry, status(entry, Uuids.droppedOrLost(framework), TaskStatus.Source.SOURCE_AGENT)
            .setReason(TaskStatus.Reason.REASON_AGENT_DRAINING)
            .setMessage("Agent is draining; task '" + taskId + "' was not started")
            .build());
        continue;
      }
      effects.persistTask(entry.record(List.of()));
      effects.launch(framework, info);
    }
  }

  /** The containerizer refused the task before starting anything. */
  public void onLaunchRejected(String taskId, String why) {
    TaskEntry entry = tasks.get(taskId);
    if (entry == null || TaskRecord.isTerminal(entry.state)) {
      return;
    }
    emit(entry, status(entry, TaskState.TASK_FAILED, TaskStatus.Source.SOURCE_AGENT)
        .setReason(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED)
        .setMessage(why)
        .build());
  }

  /** A status from the containerizer (uuid set). Unknown tasks (shut down) are ignored. */
  public void onTaskStatus(TaskStatus status) {
    TaskEntry entry = tasks.get(status.getTaskId().getValue());
    if (entry == null) {
      LOG.info("dropping status of forgotten task={} state={}",
          status.getTaskId().getValue(), status.getState());
      return;
    }
    if (TaskRecord.isTerminal(entry.state)) {
      return;
    }
    TaskStatus.Builder builder = status.toBuilder().setAgentId(agentInfo.getId());
    if (TaskRecord.isTerminal(status.getState()) && entry.healthKilled) {
      builder.setHealthy(false).setReason(TaskStatus.Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED)
          .setMessage(status.getMessage() + "; killed after failed health checks");
    }
    emit(entry, builder.build());
  }

  /** One health-check probe result of a running task. */
  public void onHealthResult(String taskId, boolean healthy, String detail) {
    TaskEntry entry = tasks.get(taskId);
    if (entry == null || entry.health == null || entry.state != TaskState.TASK_RUNNING) {
      return;
    }
    HealthPolicy.Decision decision = entry.health.onResult(healthy, clock.monotonicNanos());
    if (decision.kill()) {
      entry.healthKilled = true;
      LOG.info("killing task={} after {} consecutive failed health checks: {}",
          taskId, decision.consecutiveFailures(), detail);
      effects.stopHealthCheck(taskId);
      effects.kill(taskId, Optional.empty());
      return;
    }
    if (decision.report()) {
      emit(entry, status(entry, TaskState.TASK_RUNNING, TaskStatus.Source.SOURCE_EXECUTOR)
          .setHealthy(decision.healthy())
          .setReason(TaskStatus.Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED)
          .setMessage(detail)
          .build());
    }
  }

  private void killTask(KillTask kill) {
    String taskId = kill.getTaskId().getValue();
    TaskEntry entry = tasks.get(taskId);
    if (entry == null || TaskRecord.isTerminal(entry.state)) {
      LOG.info("kill of unknown or terminal task={}; ignored", taskId);
      return;
    }
    Optional<Duration> grace = kill.hasKillPolicy() && kill.getKillPolicy().hasGracePeriod()
        ? Optional.of(Duration.ofNanos(kill.getKillPolicy().getGracePeriod().getNanoseconds()))
        : Optional.empty();
    effects.kill(taskId, grace);
  }

  private void shutdownFramework(String frameworkId) {
    LOG.info("shutting down framework={}", frameworkId);
    for (TaskEntry entry : tasks.values()) {
      if (entry.frameworkId().equals(frameworkId) && !TaskRecord.isTerminal(entry.state)) {
        effects.kill(entry.taskId(), Optional.empty());
      }
    }
  }

  private void updateFramework(io.cairn.proto.agent.UpdateFramework update) {
    if (!update.hasFrameworkInfo()) {
      return;
    }
    for (TaskEntry entry : tasks.values()) {
      if (entry.frameworkId().equals(update.getFrameworkId().getValue())) {
        entry.framework = update.getFrameworkInfo();
        effects.persistTask(entry.record(updates.pending(entry.taskId())));
      }
    }
  }

  /**
   * Kills every task, each with its own grace period capped by {@code maxGrace}, and refuses new
   * tasks from now on (operator drain, Mesos's DRAIN_AGENT).
   */
  public void drain(Optional<Duration> maxGrace) {
    draining = true;
    LOG.info("draining agent={} tasks={}", agentIdText(), tasks.size());
    for (TaskEntry entry : tasks.values()) {
      if (!TaskRecord.isTerminal(entry.state)) {
        Duration own = entry.info.getKillPolicy().hasGracePeriod()
            ? Duration.ofNanos(entry.info.getKillPolicy().getGracePeriod().getNanoseconds())
            : LaunchSpec.DEFAULT_KILL_GRACE_PERIOD;
        effects.kill(entry.taskId(),
            Optional.of(maxGrace.filter(max -> max.compareTo(own) < 0).orElse(own)));
      }
    }
  }

  private void shutdownAgent(String why) {
    LOG.warn("master shut down agent={}: {}", agentIdText(), why);
    for (TaskEntry entry : List.copyOf(tasks.values())) {
      if (!TaskRecord.isTerminal(entry.state)) {
        effects.kill(entry.taskId(), Optional.empty());
      }
      updates.forget(entry.taskId());
      effects.removeTask(entry.record(List.of()));
    }
    tasks.clear();
    agentInfo = agentInfo.toBuilder().clearId().build();
    effects.persistAgentInfo(Optional.empty());
    registration = Registration.DISCONNECTED;
    effects.disconnect("the master shut this agent down: " + why);
  }

  private void reconcile(ReconcileTasks reconcile) {
    for (TaskStatus asked : reconcile.getStatusesList()) {
      TaskEntry entry = tasks.get(asked.getTaskId().getValue());
      effects.send(frame(registeredTerm).setStatusUpdate(Reconciliation.answer(reconcile, asked,
          Optional.ofNullable(entry == null ? null : entry.latest), agentInfo.getId(),
          clock.wallMillis())).build());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Status update manager.

  private void emit(TaskEntry entry, TaskStatus status) {
    TaskStatus withUuid = status.getUuid().isEmpty()
        ? status.toBuilder().setUuid(Uuids.random(random)).build() : status;
    entry.state = withUuid.getState();
    entry.latest = withUuid;
    StatusUpdate.Builder update = StatusUpdate.newBuilder()
        .setFrameworkId(entry.framework.getId())
        .setAgentId(agentInfo.getId())
        .setStatus(withUuid)
        .setTimestamp(withUuid.getTimestamp())
        .setUuid(withUuid.getUuid())
        .setLatestState(entry.state);
    if (withUuid.hasExecutorId()) {
      update.setExecutorId(withUuid.getExecutorId());
    }
    boolean head = updates.enqueue(entry.taskId(), update.build());
    effects.persistTask(entry.record(updates.pending(entry.taskId())));
    if (entry.state == TaskState.TASK_RUNNING && entry.health == null
        && entry.info.hasHealthCheck()) {
      entry.health = new HealthPolicy(entry.info.getHealthCheck(), clock.monotonicNanos());
      effects.startHealthCheck(entry.taskId(), HealthCheckPorts.onHost(entry.info));
    }
    if (TaskRecord.isTerminal(entry.state) && entry.health != null) {
      effects.stopHealthCheck(entry.taskId());
    }
    if (head && registration == Registration.REGISTERED) {
      sendHead(entry.taskId());
    }
  }

  private void sendHead(String taskId) {
    Optional<StatusUpdate> head = updates.head(taskId);
    if (head.isEmpty()) {
      return;
    }
    TaskEntry entry = tasks.get(taskId);
    StatusUpdate update = entry == null ? head.get()
        : head.get().toBuilder().setLatestState(entry.state).build();
    effects.send(frame(registeredTerm).setStatusUpdate(update).build());
    updates.sent(taskId, clock.monotonicNanos());
  }

  private void acknowledge(StatusUpdateAcknowledgement ack) {
    String taskId = ack.getTaskId().getValue();
    if (updates.acknowledge(taskId, ack.getUuid()) != StatusUpdateManager.Ack.MATCHED) {
      LOG.info("ignoring acknowledgement of task={}: not the head of its stream", taskId);
      return;
    }
    TaskEntry entry = tasks.get(taskId);
    if (entry == null) {
      return;
    }
    List<StatusUpdate> pending = updates.pending(taskId);
    if (pending.isEmpty() && TaskRecord.isTerminal(entry.state)) {
      tasks.remove(taskId);
      effects.removeTask(entry.record(pending));
      return;
    }
    effects.persistTask(entry.record(pending));
    if (!pending.isEmpty()) {
      sendHead(taskId);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Views and helpers.

  /** Every task the agent knows, with its unacknowledged updates. */
  public List<TaskRecord> records() {
    List<TaskRecord> records = new ArrayList<>();
    for (TaskEntry entry : tasks.values()) {
      records.add(entry.record(updates.pending(entry.taskId())));
    }
    return records;
  }

  /** Where the agent stands with the master. */
  public Registration registration() {
    return registration;
  }

  /** The agent's info (with its id once registered). */
  public AgentInfo agentInfo() {
    return agentInfo;
  }

  /** True once a drain started. */
  public boolean draining() {
    return draining;
  }

  /** Unacknowledged status updates over all tasks. */
  public int pendingUpdates() {
    return updates.pendingCount();
  }

  private String agentIdText() {
    return agentInfo.hasId() ? agentInfo.getId().getValue() : "(none)";
  }

  private AgentMessage.Builder frame(long term) {
    return AgentMessage.newBuilder().setLeaderTerm(term);
  }

  private TaskStatus.Builder status(TaskEntry entry, TaskState state, TaskStatus.Source source) {
    TaskStatus.Builder status = TaskStatus.newBuilder()
        .setTaskId(entry.info.getTaskId())
        .setState(state)
        .setSource(source)
        .setTimestamp(clock.wallMillis() / 1000.0)
        .setExecutorId(io.cairn.proto.mesos.v1.Protos.ExecutorID.newBuilder()
            .setValue(entry.taskId()));
    if (agentInfo.hasId()) {
      status.setAgentId(agentInfo.getId());
    }
    return status;
  }

}
