package io.cairn.marathon.internal.driver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.env.Clock;
import io.cairn.env.RandomSource;
import io.cairn.framework.Leadership;
import io.cairn.framework.SchedulerDriver;
import io.cairn.marathon.internal.core.Effects;
import io.cairn.marathon.internal.core.MarathonCore;
import io.cairn.marathon.internal.store.ZkStateStore;
import io.cairn.proto.mesos.v1.Protos.AgentID;
import io.cairn.proto.mesos.v1.Protos.Filters;
import io.cairn.proto.mesos.v1.Protos.Offer;
import io.cairn.proto.mesos.v1.Protos.TaskID;
import io.cairn.proto.mesos.v1.Protos.TaskStatus;
import io.cairn.proto.mesos.v1.scheduler.Protos.Call;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives the {@link MarathonCore} on one thread ({@code cairn-marathon}): scheduler callbacks, API
 * calls and a one-second tick are queued to it; after each input the core's {@link Effects} are
 * executed in order: persist the writes (ZooKeeper), then call the master through the
 * {@link SchedulerDriver}, then publish the events. A core exists only while this instance leads;
 * on election it is rebuilt from the store.
 *
 * <p>Threading: every public method may be called from any thread and never blocks.
 */
public final class MarathonDriver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MarathonDriver.class);
  private static final long TICK_MS = 1000;

  /** Thrown into API futures when this instance does not lead. */
  public static final class NotLeader extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotLeader() {
      super("This Marathon instance does not lead");
    }
  }

  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(
      runnable -> {
        Thread thread = new Thread(runnable, "cairn-marathon");
        thread.setDaemon(true);
        return thread;
      });
  private final Clock clock;
  private final MarathonCore.Settings settings;
  private final Supplier<ZkStateStore> stores;
  private final List<Consumer<ObjectNode>> listeners = new CopyOnWriteArrayList<>();
  private volatile Leadership leadership = Leadership.standby("", false);
  private volatile String frameworkId = "";
  private volatile boolean subscribed;
  private MarathonCore core; // loop only
  private ZkStateStore store; // loop only
  private SchedulerDriver schedulerDriver; // loop only
  private long seed;

  /**
   * A driver whose state store comes from {@code stores} (null while ZooKeeper is unavailable).
   */
  public MarathonDriver(Clock clock, MarathonCore.Settings settings,
      Supplier<ZkStateStore> stores, long seed) {
    this.clock = clock;
    this.settings = settings;
    this.stores = stores;
    this.seed = seed;
    loop.scheduleWithFixedDelay(() -> onLoop(this::tick), TICK_MS, TICK_MS,
        TimeUnit.MILLISECONDS);
  }

  // ---------------------------------------------------------------- scheduler side

  public void leadership(Leadership newLeadership) {
    leadership = newLeadership;
    execute(() -> {
      if (newLeadership.leading() && core == null) {
        elected();
      } else if (!newLeadership.leading() && core != null) {
        LOG.info("marathon lost leadership; leader={}", newLeadership.leaderAddress());
        core = null;
        schedulerDriver = null;
        subscribed = false;
      }
    });
  }

  private void elected() {
    ZkStateStore candidate = stores.get();
    if (candidate == null) {
      LOG.error("marathon elected but ZooKeeper is not available; serving nothing until it is");
      return;
    }
    try {
      ZkStateStore.Loaded loaded = candidate.load();
      MarathonCore fresh = new MarathonCore(settings, RandomSource.seeded(seed++));
      fresh.restore(loaded.apps(), loaded.versions(), loaded.deployments(), loaded.instances());
      store = candidate;
      core = fresh;
      if (!loaded.frameworkId().isEmpty()) {
        frameworkId = loaded.frameworkId();
      }
      LOG.info("marathon elected: loaded apps={} deployments={} instances={}",
          loaded.apps().size(), loaded.deployments().size(), loaded.instances().size());
    } catch (Exception e) {
      LOG.error("marathon elected but could not load its state from ZooKeeper; not leading", e);
    }
  }

  public void subscribed(SchedulerDriver driver) {
    execute(() -> {
      schedulerDriver = driver;
      subscribed = true;
      driver.frameworkId().ifPresent(id -> {
        frameworkId = id.getValue();
        if (store != null) {
          try {
            store.frameworkId(frameworkId);
          } catch (Exception e) {
            LOG.warn("could not store framework-id={}; /v2/info shows it from memory", id, e);
          }
        }
      });
      if (core != null) {
        core.subscribed(clock.wallMillis());
        flush();
      }
    });
  }

  public void offers(SchedulerDriver driver, List<Offer> offers) {
    execute(() -> {
      schedulerDriver = driver;
      if (core == null) {
        for (Offer offer : offers) {
          driver.decline(List.of(offer.getId()), Filters.newBuilder().setRefuseSeconds(5)
              .build());
        }
        return;
      }
      core.offers(offers, clock.wallMillis());
      flush();
    });
  }

  public void update(SchedulerDriver driver, TaskStatus status) {
    execute(() -> {
      schedulerDriver = driver;
      if (core != null) {
        core.update(status, clock.wallMillis());
        flush();
      }
    });
  }

  public void disconnected() {
    execute(() -> {
      subscribed = false;
      schedulerDriver = null;
    });
  }

  // ---------------------------------------------------------------- API side

  /** Runs {@code call} against the leading core on the loop; fails with {@link NotLeader}. */
  public <T> CompletableFuture<T> call(Function<MarathonCore, T> call) {
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      loop.execute(() -> {
        if (core == null) {
          result.completeExceptionally(new NotLeader());
          return;
        }
        try {
          T value = call.apply(core);
          flush();
          result.complete(value);
        } catch (RuntimeException e) {
          core.drain(); // a rejected command leaves no effects behind
          result.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(new NotLeader());
    }
    return result;
  }

  /** Publishes an event that did not come from the core (e.g. {@code api_post_event}). */
  public void publish(ObjectNode event) {
    execute(() -> deliver(List.of(event)));
  }

  /** Adds an event listener (SSE stream); events arrive on the loop thread. */
  public void addListener(Consumer<ObjectNode> listener) {
    listeners.add(listener);
  }

  public void removeListener(Consumer<ObjectNode> listener) {
    listeners.remove(listener);
  }

  public Leadership leadership() {
    return leadership;
  }

  public String frameworkId() {
    return frameworkId;
  }

  public boolean isSubscribed() {
    return subscribed;
  }

  public Clock clock() {
    return clock;
  }

  // ---------------------------------------------------------------- the loop

  private void tick() {
    if (core != null) {
      core.tick(clock.wallMillis());
      flush();
    }
  }

  private void flush() {
    Effects effects = core.drain();
    if (effects.isEmpty()) {
      return;
    }
    boolean persisted = true;
    if (!effects.writes().isEmpty()) {
      try {
        store.write(effects.writes());
      } catch (Exception e) {
        persisted = false;
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        if (loop.isShutdown()) {
          LOG.debug("marathon closing: {} writes not persisted ({})", effects.writes().size(),
              e.toString());
          return;
        }
        LOG.error("marathon could not persist {} writes to ZooKeeper; launches of this round are"
            + " declined and will be retried", effects.writes().size(), e);
      }
    }
    SchedulerDriver d = schedulerDriver;
    if (d != null) {
      send(d, effects, persisted);
    }
    deliver(effects.events());
  }

  private void send(SchedulerDriver d, Effects effects, boolean persisted) {
    for (Effects.Accept accept : effects.accepts()) {
      if (!persisted) {
        d.decline(List.of(accept.offer().getId()), Filters.newBuilder().setRefuseSeconds(1)
            .build());
        continue;
      }
      Offer.Operation launch = Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH)
          .setLaunch(Offer.Operation.Launch.newBuilder().addAllTaskInfos(accept.tasks()))
          .build();
      d.accept(List.of(accept.offer().getId()), List.of(launch),
          Filters.newBuilder().setRefuseSeconds(settings.refuseSecondsWithDemand()).build())
          .whenComplete((ok, error) -> {
            if (error != null) {
              LOG.warn("ACCEPT of offer={} failed: {}", accept.offer().getId().getValue(),
                  error.getMessage());
            }
          });
    }
    for (Effects.Decline decline : effects.declines()) {
      d.decline(List.of(decline.offer().getId()), Filters.newBuilder()
          .setRefuseSeconds(decline.refuseSeconds()).build());
    }
    for (Effects.Kill kill : effects.kills()) {
      d.kill(TaskID.newBuilder().setValue(kill.taskId()).build(), kill.agentId().isEmpty()
          ? null : AgentID.newBuilder().setValue(kill.agentId()).build());
    }
    if (effects.revive()) {
      d.revive(List.of());
    }
    List<Call.Reconcile.Task> tasks = new ArrayList<>();
    for (Effects.ReconcileTask task : effects.reconcile()) {
      tasks.add(Call.Reconcile.Task.newBuilder()
          .setTaskId(TaskID.newBuilder().setValue(task.taskId()))
          .setAgentId(AgentID.newBuilder().setValue(task.agentId())).build());
    }
    if (!tasks.isEmpty()) {
      d.reconcile(tasks);
    }
    if (effects.reconcileImplicit()) {
      d.reconcile(List.of());
    }
  }

  private void deliver(List<ObjectNode> events) {
    for (ObjectNode event : events) {
      for (Consumer<ObjectNode> listener : listeners) {
        listener.accept(event);
      }
    }
  }

  private void execute(Runnable task) {
    try {
      loop.execute(() -> onLoop(task));
    } catch (RejectedExecutionException e) {
      LOG.debug("marathon loop closed; input dropped");
    }
  }

  private static void onLoop(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      LOG.error("marathon loop task failed; the loop continues", e);
    }
  }

  @Override
  public void close() {
    loop.shutdownNow();
    try {
      loop.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
