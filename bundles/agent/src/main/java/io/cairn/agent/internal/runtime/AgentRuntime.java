package io.cairn.agent.internal.runtime;

import io.cairn.agent.internal.config.AgentSettings;
import io.cairn.agent.internal.containerizer.ContainerizerConfig;
import io.cairn.agent.internal.containerizer.Isolation;
import io.cairn.agent.internal.containerizer.LaunchedTask;
import io.cairn.agent.internal.containerizer.ProcessContainerizer;
import io.cairn.agent.internal.containerizer.RecoveryResult;
import io.cairn.agent.internal.containerizer.TaskInfos;
import io.cairn.agent.internal.containerizer.TaskStatusUpdate;
import io.cairn.agent.internal.core.AgentCore;
import io.cairn.agent.internal.core.AgentEffects;
import io.cairn.agent.internal.core.SandboxLayout;
import io.cairn.agent.internal.core.TaskRecord;
import io.cairn.agent.internal.docker.DockerContainerizer;
import io.cairn.agent.internal.docker.DockerEngine;
import io.cairn.agent.internal.docker.DockerEngineException;
import io.cairn.agent.internal.docker.DockerJavaEngine;
import io.cairn.agent.internal.docker.DockerTask;
import io.cairn.agent.internal.docker.DockerTaskInfos;
import io.cairn.proto.mesos.v1.Protos.ContainerInfo;
import io.cairn.agent.internal.health.HealthChecks;
import io.cairn.agent.internal.net.MasterClient;
import io.cairn.agent.internal.store.AgentStore;
import io.cairn.env.Clock;
import io.cairn.env.RandomSource;
import io.cairn.proto.agent.AgentMessage;
import io.cairn.proto.mesos.v1.Protos.AgentInfo;
import io.cairn.proto.mesos.v1.Protos.FrameworkInfo;
import io.cairn.proto.mesos.v1.Protos.HealthCheck;
import io.cairn.proto.mesos.v1.Protos.TaskInfo;
import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's driver: one event thread ({@code cairn-agent}, a Netty event loop) runs the {@link
 * AgentCore}, the {@link MasterClient}, the tick timer and the health-check timers; it executes
 * the core's effects against the {@link ProcessContainerizer} (its own thread; its status updates
 * are handed back to the event thread) and the {@link AgentStore}.
 *
 * <p>Start: read the checkpointed agent id and task records, recover the containerizer (adopting
 * live tasks, failing dead ones), then connect to the master and (re-)register. {@link #close()}
 * stops the connection and the threads but leaves tasks running, as an agent restart must.
 */
public final class AgentRuntime implements AgentOperations, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AgentRuntime.class);
  private static final Duration TICK = Duration.ofMillis(100);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final AgentSettings settings;
  private final NioEventLoopGroup group;
  private final EventLoop loop;
  private final AgentStore store;
  private final long startMillis;
  private final Map<String, Path> sandboxes = new HashMap<>(); // event loop only
  private AgentCore core;
  private ProcessContainerizer containerizer;
  private DockerContainerizer docker; // null while no engine answers (or docker is not allowed)
  private DockerEngine dockerEngine;
  private String dockerStatus = "not probed yet";
  /** How process tasks are limited (cgroups v2 or rlimits only), detected once at start. */
  private final Isolation isolation = Isolation.detect();
  private final Set<String> dockerTasks = new HashSet<>(); // event loop only
  private MasterClient client;
  private HealthChecks health;
  private ScheduledFuture<?> ticker;
  private InetSocketAddress master;

  private AgentRuntime(AgentSettings settings) {
    this.settings = settings;
    this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("cairn-agent", true));
    this.loop = group.next();
    this.store = new AgentStore(settings.workDir());
    this.startMillis = System.currentTimeMillis();
  }

  /** Recovers from the work dir and starts connecting to the master. */
  public static AgentRuntime start(AgentSettings settings, String version) throws IOException {
    AgentRuntime runtime = new AgentRuntime(settings);
    try {
      runtime.loop.submit(() -> {
        runtime.startOnLoop(version);
        return null;
      }).get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      runtime.close();
      throw new IOException("agent failed to start over " + settings.workDir() + ": "
          + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      runtime.close();
      throw new IOException("interrupted while starting the agent", e);
    } catch (TimeoutException e) {
      runtime.close();
      throw new IOException("agent did not recover within " + START_TIMEOUT, e);
    }
    return runtime;
  }

  private void startOnLoop(String version) throws Exception {
    Files.createDirectories(settings.workDir());
    AgentInfo configured = AgentInfo.newBuilder()
        .setHostname(settings.hostname())
        .setPort(settings.httpPort())
        .addAllResources(settings.resources())
        .addAllAttributes(settings.attributes())
        .build();
    Optional<AgentInfo> stored = store.readAgentInfo();
    AgentInfo info = stored.filter(AgentInfo::hasId)
        .map(s -> configured.toBuilder().setId(s.getId()).build()).orElse(configured);
    health = new HealthChecks(loop, (task, ok, detail) -> core.onHealthResult(task, ok, detail),
        sandboxes::get, Map.of("PATH", ContainerizerConfig.DEFAULT_PATH));
    core = new AgentCore(info, version, settings.statusUpdateRetryMin(), Clock.system(),
        RandomSource.seeded(System.nanoTime()), new Effects());
    List<TaskRecord> records = store.readTasks();
    core.recover(records);
    probeDocker();
    Set<String> accounted = new HashSet<>();
    if (info.hasId()) {
      ensureContainerizer(info.getId().getValue());
      RecoveryResult recovered = containerizer.recover().get();
      Set<String> known = new HashSet<>();
      records.forEach(r -> known.add(r.taskId()));
      for (String adopted : recovered.adopted()) {
        if (!known.contains(adopted)) {
          LOG.warn("killing adopted task={}: the agent has no record of it", adopted);
          containerizer.kill(adopted);
        }
      }
      accounted.addAll(recovered.adopted());
      accounted.addAll(recovered.failed());
      if (docker != null) {
        RecoveryResult containers = docker.recover().get();
        for (String adopted : containers.adopted()) {
          dockerTasks.add(adopted);
          if (!known.contains(adopted)) {
            LOG.warn("killing adopted container of task={}: the agent has no record of it",
                adopted);
            docker.kill(adopted, Duration.ZERO);
          }
        }
        accounted.addAll(containers.adopted());
        accounted.addAll(containers.failed());
      }
      records.forEach(r -> findSandbox(r).ifPresent(p -> sandboxes.put(r.taskId(), p)));
    }
    core.recoveryDone(accounted);
    client = new MasterClient(settings.masters(), loop, new ClientListener());
    client.start();
    ticker = loop.scheduleAtFixedRate(this::tick, TICK.toNanos(), TICK.toNanos(),
        TimeUnit.NANOSECONDS);
    LOG.info("agent started work={} hostname={} id={} tasks={}", settings.workDir(),
        settings.hostname(), info.hasId() ? info.getId().getValue() : "(unregistered)",
        records.size());
    LOG.info("process isolation={} ({})", isolation.isolationFlag(), isolation.describe());
  }

  private void tick() {
    try {
      core.tick();
    } catch (RuntimeException e) {
      // Named action: log for the operator; the next tick tries again.
      LOG.error("agent tick failed", e);
    }
  }

  private void ensureContainerizer(String agentId) {
    if (containerizer == null) {
      ContainerizerConfig config =
          ContainerizerConfig.detect(settings.workDir(), agentId, settings.hostname(), isolation);
      containerizer = new ProcessContainerizer(config, this::onContainerUpdate);
    }
    ensureDocker(agentId);
  }

  /**
   * Enables the docker containerizer when the operator allows it and an engine answers on the
   * configured socket; otherwise records why not (shown in /state and agent:containerizers).
   * Probed at start and again when a DOCKER task arrives while it is off.
   */
  private void ensureDocker(String agentId) {
    if (docker != null) {
      return;
    }
    probeDocker();
    if (dockerEngine != null) {
      docker = new DockerContainerizer(dockerEngine, settings.workDir(), agentId,
          settings.hostname(), java.time.Clock.systemUTC(), this::onContainerUpdate);
    }
  }

  /** Asks the engine for its version once; keeps the client when it answers. */
  private void probeDocker() {
    if (dockerEngine != null) {
      return;
    }
    if (!settings.dockerAllowed()) {
      dockerStatus = "disabled: containerizers = " + String.join(",", settings.containerizers());
      return;
    }
    DockerEngine engine;
    try {
      engine = new DockerJavaEngine(settings.dockerSocket());
    } catch (RuntimeException | LinkageError e) {
      dockerStatus = "unavailable: the Docker client cannot start (" + e + ")";
      LOG.warn("docker containerizer off: {}", dockerStatus);
      return;
    }
    try {
      String version = engine.version();
      dockerEngine = engine;
      dockerStatus = version + " at " + settings.dockerSocket();
      LOG.info("docker containerizer enabled: {}", dockerStatus);
    } catch (DockerEngineException | LinkageError e) {
      engine.close();
      dockerStatus = "unavailable: no Docker engine answers on " + settings.dockerSocket()
          + " (" + e.getMessage() + ")";
      LOG.info("docker containerizer off: {}", dockerStatus);
    }
  }

  /** mesos, plus docker when enabled (Mesos's --containerizers). */
  private List<String> containerizersInUse() {
    return dockerEngine == null ? List.of("mesos") : List.of("docker", "mesos");
  }

  /** Called on the containerizer's thread; handed to the event loop. */
  private void onContainerUpdate(TaskStatusUpdate update) {
    try {
      loop.execute(() -> core.onTaskStatus(update.toProto(core.agentInfo().getId().getValue())));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.info("agent stopped; status of task={} is left to recovery", update.taskId());
    }
  }

  private Optional<Path> findSandbox(TaskRecord record) {
    Path runs = new SandboxLayout(settings.workDir())
        .sandbox(record.frameworkId(), record.taskId(), "x").getParent();
    if (!Files.isDirectory(runs)) {
      return Optional.empty();
    }
    try (var dirs = Files.list(runs)) {
      return dirs.filter(Files::isDirectory).max((a, b) -> {
        try {
          return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b));
        } catch (IOException e) {
          return 0;
        }
      });
    } catch (IOException e) {
      LOG.warn("cannot list sandboxes of task={}: {}", record.taskId(), e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public CompletableFuture<AgentSnapshot> snapshot() {
    return call(() -> new AgentSnapshot(core.agentInfo(), core.registration(),
        Optional.ofNullable(master).filter(m -> client.isConnected())
            .map(m -> m.getHostString() + ":" + m.getPort()),
        core.draining(), core.records(), sandboxes, core.pendingUpdates(), settings.workDir(),
        startMillis, containerizersInUse(), dockerStatus, isolation.isolationFlag(),
        isolation.describe()));
  }

  @Override
  public CompletableFuture<Void> drain(Optional<Duration> maxGrace) {
    return call(() -> {
      core.drain(maxGrace);
      return null;
    });
  }

  /** The settings the agent runs with. */
  public AgentSettings settings() {
    return settings;
  }

  private <T> CompletableFuture<T> call(java.util.concurrent.Callable<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      loop.execute(() -> {
        try {
          result.complete(work.call());
        } catch (Exception e) { // Handed to the caller through the future.
          result.completeExceptionally(e);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      result.completeExceptionally(new IllegalStateException("the agent is stopped", e));
    }
    return result;
  }

  /** Stops connecting, probing and watching; running tasks keep running. */
  @Override
  public void close() {
    if (!loop.isShuttingDown()) {
      try {
        loop.submit(() -> {
          if (ticker != null) {
            ticker.cancel(false);
          }
          return null;
        }).get(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        LOG.warn("agent event loop did not stop its ticker: {}", e.getMessage());
      }
    }
    if (client != null) {
      client.close();
    }
    if (health != null) {
      health.close();
    }
    if (containerizer != null) {
      containerizer.close();
    }
    if (docker != null) {
      docker.close();
    }
    if (dockerEngine != null) {
      dockerEngine.close();
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    LOG.info("agent stopped work={}", settings.workDir());
  }

  /** Connection events, on the event loop. */
  private final class ClientListener implements MasterClient.Listener {
    @Override
    public void onConnected(InetSocketAddress address) {
      master = address;
      core.connected();
    }

    @Override
    public void onMessage(AgentMessage message) {
      core.receive(message);
    }

    @Override
    public void onDisconnected() {
      core.disconnected();
    }
  }

  /** The core's effects, executed on the event loop in the order the core asks. */
  private final class Effects implements AgentEffects {
    @Override
    public void send(AgentMessage message) {
      client.send(message);
    }

    @Override
    public void launch(FrameworkInfo framework, TaskInfo task) {
      String taskId = task.getTaskId().getValue();
      if (task.hasContainer() && task.getContainer().getType() == ContainerInfo.Type.DOCKER) {
        launchDocker(framework, task);
        return;
      }
      try {
        CompletableFuture<LaunchedTask> launched =
            containerizer.launch(TaskInfos.toLaunchSpec(framework.getId(), task));
        launched.whenComplete((result, error) -> loop.execute(() -> {
          if (error != null) {
            core.onLaunchRejected(taskId, error.getMessage());
          } else {
            sandboxes.put(taskId, result.sandbox());
          }
        }));
      } catch (IllegalArgumentException | IllegalStateException e) {
        loop.execute(() -> core.onLaunchRejected(taskId, e.getMessage()));
      }
    }

    private void launchDocker(FrameworkInfo framework, TaskInfo task) {
      String taskId = task.getTaskId().getValue();
      DockerTask dockerTask;
      try {
        dockerTask = DockerTaskInfos.toDockerTask(framework.getId(), task);
      } catch (IllegalArgumentException e) {
        loop.execute(() -> core.onLaunchRejected(taskId, e.getMessage()));
        return;
      }
      ensureDocker(core.agentInfo().getId().getValue());
      if (docker == null) {
        String why = "Task '" + taskId + "' asks for a DOCKER container (image '"
            + dockerTask.image() + "') but this agent's docker containerizer is "
            + dockerStatus + "; start a Docker engine there or use another agent";
        loop.execute(() -> core.onLaunchRejected(taskId, why));
        return;
      }
      dockerTasks.add(taskId);
      docker.launch(dockerTask).whenComplete((result, error) -> loop.execute(() -> {
        if (error != null) {
          dockerTasks.remove(taskId);
          core.onLaunchRejected(taskId, error.getMessage());
        } else {
          sandboxes.put(taskId, result.sandbox());
        }
      }));
    }

    @Override
    public void kill(String taskId, Optional<Duration> gracePeriod) {
      if (docker != null && dockerTasks.contains(taskId)) {
        (gracePeriod.isPresent() ? docker.kill(taskId, gracePeriod.get())
            : docker.kill(taskId)).whenComplete((killed, error) -> {
              if (error != null) {
                LOG.warn("kill of docker task={} failed: {}", taskId, error.getMessage());
              }
            });
        return;
      }
      if (containerizer != null) {
        (gracePeriod.isPresent() ? containerizer.kill(taskId, gracePeriod.get())
            : containerizer.kill(taskId)).whenComplete((killed, error) -> {
              if (error != null) {
                LOG.warn("kill of task={} failed: {}", taskId, error.getMessage());
              }
            });
      }
    }

    @Override
    public void persistAgentInfo(Optional<AgentInfo> info) {
      try {
        store.writeAgentInfo(info);
      } catch (IOException e) {
        // Named action: keep running; after a restart the agent registers as a new one.
        LOG.error("cannot checkpoint the agent id under {}: {}", settings.workDir(),
            e.getMessage());
      }
      info.filter(AgentInfo::hasId).ifPresent(i -> ensureContainerizer(i.getId().getValue()));
    }

    @Override
    public void persistTask(TaskRecord record) {
      try {
        store.writeTask(record);
      } catch (IOException e) {
        // Named action: the update still goes out; after a restart the task is reported failed.
        LOG.error("cannot checkpoint task={}: {}", record.taskId(), e.getMessage());
      }
    }

    @Override
    public void removeTask(TaskRecord record) {
      sandboxes.remove(record.taskId());
      dockerTasks.remove(record.taskId());
      try {
        store.removeTask(record);
      } catch (IOException e) {
        LOG.error("cannot delete the record of task={}: {}", record.taskId(), e.getMessage());
      }
    }

    @Override
    public void disconnect(String reason) {
      client.disconnect(reason);
    }

    @Override
    public void startHealthCheck(String taskId, HealthCheck check) {
      health.start(taskId, check);
    }

    @Override
    public void stopHealthCheck(String taskId) {
      health.stop(taskId);
    }
  }
}
