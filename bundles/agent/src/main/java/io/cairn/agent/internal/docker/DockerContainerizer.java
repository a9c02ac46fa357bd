package io.cairn.agent.internal.docker;

import io.cairn.agent.internal.containerizer.CheckpointFiles;
import io.cairn.agent.internal.containerizer.LaunchedTask;
import io.cairn.agent.internal.containerizer.RecoveryResult;
import io.cairn.agent.internal.containerizer.TaskStatusListener;
import io.cairn.agent.internal.containerizer.TaskStatusUpdate;
import io.cairn.agent.internal.core.LaunchSpec;
import io.cairn.agent.internal.core.SandboxLayout;
import io.cairn.agent.internal.core.TaskCheckpoint;
import io.cairn.agent.internal.core.TaskLifecycle;
import io.cairn.agent.internal.core.TaskTransition;
import io.cairn.env.Check;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs DOCKER tasks as containers of a Docker engine ({@link DockerEngine}), in the same sandbox
 * layout, with the same status updates and checkpoints as the process containerizer.
 *
 * <pre>
 *  launch: STARTING → checkpoint (container name) → [pull] → create → start → RUNNING
 *          any engine refusal → TASK_FAILED (REASON_CONTAINER_LAUNCH_FAILED, the engine's reason)
 *  exit:   wait(exit code) → FINISHED (0) / FAILED (n) / KILLED (after a kill); container removed
 *  kill:   docker stop -t grace (SIGTERM, SIGKILL after the grace period) → the exit above
 *  recover: docker.checkpoint without terminal state → inspect mesos-&lt;containerId&gt;:
 *          running → adopted (wait + logs again); exited → its exit code; gone → TASK_FAILED;
 *          any other container labelled with this agent's id (exited, or no checkpoint) → removed
 * </pre>
 *
 * <p><b>Threading.</b> One event thread ({@code cairn-agent-docker}) owns all task state; engine
 * calls that block (pull, create, start, stop, remove) run on a small worker pool ({@code
 * cairn-agent-docker-engine}, 4 threads) and hand their results back to the event thread. Exit
 * waits and log streams are docker-java's own asynchronous calls. The listener is called on the
 * event thread, in order per task.
 *
 * <p>Checkpoints are {@code docker.checkpoint} files beside the process containerizer's {@code
 * task.checkpoint} (same format, pid -1), so neither containerizer recovers the other's tasks.
 */
public final class DockerContainerizer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DockerContainerizer.class);

  /** The checkpoint file of a docker container (the process containerizer's is different). */
  public static final String CHECKPOINT_FILE = "docker.checkpoint";

  private static final Duration PULL_TIMEOUT = Duration.ofMinutes(10);
  /** How long an exited container stays, so that its log stream delivers the last output. */
  private static final Duration REMOVE_DELAY = Duration.ofSeconds(1);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
  private static final int ENGINE_THREADS = 4;

  private final DockerEngine engine;
  private final String agentId;
  private final String hostname;
  private final Clock clock;
  private final TaskStatusListener listener;
  private final SandboxLayout layout;
  private final ScheduledThreadPoolExecutor loop;
  private final ExecutorService workers;
  private final Map<String, Container> tasks = new HashMap<>(); // event thread only
  private volatile boolean closed;

  /** One container's books; event thread only. */
  private static final class Container {
    final LaunchSpec spec;
    final String containerId;
    final String name;
    final Path sandbox;
    final Path metaDir;
    final TaskLifecycle lifecycle;
    String engineId = "";
    Optional<Duration> killBeforeRunning = Optional.empty();
    Closeable wait;
    Closeable logs;

    Container(LaunchSpec spec, String containerId, Path sandbox, Path metaDir,
        TaskLifecycle lifecycle) {
      this.spec = spec;
      this.containerId = containerId;
      this.name = DockerTaskInfos.containerName(containerId);
      this.sandbox = sandbox;
      this.metaDir = metaDir;
      this.lifecycle = lifecycle;
    }
  }

  /** A containerizer over {@code workDir} using {@code engine}, reporting to {@code listener}. */
  public DockerContainerizer(DockerEngine engine, Path workDir, String agentId, String hostname,
      Clock clock, TaskStatusListener listener) {
    SandboxLayout.checkSegment("agent id", agentId);
    this.engine = engine;
    this.agentId = agentId;
    this.hostname = hostname;
    this.clock = clock;
    this.listener = listener;
    this.layout = new SandboxLayout(workDir);
    this.loop = new ScheduledThreadPoolExecutor(1, daemon("cairn-agent-docker"));
    AtomicInteger n = new AtomicInteger();
    this.workers = new ThreadPoolExecutor(ENGINE_THREADS, ENGINE_THREADS, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(10_000),
        r -> daemon("cairn-agent-docker-engine-" + n.incrementAndGet()).newThread(r));
    ((ThreadPoolExecutor) workers).allowCoreThreadTimeOut(true);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * Starts the task's container. Reports TASK_STARTING at once, then TASK_RUNNING, or TASK_FAILED
   * with the engine's reason (image missing and not pullable, engine refused, ...). The future
   * completes once the container id is chosen; it fails when a live task has this id.
   */
  public CompletableFuture<LaunchedTask> launch(DockerTask task) {
    return call(() -> launchOnLoop(task));
  }

  /** Kills the task with its own grace period. */
  public CompletableFuture<Boolean> kill(String taskId) {
    return call(() -> killOnLoop(taskId, Optional.empty()));
  }

  /** {@code docker stop -t gracePeriod}; the terminal update is TASK_KILLED. */
  public CompletableFuture<Boolean> kill(String taskId, Duration gracePeriod) {
    Check.argument(!gracePeriod.isNegative(), "grace period %s must be >= 0", gracePeriod);
    return call(() -> killOnLoop(taskId, Optional.of(gracePeriod)));
  }

  /** The task's current state; empty once terminal or unknown. */
  public CompletableFuture<Optional<TaskState>> state(String taskId) {
    return call(() -> Optional.ofNullable(tasks.get(taskId)).map(c -> c.lifecycle.state()));
  }

  /** The engine id of the task's container, empty when unknown or not created yet. */
  public CompletableFuture<Optional<String>> engineId(String taskId) {
    return call(() -> Optional.ofNullable(tasks.get(taskId)).map(c -> c.engineId)
        .filter(id -> !id.isEmpty()));
  }

  /**
   * Reconciles the checkpoints with the engine: a checkpointed container that still runs is
   * adopted (its exit is awaited and its logs followed again); one that exited is reported with
   * its exit code; one that is gone is reported TASK_FAILED. Containers labelled with this agent's
   * id that no checkpoint names are stopped and removed (orphans).
   */
  public CompletableFuture<RecoveryResult> recover() {
    return call(this::recoverOnLoop);
  }

  @Override
  public void close() {
    closed = true;
    try {
      loop.submit(() -> {
        for (Container c : tasks.values()) {
          closeStreams(c);
        }
      }).get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
        | RejectedExecutionException e) {
      LOG.warn("docker containerizer did not close its streams: {}", e.toString());
    }
    loop.shutdownNow();
    // Pending engine calls (removing exited containers, docker stop) finish first, bounded.
    workers.shutdown();
    try {
      if (!loop.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("docker containerizer thread did not stop within {}", CLOSE_TIMEOUT);
      }
      if (!workers.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("docker engine calls still running after {}; abandoning them", CLOSE_TIMEOUT);
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      workers.shutdownNow();
    }
    LOG.info("docker containerizer closed liveTasks={} (containers keep running)", tasks.size());
  }

  // ---- launch ----------------------------------------------------------------------------------

  private LaunchedTask launchOnLoop(DockerTask task) throws IOException {
    LaunchSpec spec = task.spec();
    Container existing = tasks.get(spec.taskId());
    Check.argument(existing == null, "task '%s' is already running in container %s; task ids "
        + "must be unique on an agent", spec.taskId(), existing == null ? "" : existing.name);
    String containerId = UUID.randomUUID().toString();
    Path sandbox = layout.sandbox(spec.frameworkId(), spec.executorId(), containerId);
    Path metaDir = layout.meta(spec.frameworkId(), spec.executorId(), containerId);
    Files.createDirectories(sandbox);
    Files.createDirectories(metaDir);
    Files.write(sandbox.resolve("stdout"), new byte[0]);
    Files.write(sandbox.resolve("stderr"), new byte[0]);
    Container c = new Container(spec, containerId, sandbox, metaDir, TaskLifecycle.staging());
    emit(c, c.lifecycle.starting(spec.taskId()));
    ContainerSpec container;
    try {
      container = DockerTaskInfos.containerSpec(task, containerId, agentId, hostname, sandbox);
    } catch (IllegalArgumentException e) {
      emit(c, c.lifecycle.launchFailed(e.getMessage()));
      return new LaunchedTask(spec.taskId(), containerId, sandbox, OptionalLong.empty());
    }
    tasks.put(spec.taskId(), c);
    // Before the engine hears of it: a restart in between finds the name and looks for it.
    writeCheckpoint(c, Optional.empty());
    submitWork(c, () -> createAndStart(container), engineId -> onStarted(c, engineId),
        error -> onLaunchFailed(c, container, error));
    return new LaunchedTask(spec.taskId(), containerId, sandbox, OptionalLong.empty());
  }

  /** On a worker: pull when needed, create, start. Returns the engine's container id. */
  private Started createAndStart(ContainerSpec spec) {
    if (spec.forcePull() || !engine.imagePresent(spec.image())) {
      try {
        engine.pull(spec.image(), PULL_TIMEOUT);
      } catch (DockerEngineException e) {
        if (spec.forcePull() && engine.imagePresent(spec.image())) {
          LOG.warn("forcePullImage of '{}' failed, using the local image: {}", spec.image(),
              e.getMessage());
        } else {
          throw new DockerEngineException(String.format("image '%s' is not present on this agent"
              + " and could not be pulled (%s); load it (docker pull / docker load / docker "
              + "import) or fix the image name", spec.image(), e.getMessage()), e);
        }
      }
    }
    String id = engine.create(spec);
    try {
      engine.start(id);
    } catch (DockerEngineException e) {
      try {
        engine.remove(id);
      } catch (DockerEngineException removing) {
        e.addSuppressed(removing);
      }
      throw e;
    }
    return new Started(id, engine.inspect(id).map(DockerEngine.ContainerState::pid).orElse(0L));
  }

  private void onStarted(Container c, Started started) {
    c.engineId = started.id();
    if (c.lifecycle.isTerminal()) {
      return;
    }
    emit(c, c.lifecycle.runningAs(String.format("Container %s (%s) is running, pid %s", c.name,
        started.id().substring(0, Math.min(12, started.id().length())), started.pid())));
    watch(c, 0);
    c.killBeforeRunning.ifPresent(grace -> killOnLoop(c.spec.taskId(), Optional.of(grace)));
  }

  /** A started container: the engine's id and its init process's pid on the host. */
  private record Started(String id, long pid) {}

  private void onLaunchFailed(Container c, ContainerSpec spec, Throwable error) {
    if (c.lifecycle.isTerminal()) {
      return;
    }
    tasks.remove(c.spec.taskId());
    String why = error instanceof DockerEngineException ? error.getMessage() : error.toString();
    TaskTransition transition = c.lifecycle.launchFailed(String.format(
        "Cannot start task '%s' in a Docker container from image '%s': %s", c.spec.taskId(),
        spec.image(), why));
    writeCheckpoint(c, Optional.of(transition.state()));
    emit(c, transition);
  }

  /** Follows the logs (from {@code sinceEpochSeconds}) and awaits the exit. */
  private void watch(Container c, long sinceEpochSeconds) {
    try {
      c.logs = engine.followLogs(c.engineId, sinceEpochSeconds, c.sandbox.resolve("stdout"),
          c.sandbox.resolve("stderr"));
    } catch (DockerEngineException e) {
      // Named action: the task runs without its output in the sandbox; said in stderr's place.
      LOG.warn("task={} runs without its logs in the sandbox: {}", c.spec.taskId(),
          e.getMessage());
    }
    c.wait = engine.awaitExit(c.engineId, code -> submit(() -> onExited(c, Optional.of(code))),
        error -> submit(() -> onWaitFailed(c, error)));
  }

  private void onWaitFailed(Container c, Throwable error) {
    if (c.lifecycle.isTerminal() || closed) {
      return;
    }
    // The wait ends without a code when the engine goes away or the container is removed
    // behind our back; ask the engine what it knows.
    Optional<DockerEngine.ContainerState> state;
    try {
      state = engine.inspect(c.engineId);
    } catch (DockerEngineException e) {
      LOG.warn("wait for task={} failed and the engine does not answer ({}); the task keeps its"
          + " state until recovery", c.spec.taskId(), e.getMessage());
      return;
    }
    if (state.isPresent() && state.get().running()) {
      LOG.info("wait for task={} ended early ({}); waiting again", c.spec.taskId(),
          error.toString());
      closeStreams(c);
      watch(c, Instant.now(clock).getEpochSecond());
      return;
    }
    onExited(c, state.flatMap(DockerEngine.ContainerState::exitCode));
  }

  private void onExited(Container c, Optional<Integer> exitCode) {
    if (c.lifecycle.isTerminal()) {
      return;
    }
    TaskTransition transition = c.lifecycle.exited(exitCode);
    tasks.remove(c.spec.taskId());
    writeCheckpoint(c, Optional.of(transition.state()));
    // Let the log stream drain what the container wrote last, then drop the container. If the
    // agent stops first, the next recovery removes it (it is no live task's).
    loop.schedule(() -> runGuarded(() -> removeLater(c)), REMOVE_DELAY.toMillis(),
        TimeUnit.MILLISECONDS);
    emit(c, transition);
  }

  private void removeLater(Container c) {
    closeStreams(c);
    workers.execute(() -> {
      try {
        engine.remove(c.engineId);
      } catch (DockerEngineException e) {
        LOG.warn("cannot remove the container of task={}: {}", c.spec.taskId(), e.getMessage());
      }
    });
  }

  // ---- kill ------------------------------------------------------------------------------------

  private boolean killOnLoop(String taskId, Optional<Duration> gracePeriod) {
    Container c = tasks.get(taskId);
    if (c == null || c.lifecycle.isTerminal()) {
      LOG.info("kill ignored task={}: unknown or terminal", taskId);
      return false;
    }
    Duration grace = gracePeriod.orElse(c.spec.killGracePeriod());
    if (c.lifecycle.state() == TaskState.TASK_STARTING) {
      LOG.info("kill of task={} while its container starts; stopping it once started", taskId);
      c.killBeforeRunning = Optional.of(grace);
      return true;
    }
    if (!c.lifecycle.requestKill()) {
      return false;
    }
    LOG.info("killing task={} container={} grace={}", taskId, c.name, grace);
    String id = c.engineId;
    workers.execute(() -> {
      try {
        engine.stop(id, grace);
      } catch (DockerEngineException e) {
        // Named action: the exit wait decides; a later KILL call retries.
        LOG.warn("docker stop of task={} failed: {}", taskId, e.getMessage());
      }
    });
    return true;
  }

  // ---- recovery --------------------------------------------------------------------------------

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
    Set<String> live = new HashSet<>();
    tasks.values().forEach(c -> live.add(c.containerId));
    for (DockerEngine.ContainerState orphan :
        engine.listByLabels(Map.of(DockerTaskInfos.LABEL_AGENT, agentId))) {
      String containerId = orphan.labels().getOrDefault(DockerTaskInfos.LABEL_CONTAINER, "");
      if (!live.contains(containerId)) {
        LOG.warn("removing container {} ({}) labelled for this agent: no live task runs in it",
            orphan.name(), orphan.id());
        workers.execute(() -> {
          try {
            engine.remove(orphan.id());
          } catch (DockerEngineException e) {
            LOG.warn("cannot remove orphan container {}: {}", orphan.id(), e.getMessage());
          }
        });
      }
    }
    LOG.info("docker recovered adopted={} failed={} unreadable={}", adopted, failed, unreadable);
    return new RecoveryResult(adopted, failed, unreadable);
  }

  private boolean recoverTask(TaskCheckpoint checkpoint, Path metaDir) {
    LaunchSpec spec = checkpoint.spec();
    Path sandbox = layout.sandbox(spec.frameworkId(), spec.executorId(), checkpoint.containerId());
    Container c = new Container(spec, checkpoint.containerId(), sandbox, metaDir,
        TaskLifecycle.adopted());
    Optional<DockerEngine.ContainerState> state = engine.inspect(c.name);
    if (state.isEmpty()) {
      TaskTransition transition = c.lifecycle.goneAtRecovery(String.format("Task '%s' ended "
          + "while the agent was down: its container %s no longer exists; exit status unknown",
          spec.taskId(), c.name));
      writeCheckpoint(c, Optional.of(transition.state()));
      emit(c, transition);
      return false;
    }
    c.engineId = state.get().id();
    tasks.put(spec.taskId(), c);
    if (!state.get().running()) {
      LOG.info("task={} container={} exited while the agent was down, code={}", spec.taskId(),
          c.name, state.get().exitCode());
      onExited(c, state.get().exitCode());
      return false;
    }
    watch(c, Instant.now(clock).getEpochSecond());
    LOG.info("adopted task={} container={} id={}", spec.taskId(), c.name, c.engineId);
    return true;
  }

  private List<Path> checkpointFiles() throws IOException {
    Path root = layout.metaRoot();
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (var found = Files.find(root, 8,
        (path, attrs) -> path.endsWith(CHECKPOINT_FILE) && attrs.isRegularFile())) {
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

  private void writeCheckpoint(Container c, Optional<TaskState> terminal) {
    TaskCheckpoint checkpoint = new TaskCheckpoint(c.spec, c.containerId, -1, -1, false, terminal);
    try {
      CheckpointFiles.writeAtomically(c.metaDir.resolve(CHECKPOINT_FILE), checkpoint.encode());
    } catch (IOException e) {
      // Named action: the update still goes out; recovery reconciles by the container's labels.
      LOG.error("cannot checkpoint task={} container={} dir={}: {}", c.spec.taskId(), c.name,
          c.metaDir, e.getMessage());
    }
  }

  // ---- plumbing --------------------------------------------------------------------------------

  private static void closeStreams(Container c) {
    for (Closeable stream : new Closeable[] {c.wait, c.logs}) {
      if (stream != null) {
        try {
          stream.close();
        } catch (IOException e) {
          LOG.debug("closing a stream of task={}: {}", c.spec.taskId(), e.getMessage());
        }
      }
    }
  }

  private void emit(Container c, TaskTransition transition) {
    TaskStatusUpdate update = new TaskStatusUpdate(UUID.randomUUID(), c.spec.taskId(),
        c.spec.frameworkId(), c.spec.executorId(), c.containerId, transition,
        Instant.now(clock));
    LOG.info("status task={} state={} container={} uuid={} message={}", update.taskId(),
        update.state(), c.name, update.uuid(), transition.message());
    listener.onStatusUpdate(update);
  }

  private <T> void submitWork(Container c, Callable<T> work,
      java.util.function.Consumer<T> onDone, java.util.function.Consumer<Throwable> onError) {
    try {
      workers.execute(() -> {
        try {
          T result = work.call();
          submit(() -> onDone.accept(result));
        } catch (Exception e) { // Handed to the event thread, which reports TASK_FAILED.
          submit(() -> onError.accept(e));
        }
      });
    } catch (RejectedExecutionException e) {
      onError.accept(new DockerEngineException("the docker containerizer is overloaded or "
          + "closed; task '" + c.spec.taskId() + "' was not started", e));
    }
  }

  private void submit(Runnable work) {
    if (closed) {
      return;
    }
    try {
      loop.execute(() -> runGuarded(work));
    } catch (RejectedExecutionException e) {
      LOG.debug("docker containerizer closed; an event is left to recovery");
    }
  }

  private static void runGuarded(Runnable work) {
    try {
      work.run();
    } catch (RuntimeException e) {
      // Named action: log for the operator and keep serving other tasks; the task keeps its last
      // reported state until the next recovery.
      LOG.error("docker containerizer event failed; the task keeps its last state", e);
    }
  }

  private <T> CompletableFuture<T> call(Callable<T> work) {
    Check.state(!closed, "docker containerizer is closed");
    CompletableFuture<T> result = new CompletableFuture<>();
    loop.execute(() -> {
      try {
        result.complete(work.call());
      } catch (Exception e) { // Handed to the caller through the future, never dropped.
        result.completeExceptionally(e);
      }
    });
    return result;
  }
}
