package io.cairn.framework.runtime.internal.driver;

import io.cairn.framework.FrameworkStatus;
import io.cairn.framework.Leadership;
import io.cairn.framework.Scheduler;
import io.cairn.framework.runtime.internal.core.Backoff;
import io.cairn.framework.runtime.internal.core.HeartbeatWatchdog;
import io.cairn.framework.runtime.internal.core.MasterInfos;
import io.cairn.proto.mesos.v1.Protos.FrameworkID;
import io.cairn.proto.mesos.v1.Protos.FrameworkInfo;
import io.cairn.proto.mesos.v1.scheduler.Protos.Call;
import io.cairn.proto.mesos.v1.scheduler.Protos.Event;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.leader.Participant;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One registered {@link Scheduler} on this node: its leader election ({@code
 * /cairn/frameworks/<name>/leader}, Curator {@link LeaderLatch}), and while it leads, its
 * subscription to the leading master (found under {@code /mesos}) with the FrameworkID stored at
 * {@code /cairn/frameworks/<name>/id}.
 *
 * <pre>
 *  standby --elected--> connecting --200--> streaming --SUBSCRIBED--> subscribed
 *     ^                    |  ^  307: follow (3x)                        |
 *     |                    |  +--- backoff <--- refused/ended/silent ----+
 *     +---- not leader / close (TEARDOWN when failover_timeout is 0) ----+
 * </pre>
 *
 * <p>Threading: every state change and every {@link Scheduler} callback runs on this framework's
 * one thread ({@code cairn-framework-<name>}), in event order; a reader thread per stream only
 * decodes records and hands them over; HTTP calls are asynchronous. ZooKeeper calls block the
 * framework thread briefly (Curator's own retry policy bounds them).
 */
public final class FrameworkInstance implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FrameworkInstance.class);
  private static final int MAX_REDIRECTS = 3;
  private static final int MAX_RECORD_BYTES = 64 * 1024 * 1024;
  private static final long TICK_MS = 1000;

  /** Tunables of every instance. */
  public record Settings(String nodeParticipant, String mesosPath, Backoff backoff,
      int missedHeartbeats, long subscribeTimeoutMs, long teardownTimeoutMs) {}

  private final Scheduler scheduler;
  private final String name;
  private final CuratorFramework curator;
  private final HttpClient http;
  private final Settings settings;
  private final ScheduledExecutorService loop;
  private final LeaderLatch latch;
  private final String participant;

  // Confined to the loop.
  private boolean leading;
  private boolean closed;
  private boolean retryPending;
  private int failures;
  private int generation;
  private Stream stream;
  private String lastLeaderSeen = "";
  private boolean lastLeaderKnown;
  private FrameworkID frameworkId;
  private String lastProblem = "";

  private volatile FrameworkStatus status;

  /** A subscription attempt: its stream once the master answered 200. */
  private static final class Stream {
    final int generation;
    final String master;
    final HeartbeatWatchdog watchdog;
    String streamId;
    InputStream body;
    HttpSchedulerDriver driver;
    boolean subscribed;

    Stream(int generation, String master, HeartbeatWatchdog watchdog) {
      this.generation = generation;
      this.master = master;
      this.watchdog = watchdog;
    }
  }

  public FrameworkInstance(Scheduler scheduler, CuratorFramework curator, HttpClient http,
      Settings settings) {
    this.scheduler = scheduler;
    this.name = scheduler.frameworkInfo().getName();
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException("framework name '" + name + "' must match"
          + " [A-Za-z0-9][A-Za-z0-9._-]* (it names its ZooKeeper path)");
    }
    this.curator = curator;
    this.http = http;
    this.settings = settings;
    String own = scheduler.instanceAddress();
    this.participant = own == null || own.isBlank() ? settings.nodeParticipant() : own;
    this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "cairn-framework-" + name);
      thread.setDaemon(true);
      return thread;
    });
    this.latch = new LeaderLatch(curator, basePath() + "/leader", participant);
    this.status = new FrameworkStatus(name, "", Leadership.standby("", false), false, "");
  }

  public String name() {
    return name;
  }

  public Scheduler scheduler() {
    return scheduler;
  }

  public FrameworkStatus status() {
    return status;
  }

  private String basePath() {
    return "/cairn/frameworks/" + name;
  }

  /** Joins the election; the instance subscribes once elected. */
  public void start() {
    latch.addListener(new LeaderLatchListener() {
      @Override
      public void isLeader() {
        onLeadership(true);
      }

      @Override
      public void notLeader() {
        onLeadership(false);
      }
    }, loop);
    loop.execute(() -> {
      try {
        latch.start();
        LOG.info("framework={} joined election participant={}", name, participant);
      } catch (Exception e) { // LeaderLatch.start declares Exception.
        LOG.error("framework={} cannot join the election; it will not run on this node", name,
            e);
      }
    });
    loop.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
  }

  private void onLeadership(boolean elected) {
    if (closed) {
      return;
    }
    leading = elected;
    LOG.info("framework={} {} participant={}", name, elected ? "leads" : "lost leadership",
        participant);
    if (elected) {
      callback("leadership", () -> scheduler.leadership(Leadership.leader(participant)));
      failures = 0;
      connect();
    } else {
      dropStream("leadership lost", true);
      observeLeader(true);
    }
    publishStatus();
  }

  // ---- subscribing ----

  private void connect() {
    retryPending = false;
    if (!leading || closed || stream != null) {
      return;
    }
    Optional<String> master;
    try {
      master = findMaster();
      frameworkId = readFrameworkId().orElse(null);
    } catch (Exception e) { // Curator's blocking calls declare Exception.
      retryLater("ZooKeeper not reachable: " + e);
      return;
    }
    if (master.isEmpty()) {
      retryLater("no leading master under " + settings.mesosPath());
      return;
    }
    subscribe(master.get(), MAX_REDIRECTS);
  }

  private Optional<String> findMaster() throws Exception {
    if (curator.checkExists().forPath(settings.mesosPath()) == null) {
      return Optional.empty();
    }
    List<String> children = curator.getChildren().forPath(settings.mesosPath());
    Optional<String> leader = MasterInfos.leaderZnode(children);
    if (leader.isEmpty()) {
      return Optional.empty();
    }
    try {
      byte[] data = curator.getData().forPath(settings.mesosPath() + "/" + leader.get());
      return Optional.of(MasterInfos.address(data));
    } catch (KeeperException.NoNodeException e) {
      LOG.debug("framework={} master znode={} vanished while read", name, leader.get());
      return Optional.empty();
    }
  }

  private Optional<FrameworkID> readFrameworkId() throws Exception {
    String path = basePath() + "/id";
    if (curator.checkExists().forPath(path) == null) {
      return Optional.empty();
    }
    String id = new String(curator.getData().forPath(path), StandardCharsets.UTF_8).strip();
    return id.isEmpty() ? Optional.empty() : Optional.of(FrameworkID.newBuilder().setValue(id)
        .build());
  }

  private void subscribe(String master, int redirectsLeft) {
    FrameworkInfo.Builder info = scheduler.frameworkInfo().toBuilder().clearId();
    Call.Builder call = Call.newBuilder().setType(Call.Type.SUBSCRIBE);
    if (frameworkId != null) {
      info.setId(frameworkId);
      call.setFrameworkId(frameworkId);
    }
    call.setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info));
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + master
            + "/api/v1/scheduler")).timeout(Duration.ofMillis(settings.subscribeTimeoutMs()))
        .header("Content-Type", HttpSchedulerDriver.PROTOBUF)
        .header("Accept", HttpSchedulerDriver.PROTOBUF)
        .POST(HttpRequest.BodyPublishers.ofByteArray(call.build().toByteArray())).build();
    int attempt = ++generation;
    Stream pending = new Stream(attempt, master, new HeartbeatWatchdog(
        settings.missedHeartbeats(), settings.subscribeTimeoutMs(), nowMs()));
    stream = pending;
    LOG.info("framework={} subscribing master={} framework_id={}", name, master,
        frameworkId == null ? "(new)" : frameworkId.getValue());
    http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()).whenCompleteAsync(
        (response, error) -> onSubscribeAnswer(pending, redirectsLeft, response, error), loop);
  }

  private void onSubscribeAnswer(Stream pending, int redirectsLeft,
      HttpResponse<InputStream> response, Throwable error) {
    if (stream != pending || closed) {
      if (response != null) {
        closeQuietly(response.body());
      }
      return;
    }
    if (error != null) {
      stream = null;
      retryLater("SUBSCRIBE to " + pending.master + " failed: " + error.getMessage());
      return;
    }
    int code = response.statusCode();
    if (code == 200) {
      pending.streamId = response.headers().firstValue("Mesos-Stream-Id").orElse("");
      pending.body = response.body();
      startReader(pending);
      publishStatus();
      return;
    }
    String text = readText(response.body());
    stream = null;
    Optional<String> target = code == 307
        ? response.headers().firstValue("Location").flatMap(MasterInfos::redirectTarget)
        : Optional.empty();
    if (target.isPresent() && redirectsLeft > 0) {
      LOG.info("framework={} redirected from master={} to {}", name, pending.master,
          target.get());
      subscribe(target.get(), redirectsLeft - 1);
      return;
    }
    retryLater("SUBSCRIBE answered " + code + " by " + pending.master + ": " + text);
  }

  private void startReader(Stream subscribed) {
    Thread reader = new Thread(() -> EventReader.read(subscribed.body, MAX_RECORD_BYTES,
        event -> loop.execute(() -> onEvent(subscribed, event)),
        reason -> loop.execute(() -> onStreamEnded(subscribed, reason))),
        "cairn-framework-" + name + "-stream-" + subscribed.generation);
    reader.setDaemon(true);
    reader.start();
  }

  private void retryLater(String problem) {
    failures++;
    lastProblem = problem;
    publishStatus();
    if (retryPending || closed || !leading) {
      return;
    }
    long delay = settings.backoff().delayMs(failures);
    LOG.warn("framework={} not subscribed: {}; retrying in {} ms (attempt {})", name, problem,
        delay, failures);
    retryPending = true;
    loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
  }

  // ---- events ----

  private void onEvent(Stream from, Event event) {
    if (stream != from || closed) {
      return;
    }
    from.watchdog.event(nowMs());
    switch (event.getType()) {
      case SUBSCRIBED -> onSubscribed(from, event.getSubscribed());
      case OFFERS -> callback("offers", () -> scheduler.offers(from.driver,
          event.getOffers().getOffersList()));
      case RESCIND -> callback("rescind", () -> scheduler.rescind(from.driver,
          event.getRescind().getOfferId()));
      case UPDATE -> onUpdate(from, event.getUpdate());
      case MESSAGE -> callback("message", () -> scheduler.message(from.driver,
          event.getMessage().getAgentId(), event.getMessage().getExecutorId(),
          event.getMessage().getData().toByteArray()));
      case FAILURE -> callback("failure", () -> scheduler.failure(from.driver,
          event.getFailure()));
      case ERROR -> onError(from, event.getError().getMessage());
      case HEARTBEAT -> LOG.trace("framework={} heartbeat", name);
      default -> LOG.debug("framework={} ignores event type={}", name, event.getType());
    }
  }

  private void onSubscribed(Stream from, Event.Subscribed subscribed) {
    if (from.driver == null && !subscribed.hasFrameworkId()) {
      LOG.error("framework={} SUBSCRIBED without a framework_id; dropping the stream", name);
      dropStream("SUBSCRIBED without framework_id", false);
      return;
    }
    frameworkId = subscribed.getFrameworkId();
    from.subscribed = true;
    from.watchdog.subscribed(subscribed.getHeartbeatIntervalSeconds(), nowMs());
    from.driver = new HttpSchedulerDriver(http, from.master, from.streamId, frameworkId);
    failures = 0;
    lastProblem = "";
    storeFrameworkId(frameworkId);
    LOG.info("framework={} subscribed framework_id={} master={} stream={}", name,
        frameworkId.getValue(), from.master, from.streamId);
    publishStatus();
    callback("subscribed", () -> scheduler.subscribed(from.driver, subscribed));
  }

  private void onUpdate(Stream from, Event.Update update) {
    if (from.driver == null) {
      return;
    }
    var taskStatus = update.getStatus();
    boolean ok = callback("update", () -> scheduler.update(from.driver, taskStatus));
    if (ok && scheduler.implicitAcknowledgements() && taskStatus.hasUuid()
        && !taskStatus.getUuid().isEmpty()) {
      from.driver.acknowledge(taskStatus.getAgentId(), taskStatus.getTaskId(),
          taskStatus.getUuid()).whenComplete((v, error) -> {
            if (error != null) {
              LOG.warn("framework={} acknowledgement of task={} failed (the master resends the"
                  + " update): {}", name, taskStatus.getTaskId().getValue(), error.getMessage());
            }
          });
    }
  }

  private void onError(Stream from, String message) {
    LOG.warn("framework={} ERROR from master={}: {}", name, from.master, message);
    if (from.driver != null) {
      callback("error", () -> scheduler.error(from.driver, message));
    }
    // The master refused or removed this FrameworkID: forget it and subscribe afresh.
    if (frameworkId != null) {
      deleteFrameworkId();
      frameworkId = null;
    }
    dropStream("ERROR: " + message, true);
    retryLater("master sent ERROR: " + message);
  }

  private void onStreamEnded(Stream from, String reason) {
    if (stream != from) {
      return;
    }
    dropStream("stream ended: " + reason, true);
    retryLater("stream from " + from.master + " ended: " + reason);
  }

  /** Forgets the current stream, closing it; tells the scheduler when it was subscribed. */
  private void dropStream(String reason, boolean tell) {
    Stream current = stream;
    stream = null;
    if (current == null) {
      return;
    }
    if (current.driver != null) {
      current.driver.end(reason);
    }
    closeQuietly(current.body);
    LOG.info("framework={} subscription closed master={} reason={}", name, current.master,
        reason);
    if (tell && current.subscribed && !closed) {
      callback("disconnected", scheduler::disconnected);
    }
    publishStatus();
  }

  // ---- timers ----

  private void tick() {
    if (closed) {
      return;
    }
    Stream current = stream;
    if (current != null && current.body != null && current.watchdog.expired(nowMs())) {
      LOG.warn("framework={} master={} silent for {} ms (missed heartbeats); reconnecting",
          name, current.master, current.watchdog.silentMs(nowMs()));
      dropStream("missed heartbeats", true);
      retryLater("missed heartbeats from " + current.master);
    }
    if (!leading) {
      observeLeader(false);
    }
  }

  /** Tells a standby scheduler who leads when that changed. */
  private void observeLeader(boolean force) {
    String leader = "";
    boolean known = false;
    try {
      Participant p = latch.getLeader();
      known = p.isLeader();
      leader = known ? p.getId() : "";
    } catch (Exception e) { // LeaderLatch.getLeader declares Exception.
      LOG.debug("framework={} leader unknown: {}", name, e.toString());
    }
    if (force || !leader.equals(lastLeaderSeen) || known != lastLeaderKnown) {
      lastLeaderSeen = leader;
      lastLeaderKnown = known;
      Leadership standby = Leadership.standby(leader, known);
      callback("leadership", () -> scheduler.leadership(standby));
      publishStatus();
    }
  }

  // ---- ZooKeeper ----

  private void storeFrameworkId(FrameworkID id) {
    try {
      curator.create().orSetData().creatingParentsIfNeeded().forPath(basePath() + "/id",
          id.getValue().getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) { // Curator declares Exception.
      LOG.warn("framework={} FrameworkID={} not stored in ZooKeeper (a later leader would"
          + " register afresh): {}", name, id.getValue(), e.toString());
    }
  }

  private void deleteFrameworkId() {
    try {
      curator.delete().quietly().forPath(basePath() + "/id");
    } catch (Exception e) { // Curator declares Exception.
      LOG.warn("framework={} stored FrameworkID not deleted: {}", name, e.toString());
    }
  }

  // ---- closing ----

  /**
   * The Scheduler went away (bundle stopped, updated or uninstalled): with {@code
   * failover_timeout} 0 the framework is torn down (its tasks are killed); otherwise the
   * subscription is only closed, so the master keeps the tasks for the failover timeout and the
   * next instance re-subscribes with the stored FrameworkID.
   */
  @Override
  public void close() {
    close(true);
  }

  /**
   * Stops this instance. {@code schedulerGone}: the Scheduler service itself went away (TEARDOWN
   * applies); otherwise the runtime stops (ZooKeeper endpoint change, runtime deactivated) and the
   * subscription is only closed, whatever the failover timeout.
   */
  public void close(boolean schedulerGone) {
    try {
      loop.submit(() -> closeOnLoop(schedulerGone)).get(settings.teardownTimeoutMs() + 5_000,
          TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("framework={} did not close cleanly: {}", name, e.toString());
    }
    loop.shutdownNow();
  }

  private void closeOnLoop(boolean schedulerGone) {
    if (closed) {
      return;
    }
    Stream current = stream;
    boolean teardown = schedulerGone && current != null && current.subscribed
        && scheduler.frameworkInfo().getFailoverTimeout() == 0;
    if (teardown) {
      try {
        current.driver.teardownFinal().toCompletableFuture().get(settings.teardownTimeoutMs(),
            TimeUnit.MILLISECONDS);
        LOG.info("framework={} torn down framework_id={} (failover_timeout is 0)", name,
            frameworkId.getValue());
        deleteFrameworkId();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        LOG.warn("framework={} TEARDOWN failed; the master removes it after its failover"
            + " timeout: {}", name, e.toString());
      }
    }
    closed = true;
    dropStream(teardown ? "torn down" : "scheduler unregistered", false);
    try {
      latch.close();
    } catch (IOException | IllegalStateException e) {
      LOG.warn("framework={} leader latch not closed (its session ends it): {}", name,
          e.toString());
    }
    leading = false;
    LOG.info("framework={} stopped on this node (failover_timeout={}s, {})", name,
        scheduler.frameworkInfo().getFailoverTimeout(), teardown ? "torn down"
            : "tasks kept for fail-over");
  }

  // ---- helpers ----

  private boolean callback(String what, Runnable call) {
    try {
      call.run();
      return true;
    } catch (RuntimeException e) {
      // A scheduler bug must not kill the framework thread: logged for the operator, and the
      // event is not acknowledged (so the master resends updates).
      LOG.error("framework={} scheduler callback {} threw", name, what, e);
      return false;
    }
  }

  private void publishStatus() {
    Stream current = stream;
    Leadership leadership = leading ? Leadership.leader(participant)
        : Leadership.standby(lastLeaderSeen, lastLeaderKnown);
    status = new FrameworkStatus(name, frameworkId == null ? "" : frameworkId.getValue(),
        leadership, current != null && current.subscribed,
        current == null ? "" : current.master);
  }

  /** The last reason a subscription failed, for the shell. */
  public String lastProblem() {
    return lastProblem;
  }

  private static long nowMs() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
  }

  private static String readText(InputStream body) {
    try (InputStream in = body) {
      return new String(in.readNBytes(4096), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "(body unreadable: " + e.getMessage() + ")";
    }
  }

  private static void closeQuietly(InputStream body) {
    if (body == null) {
      return;
    }
    try {
      body.close();
    } catch (IOException e) {
      LOG.debug("stream close failed: {}", e.toString());
    }
  }
}
