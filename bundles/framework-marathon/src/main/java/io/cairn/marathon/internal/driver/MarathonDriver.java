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
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives the {@link MarathonCore} on one thread ({@code cairn-marathon}): scheduler callbacks, API
 * calls and a one-second tick are queued to it; after each input the core's {@link Effects} are
 * executed in order: persist the writes (ZooKeeper), then call the master through the
 * {@link SchedulerDriver}, then publish the events. A core exists only while this instance leads;
 * on election it is rebuilt from the store.
 *
 * <p>Persistence is pipelined: the loop hands each input's effects, as a batch, to a second
 * thread ({@code cairn-marathon-store}) and goes on with the next input. That thread takes every
 * batch queued so far, writes all their writes at once (instance writes as ZooKeeper
 * {@code multi} transactions, {@link ZkStateStore}), and only then sends the batches' calls to
 * the master and publishes their events, batch by batch in loop order. So an instance is durable
 * before the ACCEPT that launches it leaves (a new leader never misses a launched task), while the
 * loop never waits for ZooKeeper. Effects without writes skip the store thread when no batch is in
 * flight; otherwise they queue behind the batches before them, so calls keep the loop's order. An
 * API call's answer waits for its own batch (a 201 means stored). At most
 * {@value #PENDING_WRITES_MAX} writes wait; beyond that the loop waits (backpressure). Status
 * updates that queue up while the loop is busy are handed to the core together
 * ({@link MarathonCore#updates}).
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
  /** Characters of a readiness response body kept. */
  static final int PROBE_BODY_CHARS_MAX = 4096;

  /** Readiness probes (HTTP GETs against tasks). */
  private final HttpClient probes = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();
  /**
   * Marathon-level HTTPS health checks: as Marathon's, they do not verify the task's certificate
   * (nor its host name); created on first use.
   */
  private volatile HttpClient insecureProbes;
  /** Writes handed to the store thread and not yet written, at most. */
  static final int PENDING_WRITES_MAX = 50_000;

  private final ExecutorService storeThread = Executors.newSingleThreadExecutor(runnable -> {
    Thread thread = new Thread(runnable, "cairn-marathon-store");
    thread.setDaemon(true);
    return thread;
  });
  /** Batches handed to the store thread, in loop order. */
  private final ConcurrentLinkedQueue<Batch> batches = new ConcurrentLinkedQueue<>();
  /** Batches queued and not yet sent (the loop reads it to keep calls in order). */
  private final AtomicInteger batchesInFlight = new AtomicInteger();
  private final Semaphore pendingWrites = new Semaphore(PENDING_WRITES_MAX);
  /** Status updates waiting for the loop; drained by one queued task. */
  private final ConcurrentLinkedQueue<TaskStatus> statuses = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean statusesQueued = new AtomicBoolean();
  /** Bumped on every change of the leading core; batches of an older core are dropped. */
  private volatile long term;
  /** The leading core's state as of its last input (null when none leads); see {@link Reads}. */
  private volatile Stamp stamp;
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
        term++;
        core = null;
        stamp = null;
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
      term++;
      core = fresh;
      publishStamp();
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
    statuses.add(status);
    if (statusesQueued.compareAndSet(false, true)) {
      execute(() -> {
        schedulerDriver = driver;
        statusesQueued.set(false);
        List<TaskStatus> arrived = new ArrayList<>();
        for (TaskStatus next; (next = statuses.poll()) != null; ) {
          arrived.add(next);
        }
        if (core != null && !arrived.isEmpty()) {
          core.updates(arrived, clock.wallMillis());
          flush();
        }
      });
    }
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
          flush().whenComplete((done, error) -> {
            if (error != null) {
              result.completeExceptionally(error);
            } else {
              result.complete(value);
            }
          });
        } catch (RuntimeException e) {
          core.drain(); // a rejected command leaves no effects behind
          publishStamp();
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

  /**
   * Adds an event listener (SSE stream); events arrive in order, on the loop thread or on the
   * store thread (after the writes of their input are stored).
   */
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

  /** The core's identity (term) and state version after the last input. */
  private record Stamp(long term, long stateVersion) {}

  private void publishStamp() {
    stamp = new Stamp(term, core.stateVersion());
  }

  /**
   * A read whose result is reused while the leading core's state is unchanged: {@link #get}
   * answers from the last result, without a trip to the loop, when the core has not changed
   * since it was computed (per {@link MarathonCore#stateVersion}, published before any answer
   * leaves the loop, so a read that follows an acknowledged write sees it). Otherwise the
   * function runs on the loop. {@code build} must return an immutable value.
   */
  public final class Reads<T> {
    private final Function<MarathonCore, T> build;
    private volatile Object[] last; // {Stamp, T}

    private Reads(Function<MarathonCore, T> build) {
      this.build = build;
    }

    @SuppressWarnings("unchecked")
    public CompletableFuture<T> get() {
      Object[] cached = last;
      Stamp now = stamp;
      if (cached != null && now != null && cached[0].equals(now) && leadership.leading()) {
        return CompletableFuture.completedFuture((T) cached[1]);
      }
      return call(core -> {
        T value = build.apply(core);
        last = new Object[] {new Stamp(term, core.stateVersion()), value};
        return value;
      });
    }
  }

  /** A cached read of the leading core (see {@link Reads}). */
  public <T> Reads<T> reads(Function<MarathonCore, T> build) {
    return new Reads<>(build);
  }

  // ---------------------------------------------------------------- the loop

  private void tick() {
    if (core != null) {
      core.tick(clock.wallMillis());
      flush();
    }
  }

  /**
   * Executes the core's effects: at once when there is nothing to store and nothing in flight,
   * else through the store thread. The future completes once they are stored and sent.
   */
  private CompletableFuture<Void> flush() {
    publishStamp(); // before any answer leaves: a read after it sees this input's state
    Effects effects = core.drain();
    if (effects.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    SchedulerDriver d = schedulerDriver;
    if (effects.writes().isEmpty() && batchesInFlight.get() == 0) {
      if (d != null) {
        send(d, effects, true);
      }
      deliver(effects.events());
      return CompletableFuture.completedFuture(null);
    }
    int writes = Math.min(effects.writes().size(), PENDING_WRITES_MAX);
    try {
      pendingWrites.acquire(writes);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.debug("marathon closing: {} writes not persisted", effects.writes().size());
      return CompletableFuture.failedFuture(new NotLeader());
    }
    Batch batch = new Batch(effects, store, d, term, writes);
    batches.add(batch);
    batchesInFlight.incrementAndGet();
    try {
      storeThread.execute(this::storeBatches);
    } catch (RejectedExecutionException e) {
      LOG.debug("marathon closing: {} writes not persisted", effects.writes().size());
      batch.done.completeExceptionally(new NotLeader());
    }
    return batch.done;
  }

  /** One input's effects on their way through the store thread. */
  private static final class Batch {
    final Effects effects;
    final ZkStateStore store;
    final SchedulerDriver schedulerDriver;
    final long term;
    final int permits;
    final CompletableFuture<Void> done = new CompletableFuture<>();

    Batch(Effects effects, ZkStateStore store, SchedulerDriver schedulerDriver, long term,
        int permits) {
      this.effects = effects;
      this.store = store;
      this.schedulerDriver = schedulerDriver;
      this.term = term;
      this.permits = permits;
    }
  }

  /**
   * On the store thread: takes every queued batch, writes their writes in one go, then sends and
   * publishes each batch's effects in order. Batches of a term that ended are dropped (a new
   * leader owns the state now).
   */
  private void storeBatches() {
    List<Batch> taken = new ArrayList<>();
    for (Batch next; (next = batches.poll()) != null; ) {
      taken.add(next);
    }
    if (taken.isEmpty()) {
      return; // an earlier run took these batches
    }
    try {
      List<Batch> current = new ArrayList<>();
      for (Batch batch : taken) {
        if (batch.term != term) {
          batch.done.completeExceptionally(new NotLeader());
        } else {
          current.add(batch);
        }
      }
      boolean persisted = persist(current);
      for (Batch batch : current) {
        if (batch.schedulerDriver != null && batch.term == term) {
          send(batch.schedulerDriver, batch.effects, persisted);
        }
        deliver(batch.effects.events());
        batch.done.complete(null);
      }
    } catch (RuntimeException e) {
      LOG.error("marathon store thread failed on {} batches; their calls are not sent", taken.size(),
          e);
      taken.forEach(batch -> batch.done.completeExceptionally(e));
    } finally {
      for (Batch batch : taken) {
        pendingWrites.release(batch.permits);
        batchesInFlight.decrementAndGet();
      }
    }
  }

  /** Writes the batches' writes, in order, to their store; false when that failed. */
  private boolean persist(List<Batch> current) {
    List<Effects.Write> writes = new ArrayList<>();
    ZkStateStore target = null;
    for (Batch batch : current) {
      writes.addAll(batch.effects.writes());
      target = batch.store;
    }
    if (writes.isEmpty()) {
      return true;
    }
    try {
      target.write(writes);
      return true;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      if (storeThread.isShutdown()) {
        LOG.debug("marathon closing: {} writes not persisted ({})", writes.size(), e.toString());
        return false;
      }
      LOG.error("marathon could not persist {} writes to ZooKeeper; launches of this round are"
          + " declined and will be retried", writes.size(), e);
      return false;
    }
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
    effects.probes().forEach(this::probe);
    effects.healthProbes().forEach(this::healthProbe);
  }

  /**
   * Runs one Marathon-level health check against a task (HTTP/HTTPS GET: passes on 200-399, a
   * 1xx with {@code ignoreHttp1xx} is no result; TCP: passes when a connection opens) and reports
   * it to the core of the same term on the loop.
   */
  private void healthProbe(Effects.HealthProbe probe) {
    long probeTerm = term;
    Duration timeout = Duration.ofSeconds(Math.max(1, probe.timeoutSeconds()));
    if (probe.protocol().equals("TCP")) {
      tcpProbe(probe, probeTerm, timeout);
      return;
    }
    HttpRequest request;
    try {
      request = HttpRequest.newBuilder(URI.create(probe.url())).timeout(timeout).GET().build();
    } catch (IllegalArgumentException e) {
      reportHealth(probeTerm, probe, false, "bad health check URL " + probe.url() + ": "
          + e.getMessage());
      return;
    }
    HttpClient client = probe.protocol().equals("HTTPS") ? insecureProbes() : probes;
    client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete(
        (response, error) -> {
          if (error != null) {
            reportHealth(probeTerm, probe, false, "GET " + probe.url() + " failed: "
                + error.getMessage());
            return;
          }
          int status = response.statusCode();
          if (status >= 100 && status < 200 && probe.ignoreHttp1xx()) {
            return; // discarded, as Marathon does: the health stays as it is
          }
          boolean passed = status >= 200 && status < 400;
          reportHealth(probeTerm, probe, passed, passed ? null : "GET " + probe.url()
              + " answered HTTP " + status);
        });
  }

  private void tcpProbe(Effects.HealthProbe probe, long probeTerm, Duration timeout) {
    AsynchronousSocketChannel channel;
    try {
      channel = AsynchronousSocketChannel.open();
    } catch (IOException e) {
      reportHealth(probeTerm, probe, false, "could not open a socket: " + e.getMessage());
      return;
    }
    AtomicBoolean reported = new AtomicBoolean();
    String target = probe.host() + ":" + probe.port();
    java.util.concurrent.ScheduledFuture<?> timer;
    try {
      timer = loop.schedule(() -> {
        if (reported.compareAndSet(false, true)) {
          closeQuietly(channel);
          reportHealth(probeTerm, probe, false, "TCP connection to " + target
              + " timed out after " + timeout.toSeconds() + " s");
        }
      }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      closeQuietly(channel);
      return; // closing
    }
    try {
      channel.connect(new InetSocketAddress(probe.host(), probe.port()), null,
          new CompletionHandler<Void, Void>() {
            @Override
            public void completed(Void result, Void attachment) {
              finish(true, null);
            }

            @Override
            public void failed(Throwable error, Void attachment) {
              finish(false, "TCP connection to " + target + " failed: " + error);
            }

            private void finish(boolean passed, String cause) {
              timer.cancel(false);
              closeQuietly(channel);
              if (reported.compareAndSet(false, true)) {
                reportHealth(probeTerm, probe, passed, cause);
              }
            }
          });
    } catch (RuntimeException e) { // unresolved host, bad port
      timer.cancel(false);
      closeQuietly(channel);
      if (reported.compareAndSet(false, true)) {
        reportHealth(probeTerm, probe, false, "TCP connection to " + target + " failed: " + e);
      }
    }
  }

  private static void closeQuietly(AsynchronousSocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debug("closing a health check socket failed; nothing else to do", e);
    }
  }

  private HttpClient insecureProbes() {
    HttpClient client = insecureProbes;
    if (client == null) {
      try {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustAnyCertificate()}, null);
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .sslContext(context).build();
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalStateException("no TLS context for HTTPS health checks", e);
      }
      insecureProbes = client;
    }
    return client;
  }

  /**
   * Accepts every server certificate. Being an {@link X509ExtendedTrustManager}, JSSE leaves the
   * host name check to it, so none is made either: Marathon's HTTPS health checks verify
   * neither. Used only for health probes of the tasks this Marathon launched.
   */
  private static final class TrustAnyCertificate extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  private void reportHealth(long probeTerm, Effects.HealthProbe probe, boolean passed,
      String cause) {
    execute(() -> {
      if (core != null && term == probeTerm) {
        core.health(probe.taskId(), probe.checkIndex(), passed, cause, clock.wallMillis());
        flush();
      }
    });
  }

  /**
   * Runs one readiness probe (HTTP GET, at most {@value #PROBE_BODY_CHARS_MAX} characters of the
   * body kept) and reports it to the core of the same term on the loop.
   */
  private void probe(Effects.ReadinessProbe probe) {
    long probeTerm = term;
    HttpRequest request;
    try {
      request = HttpRequest.newBuilder(URI.create(probe.url()))
          .timeout(Duration.ofSeconds(Math.max(1, probe.timeoutSeconds()))).GET().build();
    } catch (IllegalArgumentException e) {
      reportProbe(probeTerm, probe, 0, null, "bad readiness URL " + probe.url() + ": "
          + e.getMessage());
      return;
    }
    probes.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete(
        (response, error) -> {
          if (error != null) {
            reportProbe(probeTerm, probe, 0, null, "GET " + probe.url() + " failed: "
                + error.getMessage());
          } else {
            String body = response.body();
            reportProbe(probeTerm, probe, response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(""),
                body.length() > PROBE_BODY_CHARS_MAX ? body.substring(0, PROBE_BODY_CHARS_MAX)
                    : body);
          }
        });
  }

  private void reportProbe(long probeTerm, Effects.ReadinessProbe probe, int status,
      String contentType, String body) {
    execute(() -> {
      if (core != null && term == probeTerm) {
        core.readiness(probe.taskId(), status, contentType, body, clock.wallMillis());
        flush();
      }
    });
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
      storeThread.shutdownNow();
      storeThread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
