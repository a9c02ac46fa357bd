package io.cairn.agent.internal.containerizer;

import io.cairn.agent.internal.containerizer.ProcessSignals.Signal;
import io.cairn.agent.internal.core.LaunchSpec;
import io.cairn.agent.internal.core.ProcStat;
import io.cairn.agent.internal.core.SandboxLayout;
import io.cairn.agent.internal.core.TaskCheckpoint;
import io.cairn.agent.internal.core.TaskEnvironment;
import io.cairn.agent.internal.core.TaskLifecycle;
import io.cairn.agent.internal.core.TaskTransition;
import io.cairn.env.Check;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs command tasks as child processes of the agent, one sandbox directory per container, in
 * Mesos's layout ({@link SandboxLayout}), with stdout and stderr in files of the sandbox.
 *
 * <p><b>Threading.</b> One event thread ({@code cairn-agent-containerizer}) owns all task state:
 * every public method hands its work to it and returns a future. Exits of our own children arrive
 * from the JDK's process reaper ({@link Process#onExit()}) and are handed to the same thread;
 * adopted tasks are polled on it every 200 ms through /proc; the kill grace timer is a task
 * scheduled on it. Status updates reach the {@link TaskStatusListener} on that thread, so they are
 * in order. Process starts and {@code kill} invocations also run on it: one slow fork delays the
 * others, which is acceptable at agent launch rates and keeps the state single-threaded.
 *
 * <p><b>Process groups.</b> When {@code setsid} exists the task is started through it, so it leads
 * its own session and process group (pid = pgid); a kill signals the whole group, and when the
 * leader exits the rest of the group is SIGKILLed (Mesos destroys the container the same way).
 *
 * <p><b>Checkpoints.</b> After a start the pid, the process start time and the spec are written to
 * {@code <work>/meta/.../task.checkpoint}; the terminal state is added when the task ends. A new
 * containerizer over the same work dir {@link #recover()}s the live ones. {@link #close()} leaves
 * running tasks running, as an agent restart must.
 */
public final class ProcessContainerizer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessContainerizer.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  /**
   * How often adopted tasks are checked for exit. An adopted process is not our child, so no exit
   * notification exists; and its new parent (PID 1, or a subreaper) may never reap it, so {@link
   * ProcessHandle#onExit()}, which polls until the pid vanishes, could wait forever on a zombie.
   * {@link ProcFs} counts a zombie as exited.
   */
  private static final Duration ADOPTED_POLL_INTERVAL = Duration.ofMillis(200);

  private final ContainerizerConfig config;
  private final TaskStatusListener listener;
  private final SandboxLayout layout;
  private final ProcessSignals signals;
  private final ScheduledThreadPoolExecutor loop;
  private final Map<String, RunningTask> tasks = new HashMap<>(); // event thread only
  private final List<RunningTask> adopted = new ArrayList<>(); // event thread only
  private ScheduledFuture<?> adoptedPoll; // event thread only; null when nothing is adopted
  private volatile boolean closed;

  /** A containerizer over {@code config.workDir()} reporting to {@code listener}. */
  public ProcessContainerizer(ContainerizerConfig config, TaskStatusListener listener) {
    this.config = config;
    this.listener = listener;
    this.layout = new SandboxLayout(config.workDir());
    this.signals = new ProcessSignals(config.kill());
    this.loop =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, "cairn-agent-containerizer");
              thread.setDaemon(true);
              return thread;
            });
    this.loop.setRemoveOnCancelPolicy(true);
  }

  /**
   * Starts the task. Reports TASK_STARTING, then TASK_RUNNING, or TASK_FAILED when the command
   * cannot start. The future fails with {@link IllegalArgumentException} when a live task already
   * has this id.
   */
  public CompletableFuture<LaunchedTask> launch(LaunchSpec spec) {
    return call(() -> launchOnLoop(spec));
  }

  /** Kills the task with its own kill grace period. */
  public CompletableFuture<Boolean> kill(String taskId) {
    return call(() -> killOnLoop(taskId, Optional.empty()));
  }

  /**
   * Sends SIGTERM to the task's process group, and SIGKILL if it still runs after {@code
   * gracePeriod} (a KILL call's kill_policy overrides the task's). The terminal update is
   * TASK_KILLED. Completes with false when the task is unknown, terminal or already being killed.
   */
  public CompletableFuture<Boolean> kill(String taskId, Duration gracePeriod) {
    Check.argument(!gracePeriod.isNegative(), "grace period %s must be >= 0", gracePeriod);
    return call(() -> killOnLoop(taskId, Optional.of(gracePeriod)));
  }

  /**
   * Reads every checkpoint under the work dir: a task whose process still runs (same pid, same
   * start time) is adopted; a task whose process is gone is reported TASK_FAILED with
   * REASON_EXECUTOR_TERMINATED, what Mesos's agent sends for a command task whose executor ended.
   */
  public CompletableFuture<RecoveryResult> recover() {
    return call(this::recoverOnLoop);
  }

  /** The task's current state, empty once it is terminal or when it is unknown. */
  public CompletableFuture<Optional<TaskState>> state(String taskId) {
    return call(() -> Optional.ofNullable(tasks.get(taskId)).map(t -> t.lifecycle.state()));
  }

  /** Stops watching tasks and reporting updates. Running tasks keep running (see recover). */
  @Override
  public void close() {
    closed = true;
    loop.shutdownNow();
    try {
      if (!loop.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("containerizer event thread did not stop within {}", CLOSE_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warn("interrupted while closing the containerizer; its thread may linger");
    }
    LOG.info("containerizer closed work={} liveTasks={}", config.workDir(), tasks.size());
  }

  private LaunchedTask launchOnLoop(LaunchSpec spec) throws IOException {
    RunningTask existing = tasks.get(spec.taskId());
    Check.argument(
        existing == null,
        "task '%s' is already running in container %s; task ids must be unique on an agent",
        spec.taskId(),
        existing == null ? "" : existing.containerId);
    String containerId = UUID.randomUUID().toString();
    Path sandbox = layout.sandbox(spec.frameworkId(), spec.executorId(), containerId);
    Path metaDir = layout.meta(spec.frameworkId(), spec.executorId(), containerId);
    Files.createDirectories(sandbox);
    Files.createDirectories(metaDir);
    RunningTask task =
        new RunningTask(spec, containerId, sandbox, metaDir, TaskLifecycle.staging());
    emit(task, task.lifecycle.starting(spec.taskId()));
    Map<String, String> env =
        TaskEnvironment.build(
            spec,
            new TaskEnvironment.Context(
                config.agentId(), config.hostname(), sandbox, config.defaultPath()));
    Optional<String> missing = CommandResolver.missingProgram(spec.command(), sandbox, env);
    if (missing.isPresent()) {
      emit(task, task.lifecycle.launchFailed(launchFailure(spec, missing.get())));
      return new LaunchedTask(spec.taskId(), containerId, sandbox, OptionalLong.empty());
    }
    Process process;
    try {
      process = start(task, env);
    } catch (IOException e) {
      config.isolation().release(containerId);
      emit(task, task.lifecycle.launchFailed(launchFailure(spec, e.getMessage())));
      return new LaunchedTask(spec.taskId(), containerId, sandbox, OptionalLong.empty());
    } catch (IllegalArgumentException e) { // Its limits cannot be applied on this host.
      config.isolation().release(containerId);
      emit(
          task,
          task.lifecycle.launchFailed(
              String.format("Cannot start task '%s': %s", spec.taskId(), e.getMessage())));
      return new LaunchedTask(spec.taskId(), containerId, sandbox, OptionalLong.empty());
    }
    task.pid = process.pid();
    task.processGroup = config.setsid().isPresent();
    task.startTimeTicks = ProcFs.stat(task.pid).map(ProcStat::startTimeTicks).orElse(-1L);
    tasks.put(spec.taskId(), task);
    writeCheckpoint(task, Optional.empty());
    emit(task, task.lifecycle.running(task.pid));
    process.onExit().thenAccept(p -> submit(() -> onExited(task, Optional.of(p.exitValue()))));
    return new LaunchedTask(spec.taskId(), containerId, sandbox, OptionalLong.of(task.pid));
  }

  private Process start(RunningTask task, Map<String, String> env) throws IOException {
    List<String> argv = new ArrayList<>();
    config.setsid().ifPresent(setsid -> argv.add(setsid.toString()));
    // Limits (cgroup v2 and/or rlimits) wrap the command; see Isolation.
    argv.addAll(
        config
            .isolation()
            .wrap(
                task.containerId,
                task.spec.resources(),
                task.spec.rlimits(),
                task.spec.command().argv()));
    ProcessBuilder builder =
        new ProcessBuilder(argv)
            .directory(task.sandbox.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(task.sandbox.resolve("stdout").toFile()))
            .redirectError(
                ProcessBuilder.Redirect.appendTo(task.sandbox.resolve("stderr").toFile()));
    builder.environment().clear();
    builder.environment().putAll(env);
    Process process = builder.start();
    LOG.info(
        "task started task={} framework={} container={} pid={} sandbox={} isolation={}",
        task.spec.taskId(),
        task.spec.frameworkId(),
        task.containerId,
        process.pid(),
        task.sandbox,
        config.isolation().isolationFlag());
    return process;
  }

  private static String launchFailure(LaunchSpec spec, String why) {
    return String.format(
        "Cannot start task '%s': %s; check the command and the agent's PATH", spec.taskId(), why);
  }

  private void onExited(RunningTask task, Optional<Integer> exitStatus) {
    if (task.lifecycle.isTerminal()) {
      return;
    }
    if (task.killTimer != null) {
      task.killTimer.cancel(false);
    }
    if (task.processGroup && mayStillSignal(task)) {
      // The leader is gone; destroy the rest of the container (background children).
      signals.signal(task.pid, true, Signal.KILL);
    }
    config.isolation().release(task.containerId);
    TaskTransition transition = task.lifecycle.exited(exitStatus);
    tasks.remove(task.spec.taskId());
    adopted.remove(task);
    writeCheckpoint(task, Optional.of(transition.state()));
    emit(task, transition);
  }

  private boolean killOnLoop(String taskId, Optional<Duration> gracePeriod) {
    RunningTask task = tasks.get(taskId);
    if (task == null || !task.lifecycle.requestKill()) {
      LOG.info("kill ignored task={}: unknown, terminal or already being killed", taskId);
      return false;
    }
    Duration grace = gracePeriod.orElse(task.spec.killGracePeriod());
    LOG.info("killing task={} pid={} grace={}", taskId, task.pid, grace);
    if (!mayStillSignal(task)) {
      return true; // Its exit is already on the way to this thread.
    }
    if (grace.isZero()) {
      signals.signal(task.pid, task.processGroup, Signal.KILL);
      return true;
    }
    signals.signal(task.pid, task.processGroup, Signal.TERM);
    task.killTimer =
        loop.schedule(
            () ->
                runGuarded(
                    () -> {
                      if (!task.lifecycle.isTerminal() && mayStillSignal(task)) {
                        LOG.info("grace period over, SIGKILL task={} pid={}", taskId, task.pid);
                        signals.signal(task.pid, task.processGroup, Signal.KILL);
                      }
                    }),
            grace.toNanos(),
            TimeUnit.NANOSECONDS);
    return true;
  }

  /**
   * False when the pid now belongs to another process (its start time differs), so that a signal
   * never reaches a stranger. A zombie leader or a vanished one is fine: Linux does not reuse a pid
   * while it still names a process group with members.
   */
  private static boolean mayStillSignal(RunningTask task) {
    Optional<ProcStat> stat = ProcFs.stat(task.pid);
    return stat.isEmpty()
        || task.startTimeTicks < 0
        || stat.get().startTimeTicks() == task.startTimeTicks;
  }

  private RecoveryResult recoverOnLoop() throws IOException {
    List<String> adopted = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    for (Path file : checkpointFiles()) {
      Optional<TaskCheckpoint> checkpoint = readCheckpoint(file);
      if (checkpoint.isEmpty()) {
        unreadable.add(file.toString());
        continue;
      }
      TaskCheckpoint found = checkpoint.get();
      if (found.terminalState().isPresent() || tasks.containsKey(found.spec().taskId())) {
        continue;
      }
      (recoverTask(found, file.getParent()) ? adopted : failed).add(found.spec().taskId());
    }
    LOG.info("recovered adopted={} failed={} unreadable={}", adopted, failed, unreadable);
    return new RecoveryResult(adopted, failed, unreadable);
  }

  private List<Path> checkpointFiles() throws IOException {
    Path root = layout.metaRoot();
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (var found =
        Files.find(
            root,
            8,
            (path, attrs) ->
                path.endsWith(SandboxLayout.CHECKPOINT_FILE) && attrs.isRegularFile())) {
      return found.sorted().toList();
    }
  }

  private static Optional<TaskCheckpoint> readCheckpoint(Path file) {
    try {
      return Optional.of(TaskCheckpoint.decode(Files.readAllBytes(file)));
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn("skipping unreadable checkpoint file={}: {}", file, e.getMessage());
      return Optional.empty();
    }
  }

  /** Adopts the task if its process lives; otherwise reports it failed. True when adopted. */
  private boolean recoverTask(TaskCheckpoint checkpoint, Path metaDir) {
    LaunchSpec spec = checkpoint.spec();
    Path sandbox = layout.sandbox(spec.frameworkId(), spec.executorId(), checkpoint.containerId());
    RunningTask task =
        new RunningTask(spec, checkpoint.containerId(), sandbox, metaDir, TaskLifecycle.adopted());
    task.pid = checkpoint.pid();
    task.startTimeTicks = checkpoint.startTimeTicks();
    task.processGroup = checkpoint.processGroup();
    Optional<ProcStat> stat = ProcFs.stat(task.pid);
    boolean same =
        task.startTimeTicks >= 0
            && stat.filter(s -> s.isLive() && s.startTimeTicks() == task.startTimeTicks)
                .isPresent();
    if (!same) {
      String detail =
          stat.isPresent() && stat.get().isLive()
              ? String.format("its pid %s now belongs to another process", task.pid)
              : String.format("process pid=%s was no longer running", task.pid);
      TaskTransition transition =
          task.lifecycle.goneAtRecovery(
              String.format(
                  "Task '%s' ended while the agent was down: %s; exit status unknown",
                  spec.taskId(), detail));
      writeCheckpoint(task, Optional.of(transition.state()));
      emit(task, transition);
      return false;
    }
    tasks.put(spec.taskId(), task);
    adopted.add(task);
    if (adoptedPoll == null) {
      long interval = ADOPTED_POLL_INTERVAL.toNanos();
      adoptedPoll =
          loop.scheduleWithFixedDelay(
              () -> runGuarded(this::pollAdopted), interval, interval, TimeUnit.NANOSECONDS);
    }
    LOG.info("adopted task={} pid={} container={}", spec.taskId(), task.pid, task.containerId);
    return true;
  }

  /** Reports adopted tasks whose process exited; stops polling when none is left. */
  private void pollAdopted() {
    for (RunningTask task : List.copyOf(adopted)) {
      if (!ProcFs.isSameLiveProcess(task.pid, task.startTimeTicks)) {
        onExited(task, Optional.empty());
      }
    }
    if (adopted.isEmpty() && adoptedPoll != null) {
      adoptedPoll.cancel(false);
      adoptedPoll = null;
    }
  }

  private void writeCheckpoint(RunningTask task, Optional<TaskState> terminal) {
    TaskCheckpoint checkpoint =
        new TaskCheckpoint(
            task.spec,
            task.containerId,
            task.pid,
            task.startTimeTicks,
            task.processGroup,
            terminal);
    try {
      CheckpointFiles.writeAtomically(
          task.metaDir.resolve(SandboxLayout.CHECKPOINT_FILE), checkpoint.encode());
    } catch (IOException e) {
      // Named action: the update still goes out; a recovering agent will report the task
      // FAILED (gone) or re-adopt it, never lose it silently.
      LOG.error(
          "cannot checkpoint task={} container={} dir={}: {}",
          task.spec.taskId(),
          task.containerId,
          task.metaDir,
          e.getMessage());
    }
  }

  private void emit(RunningTask task, TaskTransition transition) {
    TaskStatusUpdate update =
        new TaskStatusUpdate(
            UUID.randomUUID(),
            task.spec.taskId(),
            task.spec.frameworkId(),
            task.spec.executorId(),
            task.containerId,
            transition,
            Instant.now(config.clock()));
    LOG.info(
        "status task={} state={} container={} uuid={} message={}",
        update.taskId(),
        update.state(),
        update.containerId(),
        update.uuid(),
        transition.message());
    listener.onStatusUpdate(update);
  }

  private void submit(Runnable work) {
    if (closed) {
      LOG.debug("containerizer closed; ignoring a process exit (recovery will resolve it)");
      return;
    }
    try {
      loop.execute(() -> runGuarded(work));
    } catch (RejectedExecutionException e) {
      LOG.debug("containerizer closed; ignoring a process exit (recovery will resolve it)");
    }
  }

  /** Runs event-thread work that has no caller to report to; a failure is logged as ERROR. */
  private static void runGuarded(Runnable work) {
    try {
      work.run();
    } catch (RuntimeException e) {
      // Named action: log for the operator and keep the event thread serving other tasks; the
      // task stays in its last reported state until the next recovery.
      LOG.error("containerizer event failed; the task keeps its last state", e);
    }
  }

  private <T> CompletableFuture<T> call(Callable<T> work) {
    Check.state(!closed, "containerizer over %s is closed", config.workDir());
    CompletableFuture<T> result = new CompletableFuture<>();
    loop.execute(
        () -> {
          try {
            result.complete(work.call());
          } catch (Exception e) { // Handed to the caller through the future, never dropped.
            result.completeExceptionally(e);
          }
        });
    return result;
  }
}
