package io.cairn.framework.jobs.internal.component;

import io.cairn.env.Clock;
import io.cairn.framework.Leadership;
import io.cairn.framework.Scheduler;
import io.cairn.framework.SchedulerDriver;
import io.cairn.framework.jobs.internal.core.JobsCore;
import io.cairn.framework.jobs.internal.core.Refusal;
import io.cairn.proto.mesos.v1.Protos.AgentID;
import io.cairn.proto.mesos.v1.Protos.Attribute;
import io.cairn.proto.mesos.v1.Protos.CommandInfo;
import io.cairn.proto.mesos.v1.Protos.Filters;
import io.cairn.proto.mesos.v1.Protos.FrameworkInfo;
import io.cairn.proto.mesos.v1.Protos.Offer;
import io.cairn.proto.mesos.v1.Protos.OfferID;
import io.cairn.proto.mesos.v1.Protos.Resource;
import io.cairn.proto.mesos.v1.Protos.TaskID;
import io.cairn.proto.mesos.v1.Protos.TaskInfo;
import io.cairn.proto.mesos.v1.Protos.TaskStatus;
import io.cairn.proto.mesos.v1.scheduler.Protos.Call;
import io.cairn.proto.mesos.v1.scheduler.Protos.Event;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs framework as a {@link Scheduler}: drives a {@link JobsCore} on one thread ({@code
 * cairn-jobs}) from the runtime's callbacks, a one-second tick, and REST/shell requests; carries
 * out its effects (ZooKeeper writes through {@link JobsStore}, KILL, REVIVE) and answers offers with
 * LAUNCH or DECLINE. Only the leading instance holds state: on election it loads every job and run
 * from ZooKeeper, then reconciles the runs' tasks once subscribed.
 *
 * <p>Threading: Scheduler callbacks arrive on the runtime's framework thread and are handed to the
 * jobs thread (UPDATE waits for it, so the acknowledgement follows the stored state); REST and
 * shell calls go through {@link #call}.
 */
public final class JobsFramework implements Scheduler {
  private static final Logger LOG = LoggerFactory.getLogger(JobsFramework.class);
  private static final long UPDATE_WAIT_MS = 10_000;

  private final JobsConfig config;
  private final Clock clock;
  private final String instanceAddress;
  private final JobsCore core;
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "cairn-jobs");
    thread.setDaemon(true);
    return thread;
  });

  private volatile Leadership leadership = Leadership.standby("", false);
  private volatile boolean ready;
  // Confined to the loop.
  private JobsStore store;
  private SchedulerDriver driver;
  private boolean leading;

  /** Thrown to REST callers on a standby or before the state is loaded. */
  public static final class NotLeading extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Leadership leadership;

    NotLeading(Leadership leadership, String message) {
      super(message);
      this.leadership = leadership;
    }

    public Leadership leadership() {
      return leadership;
    }
  }

  JobsFramework(JobsConfig config, Clock clock, String instanceAddress) {
    this.config = config;
    this.clock = clock;
    this.instanceAddress = instanceAddress;
    this.core = new JobsCore(new JobsCore.Settings(config.historyMax(), 3_600_000, 1000,
        10_000));
    loop.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
  }

  /** Storage became available (or went away, with null). */
  void useStore(JobsStore newStore) {
    loop.execute(() -> {
      store = newStore;
      if (newStore == null && ready) {
        // Without storage nothing may change: REST answers 503 until ZooKeeper is back.
        ready = false;
        LOG.warn("jobs framework lost its ZooKeeper store; requests wait for it");
      }
      load();
    });
  }

  void close() {
    loop.shutdownNow();
  }

  // ---- Scheduler ----

  @Override
  public FrameworkInfo frameworkInfo() {
    return FrameworkInfo.newBuilder().setName(config.frameworkName()).setUser(config.user())
        .addRoles(config.role()).setFailoverTimeout(config.failoverTimeoutSeconds())
        .setCheckpoint(true).addCapabilities(FrameworkInfo.Capability.newBuilder()
            .setType(FrameworkInfo.Capability.Type.MULTI_ROLE))
        .setWebuiUrl("http://" + instanceAddress + "/v1/jobs").build();
  }

  @Override
  public String instanceAddress() {
    return instanceAddress;
  }

  @Override
  public void leadership(Leadership newLeadership) {
    leadership = newLeadership;
    loop.execute(() -> {
      leading = newLeadership.leading();
      if (!leading) {
        ready = false;
        driver = null;
        core.restore(List.of(), List.of(), clock.wallMillis());
        core.drain();
      }
      load();
    });
  }

  @Override
  public void subscribed(SchedulerDriver newDriver, Event.Subscribed subscribed) {
    loop.execute(() -> {
      driver = newDriver;
      reconcile();
      effects();
    });
  }

  @Override
  public void offers(SchedulerDriver offerDriver, List<Offer> offers) {
    loop.execute(() -> handleOffers(offerDriver, offers));
  }

  @Override
  public void update(SchedulerDriver updateDriver, TaskStatus status) {
    try {
      loop.submit(() -> {
        core.taskStatus(status.getTaskId().getValue(), status.getState().name(),
            status.getMessage(), clock.wallMillis());
        effects();
      }).get(UPDATE_WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted; update not acknowledged", e);
    } catch (ExecutionException | TimeoutException e) {
      // Not acknowledged: the master sends the update again.
      throw new IllegalStateException("update of task " + status.getTaskId().getValue()
          + " not processed: " + e, e);
    }
  }

  @Override
  public void disconnected() {
    loop.execute(() -> driver = null);
  }

  @Override
  public void error(SchedulerDriver errorDriver, String message) {
    LOG.warn("jobs framework ERROR from the master: {}", message);
    loop.execute(() -> driver = null);
  }

  // ---- REST and shell ----

  /** Runs {@code action} on the core, on the leader only; effects are carried out after it. */
  public <T> CompletableFuture<T> call(Function<JobsCore, T> action) {
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      loop.execute(() -> {
        if (!ready) {
          result.completeExceptionally(new NotLeading(leadership, leading
              ? "the jobs framework leads but has not loaded its state yet; retry shortly"
              : "this instance is a standby; the leader is " + (leadership.leaderKnown()
                  ? leadership.leaderAddress() : "not elected yet")));
          return;
        }
        try {
          result.complete(action.apply(core));
        } catch (Refusal | IllegalArgumentException e) {
          result.completeExceptionally(e);
        } finally {
          effects();
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      result.completeExceptionally(new NotLeading(leadership, "the jobs framework is stopping"));
    }
    return result;
  }

  public Leadership leadershipNow() {
    return leadership;
  }

  public long nowMs() {
    return clock.wallMillis();
  }

  // ---- on the loop ----

  private void load() {
    if (!leading || ready || store == null) {
      return;
    }
    try {
      core.restore(store.specs(), store.runs(), clock.wallMillis());
      ready = true;
      LOG.info("jobs framework leads: loaded jobs={} activeRuns={}", core.jobs().size(),
          core.activeRuns().size());
      reconcile();
      effects();
    } catch (Exception e) { // Curator declares Exception; retried by the tick.
      LOG.warn("jobs state not loaded from ZooKeeper yet (retrying every second): {}",
          e.toString());
    }
  }

  private void tick() {
    if (!ready) {
      load();
      return;
    }
    core.tick(clock.wallMillis());
    effects();
  }

  private void reconcile() {
    if (driver == null || !ready) {
      return;
    }
    List<Call.Reconcile.Task> tasks = new ArrayList<>();
    core.activeTasks().forEach((task, agent) -> tasks.add(Call.Reconcile.Task.newBuilder()
        .setTaskId(TaskID.newBuilder().setValue(task)).setAgentId(AgentID.newBuilder()
            .setValue(agent)).build()));
    if (!tasks.isEmpty()) {
      LOG.info("jobs framework reconciles tasks={}", tasks.size());
      driver.reconcile(tasks).whenComplete((v, e) -> {
        if (e != null) {
          LOG.warn("reconciliation not sent (retried at the next subscription): {}", e.toString());
        }
      });
    }
  }

  private void effects() {
    for (JobsCore.Effect effect : core.drain()) {
      try {
        if (store != null && store.apply(effect)) {
          continue;
        }
      } catch (Exception e) { // Curator declares Exception.
        LOG.error("jobs framework could not store {} in ZooKeeper; a new leader would not see"
            + " it: {}", effect, e.toString());
        continue;
      }
      SchedulerDriver d = driver;
      if (d == null) {
        continue;
      }
      if (effect instanceof JobsCore.Kill kill) {
        d.kill(TaskID.newBuilder().setValue(kill.taskId()).build(), kill.agentId().isEmpty()
            ? null : AgentID.newBuilder().setValue(kill.agentId()).build());
      } else if (effect instanceof JobsCore.Revive) {
        d.revive(List.of());
      }
    }
  }

  private void handleOffers(SchedulerDriver offerDriver, List<Offer> offers) {
    if (!ready) {
      offerDriver.decline(offers.stream().map(Offer::getId).toList(),
          Filters.newBuilder().setRefuseSeconds(5).build());
      return;
    }
    Map<String, Offer> byId = new HashMap<>();
    List<JobsCore.OfferView> views = new ArrayList<>();
    for (Offer offer : offers) {
      byId.put(offer.getId().getValue(), offer);
      views.add(view(offer));
    }
    long now = clock.wallMillis();
    JobsCore.OfferDecision decision = core.offers(views, now);
    Map<String, List<TaskInfo>> launches = new HashMap<>();
    for (JobsCore.Launch launch : decision.launches()) {
      launches.computeIfAbsent(launch.offerId(), k -> new ArrayList<>()).add(task(
          byId.get(launch.offerId()), launch));
    }
    launches.forEach((offerId, tasks) -> {
      LOG.info("jobs framework launches tasks={} on offer={}", tasks.stream().map(t -> t
          .getTaskId().getValue()).toList(), offerId);
      offerDriver.accept(List.of(OfferID.newBuilder().setValue(offerId).build()),
          List.of(Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH)
              .setLaunch(Offer.Operation.Launch.newBuilder().addAllTaskInfos(tasks)).build()),
          Filters.newBuilder().setRefuseSeconds(1).build()).whenComplete((v, e) -> {
            if (e != null) {
              loop.execute(() -> {
                for (TaskInfo t : tasks) {
                  core.taskStatus(t.getTaskId().getValue(), "TASK_ERROR", "ACCEPT refused: "
                      + e.getMessage(), clock.wallMillis());
                }
                effects();
              });
            }
          });
    });
    if (!decision.declined().isEmpty()) {
      offerDriver.decline(decision.declined().stream().map(id -> OfferID.newBuilder()
          .setValue(id).build()).toList(), Filters.newBuilder()
          .setRefuseSeconds(core.hasPending(now) ? 2 : 30).build());
    }
    effects();
  }

  static JobsCore.OfferView view(Offer offer) {
    double cpus = 0;
    double mem = 0;
    double disk = 0;
    for (Resource r : offer.getResourcesList()) {
      if (r.getType() != io.cairn.proto.mesos.v1.Protos.Value.Type.SCALAR) {
        continue;
      }
      switch (r.getName()) {
        case "cpus" -> cpus += r.getScalar().getValue();
        case "mem" -> mem += r.getScalar().getValue();
        case "disk" -> disk += r.getScalar().getValue();
        default -> { }
      }
    }
    Map<String, String> attributes = new HashMap<>();
    for (Attribute a : offer.getAttributesList()) {
      attributes.put(a.getName(), switch (a.getType()) {
        case TEXT -> a.getText().getValue();
        case SCALAR -> stripZero(a.getScalar().getValue());
        default -> a.toString();
      });
    }
    return new JobsCore.OfferView(offer.getId().getValue(), offer.getAgentId().getValue(),
        offer.getHostname(), cpus, mem, disk, attributes);
  }

  private static String stripZero(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  private static TaskInfo task(Offer offer, JobsCore.Launch launch) {
    TaskInfo.Builder task = TaskInfo.newBuilder().setName(launch.spec().id())
        .setTaskId(TaskID.newBuilder().setValue(launch.run().taskId()))
        .setAgentId(offer.getAgentId())
        .setCommand(CommandInfo.newBuilder().setShell(true).setValue(launch.spec().cmd()));
    addScalar(task, offer, "cpus", launch.spec().cpus());
    addScalar(task, offer, "mem", launch.spec().memMb());
    addScalar(task, offer, "disk", launch.spec().diskMb());
    return task.build();
  }

  /** Takes {@code amount} of a scalar from the offer's resources, keeping their role fields. */
  private static void addScalar(TaskInfo.Builder task, Offer offer, String name, double amount) {
    double left = amount;
    for (Resource r : offer.getResourcesList()) {
      if (left <= 1e-9) {
        return;
      }
      if (r.getName().equals(name) && r.hasScalar()) {
        double take = Math.min(left, r.getScalar().getValue());
        task.addResources(r.toBuilder().setScalar(r.getScalar().toBuilder().setValue(take)));
        left -= take;
      }
    }
  }
}
