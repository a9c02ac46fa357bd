package io.cairn.bench.marathon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.cairn.env.Clock;
import io.cairn.framework.Leadership;
import io.cairn.framework.SchedulerDriver;
import io.cairn.marathon.internal.core.MarathonCore;
import io.cairn.marathon.internal.driver.MarathonDriver;
import io.cairn.marathon.internal.http.MarathonApi;
import io.cairn.marathon.internal.http.MarathonHttpServer;
import io.cairn.marathon.internal.store.ZkStateStore;
import io.cairn.proto.mesos.v1.Protos.AgentID;
import io.cairn.proto.mesos.v1.Protos.ExecutorID;
import io.cairn.proto.mesos.v1.Protos.Filters;
import io.cairn.proto.mesos.v1.Protos.FrameworkID;
import io.cairn.proto.mesos.v1.Protos.Offer;
import io.cairn.proto.mesos.v1.Protos.OfferID;
import io.cairn.proto.mesos.v1.Protos.Resource;
import io.cairn.proto.mesos.v1.Protos.TaskID;
import io.cairn.proto.mesos.v1.Protos.TaskInfo;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import io.cairn.proto.mesos.v1.Protos.TaskStatus;
import io.cairn.proto.mesos.v1.Protos.Value;
import io.cairn.proto.mesos.v1.scheduler.Protos.Call;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;

/**
 * Marathon at scale (issue 9), in one process: the real Marathon leader ({@link MarathonDriver},
 * its core, its state in an in-process Apache ZooKeeper server through Curator, the Netty REST
 * server on loopback), wired as {@code RestApiTest} wires it, and a simulated master
 * ({@link SimMaster}: agents without processes) that offers the agents' free resources and answers
 * every LAUNCH with TASK_RUNNING through {@link MarathonDriver#update}, the callback the framework
 * runtime calls.
 *
 * <p>Phases: (0) the baseline: the same K·N tasks launched through a fresh simulated master by a
 * minimal scheduler (no store, no core; {@link #baselineLaunchRate}), so that Marathon's launch
 * rate is reported as a ratio to what the master side sustains in the same run on the same
 * (noisy) machine; (1) POST K apps of N instances each, one at a time, over HTTP (no offers yet), timing
 * each POST; (2) offers start; timed from the first offer until Marathon has seen every instance
 * running (its K-th {@code deployment_success} event); (3) closed-loop GET /v2/apps and GET
 * /v2/apps?embed=apps.tasks over HTTP with K apps and K·N running tasks (bodies read as bytes).
 *
 * <p>Options: --apps K (1,000), --instances N (10), --requests R (200 per GET variant, after 20
 * unmeasured ones), --agents A (100; 640 tasks fit on one), --launch-seconds S (0 = no limit:
 * cut the launch phase after S seconds, print the partial rate and measure the GETs on the state
 * reached), --master-rate R (4,700: the real master's tasks/s per MasterBench, for the printed
 * ratio), --timeout-seconds S (300, the whole run). During the launches a sampler shows where
 * Marathon's loop thread spends its time.
 */
public final class MarathonBench {
  static final double GET_P99_GOAL_MS = 50.0;
  static final double LAUNCH_GOAL_PER_S = 4_000.0; // the master's goal (issue 6)
  /** The real master's rate as MasterBench measured it (issue 6); --master-rate overrides. */
  static final double MASTER_BENCH_TASKS_PER_S = 4_700.0;
  static final int WARMUP_GETS = 20;
  static final ObjectMapper JSON = new ObjectMapper();

  private MarathonBench() {}

  public static void main(String[] args) throws Exception {
    int apps = 1_000;
    int instances = 10;
    int requests = 200;
    int agents = 100;
    long timeoutSeconds = 300;
    long launchSeconds = 0;
    double masterRate = MASTER_BENCH_TASKS_PER_S;
    for (int i = 0; i < args.length; i += 2) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      try {
        switch (args[i]) {
          case "--apps" -> apps = Integer.parseInt(value);
          case "--instances" -> instances = Integer.parseInt(value);
          case "--requests" -> requests = Integer.parseInt(value);
          case "--agents" -> agents = Integer.parseInt(value);
          case "--timeout-seconds" -> timeoutSeconds = Long.parseLong(value);
          case "--launch-seconds" -> launchSeconds = Long.parseLong(value);
          case "--master-rate" -> masterRate = Double.parseDouble(value);
          default -> throw new IllegalArgumentException("unknown option '" + args[i]
              + "'; expected --apps, --instances, --requests, --agents, --launch-seconds, "
              + "--master-rate, --timeout-seconds");
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(args[i] + " needs a whole number; got '" + value + "'");
      }
    }
    if (!(masterRate > 0)) {
      throw new IllegalArgumentException("--master-rate must be > 0 tasks/s (MasterBench's "
          + "'tasks launched/s'); got " + masterRate);
    }
    if (apps < 1 || instances < 1 || requests < 1 || agents < 1 || timeoutSeconds < 1
        || launchSeconds < 0) {
      throw new IllegalArgumentException("--apps, --instances, --requests, --agents and "
          + "--timeout-seconds must be >= 1; got " + apps + ", " + instances + ", " + requests
          + ", " + agents + ", " + timeoutSeconds);
    }
    // Each agent offers 64 cpus; a task needs 0.1 of them (and 32 MB, one port of 2,000).
    long capacity = (long) agents * 640;
    if ((long) apps * instances > capacity) {
      throw new IllegalArgumentException("--agents " + agents + " hold at most " + capacity
          + " tasks; asked for " + (long) apps * instances);
    }
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
        System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
    run(apps, instances, requests, agents, Duration.ofSeconds(launchSeconds),
        Duration.ofSeconds(timeoutSeconds), masterRate, System.out);
  }

  static void run(int apps, int instances, int requests, int agents, Duration launchBudget,
      Duration timeout, double masterRate, PrintStream out) throws Exception {
    long tasks = (long) apps * instances;
    out.printf(Locale.ROOT, "Marathon bench: %,d apps x %,d instances = %,d tasks on %,d "
        + "simulated agents; java %s, %d cpus, loadavg %s%n", apps, instances, tasks, agents,
        Runtime.version(), Runtime.getRuntime().availableProcessors(), loadAverage());
    MarathonCore.Settings marathonDefaults = MarathonCore.Settings.defaults();
    // The baseline is short (well under a second): the median of three runs, all printed.
    double[] baselines = new double[3];
    for (int i = 0; i < baselines.length; i++) {
      baselines[i] = baselineLaunchRate(tasks, agents, marathonDefaults.maxInstancesPerOffer(),
          timeout);
    }
    double[] sortedBaselines = baselines.clone();
    Arrays.sort(sortedBaselines);
    double baseline = sortedBaselines[1];
    out.printf(Locale.ROOT, "baseline launched/s     : %,.0f/s median of %,.0f, %,.0f, %,.0f  "
        + "(%,d tasks RUNNING through the same simulated master, launched by a minimal scheduler: "
        + "no store, no core, %d per ACCEPT as Marathon; the simulated master is far cheaper than "
        + "the real one, see MasterBench)%n", baseline, baselines[0], baselines[1],
        baselines[2], tasks, marathonDefaults.maxInstancesPerOffer());
    // The state store is a real ZooKeeper server; its fsync is off so that the figures are
    // Marathon's (and the machine's disk stays quiet for the Raft benches that share it).
    System.setProperty("zookeeper.forceSync", "no");
    Path dir = Files.createTempDirectory("marathon-bench");
    ZooKeeperServer zk = new ZooKeeperServer(new File(dir.toFile(), "snap"),
        new File(dir.toFile(), "log"), 2000);
    ServerCnxnFactory factory = ServerCnxnFactory.createFactory(
        new InetSocketAddress("127.0.0.1", 0), 20);
    CuratorFramework curator = null;
    MarathonDriver marathon = null;
    MarathonHttpServer http = null;
    SimMaster master = null;
    try {
      factory.startup(zk);
      curator = CuratorFrameworkFactory.newClient("127.0.0.1:" + factory.getLocalPort(),
          new RetryOneTime(100));
      curator.start();
      curator.blockUntilConnected();
      ZkStateStore store = new ZkStateStore(curator, "/marathon");
      // Marathon's defaults, but --max_running_deployments raised to K: the bench posts every
      // app before the first offer, so K deployments run at once.
      MarathonCore.Settings defaults = MarathonCore.Settings.defaults();
      MarathonCore.Settings settings = new MarathonCore.Settings(
          defaults.maxInstancesPerOffer(), defaults.refuseSecondsWithDemand(),
          defaults.refuseSecondsWithoutDemand(), Math.max(defaults.maxRunningDeployments(), apps),
          defaults.reconcileIntervalMillis(), defaults.maxVersionsPerApp());
      marathon = new MarathonDriver(Clock.system(), settings, () -> store, 1);
      http = new MarathonHttpServer(marathon, new MarathonApi(marathon,
          new MarathonApi.Info("marathon", "1.11.0-cairn", "127.0.0.1:0", "zk", 0)), "");
      String leader = "127.0.0.1:" + http.start("127.0.0.1", 0).getPort();
      http.advertise(leader);
      MarathonDriver driver = marathon;
      master = new SimMaster(new Framework() {
        @Override
        public void offers(SchedulerDriver d, List<Offer> offers) {
          driver.offers(d, offers);
        }

        @Override
        public void update(SchedulerDriver d, TaskStatus status) {
          driver.update(d, status);
        }
      }, agents);
      marathon.leadership(Leadership.leader(leader));
      marathon.subscribed(master);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!marathon.isSubscribed()) {
        check(deadline, "Marathon to lead and subscribe");
        Thread.sleep(10);
      }
      CountDownLatch deployed = new CountDownLatch(apps);
      AtomicLong lastDeployedNanos = new AtomicLong();
      marathon.addListener(event -> {
        if ("deployment_success".equals(event.path("eventType").asText())) {
          lastDeployedNanos.set(System.nanoTime());
          deployed.countDown();
        }
      });
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build();

      // (1) POST K apps, one at a time.
      long[] posts = new long[apps];
      int width = Integer.toString(apps - 1).length();
      for (int i = 0; i < apps; i++) {
        String id = String.format(Locale.ROOT, "/bench/g%02d/app-%0" + width + "d", i % 50, i);
        String body = "{\"id\":\"" + id + "\",\"cmd\":\"sleep 3600\",\"cpus\":0.1,\"mem\":32,"
            + "\"instances\":" + instances + ",\"labels\":{\"bench\":\"marathon\"}}";
        long start = System.nanoTime();
        HttpResponse<String> response = send(client, leader, "POST", "/v2/apps", body);
        posts[i] = System.nanoTime() - start;
        if (response.statusCode() != 201) {
          throw new IllegalStateException("POST /v2/apps " + id + " answered "
              + response.statusCode() + ": " + response.body());
        }
        check(deadline, "the POSTs");
      }
      Arrays.sort(posts);
      double postP50 = quantileMillis(posts, 0.50);
      double postP99 = quantileMillis(posts, 0.99);
      out.printf(Locale.ROOT, "POST /v2/apps           : %,d POSTs, p50 %.2f ms, p99 %.2f ms, max "
          + "%.2f ms  (no goal in issue 9; %.2fx / %.2fx the GET goal of %.0f ms)%n", apps,
          postP50, postP99, posts[apps - 1] / 1e6, postP50 / GET_P99_GOAL_MS,
          postP99 / GET_P99_GOAL_MS, GET_P99_GOAL_MS);

      // (2) Offers in -> every instance RUNNING.
      StackSampler sampler = StackSampler.start("cairn-marathon");
      long offersStart = System.nanoTime();
      long launchDeadline = launchBudget.isZero() ? Long.MAX_VALUE
          : offersStart + launchBudget.toNanos();
      master.start();
      boolean finished = true;
      while (!deployed.await(100, TimeUnit.MILLISECONDS)) {
        if (System.nanoTime() > launchDeadline) {
          finished = false;
          break;
        }
        check(deadline, "the launches (" + master.running() + " of " + tasks + " running, "
            + (apps - deployed.getCount()) + " of " + apps + " deployments done)");
      }
      if (finished) {
        double launchSeconds = (lastDeployedNanos.get() - offersStart) / 1e9;
        double rate = tasks / launchSeconds;
        out.printf(Locale.ROOT, "tasks launched/s        : %,.0f/s  (%,d tasks RUNNING and %,d "
            + "deployments done in %.2f s after the first offer; %,d offers, %,d accepted, %,d "
            + "declined; %.2fx the goal of >= %,.0f/s, the master's)%n", rate, tasks, apps,
            launchSeconds, master.offered(), master.accepted(), master.declined(),
            rate / LAUNCH_GOAL_PER_S, LAUNCH_GOAL_PER_S);
        out.printf(Locale.ROOT, "Marathon / baseline     : %.2f  (%,.0f/s through Marathon vs "
            + "%,.0f/s through the same simulated master without it; ZooKeeper multi "
            + "transactions: %,d)%n", rate / baseline, rate, baseline, store.transactions());
        out.printf(Locale.ROOT, "Marathon / real master  : %.2f  (%,.0f/s vs MasterBench's %,.0f/s, "
            + "--master-rate)%n", rate / masterRate, rate, masterRate);
      } else {
        master.close(); // no more offers nor updates; Marathon drains what is queued
        marathon.call(core -> null).get(timeout.toSeconds(), TimeUnit.SECONDS);
        double launchSeconds = (System.nanoTime() - offersStart) / 1e9;
        long done = apps - deployed.getCount();
        double rate = master.running() / launchSeconds;
        out.printf(Locale.ROOT, "tasks launched/s        : NOT FINISHED within --launch-seconds "
            + "%d: %,d of %,d tasks RUNNING, %,d of %,d deployments done in %.2f s after the "
            + "first offer = %,.0f/s  (%.3fx the goal of >= %,.0f/s, the master's)%n",
            launchBudget.toSeconds(), master.running(), tasks, done, apps, launchSeconds, rate,
            rate / LAUNCH_GOAL_PER_S, LAUNCH_GOAL_PER_S);
      }
      String profile = sampler.stopAndReport(8);
      out.printf(Locale.ROOT, "where the Marathon loop thread was during the launches (%,d "
          + "stack samples, inclusive):%n%s", sampler.samples(), profile);
      if (!master.violations().isEmpty()
          || (finished && master.running() != tasks)) {
        throw new IllegalStateException("the simulated master ran " + master.running()
            + " tasks, expected " + tasks + "; violations: " + master.violations());
      }
      long expectedRunning = finished ? tasks : master.running();

      // (3) GETs with K apps / K*N tasks.
      JsonNode listed = JSON.readTree(send(client, leader, "GET", "/v2/apps", null).body());
      long running = 0;
      for (JsonNode app : listed.get("apps")) {
        running += app.get("tasksRunning").asLong();
      }
      if (listed.get("apps").size() != apps || running != expectedRunning) {
        throw new IllegalStateException("GET /v2/apps lists " + listed.get("apps").size()
            + " apps with " + running + " tasks running; expected " + apps + " and "
            + expectedRunning);
      }
      if (!finished) {
        out.printf(Locale.ROOT, "GETs below: %,d apps but only %,d of %,d tasks (launch phase "
            + "cut); lower bounds for the goal's size%n", apps, running, tasks);
      }
      for (String path : List.of("/v2/apps", "/v2/apps?embed=apps.tasks")) {
        long bytes = 0;
        for (int i = 0; i < WARMUP_GETS; i++) {
          bytes = get(client, leader, path).body().length;
        }
        long[] gets = new long[requests];
        for (int i = 0; i < requests; i++) {
          long start = System.nanoTime();
          HttpResponse<byte[]> response = get(client, leader, path);
          gets[i] = System.nanoTime() - start;
          if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode());
          }
        }
        Arrays.sort(gets);
        double p50 = quantileMillis(gets, 0.50);
        double p99 = quantileMillis(gets, 0.99);
        out.printf(Locale.ROOT, "GET %-25s: %,d GETs (%,.0f kB each), p50 %.2f ms, p99 %.2f ms, max"
            + " %.2f ms  (p99 %.2fx the goal of <= %.0f ms)%n", path, requests, bytes / 1e3, p50,
            p99, gets[requests - 1] / 1e6, p99 / GET_P99_GOAL_MS, GET_P99_GOAL_MS);
      }
      out.printf(Locale.ROOT, "loadavg after: %s%n", loadAverage());
    } finally {
      if (master != null) {
        master.close();
      }
      if (http != null) {
        http.close();
      }
      if (marathon != null) {
        marathon.close();
      }
      if (curator != null) {
        curator.close();
      }
      factory.shutdown();
      zk.shutdown();
      deleteTree(dir);
    }
  }

  static HttpResponse<String> send(HttpClient client, String host, String method, String path,
      String body) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + path))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body)).build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /**
   * A timed GET: the body is read as bytes, as a proxy or a JSON parser reading a stream gets it
   * (not decoded into a String, which would time the bench's own UTF-8 decoding of megabytes).
   */
  static HttpResponse<byte[]> get(HttpClient client, String host, String path)
      throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + path))
        .timeout(Duration.ofSeconds(30)).GET().build();
    return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The {@code q}-quantile of sorted nanosecond samples, in milliseconds. */
  static double quantileMillis(long[] sorted, double q) {
    int index = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
    return sorted[index] / 1e6;
  }

  static void check(long deadlineNanos, String what) {
    if (System.nanoTime() > deadlineNanos) {
      throw new IllegalStateException("timed out (--timeout-seconds) waiting for " + what);
    }
  }

  static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** What the simulated master calls back: Marathon, or the baseline scheduler. */
  interface Framework {
    void offers(SchedulerDriver driver, List<Offer> offers);

    void update(SchedulerDriver driver, TaskStatus status);
  }

  /**
   * The baseline: the same simulated master driven by a minimal scheduler (no state store, no
   * core, no REST) that launches the same tasks (0.1 cpus, 32 MB, one port) with the same shape
   * (at most {@code maxInstancesPerOffer} per ACCEPT), on its own thread as Marathon's loop is.
   * Its rate is what the master side sustains; Marathon's rate is reported against it.
   */
  static double baselineLaunchRate(long tasks, int agents, int perOffer, Duration timeout)
      throws Exception {
    ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread t = new Thread(runnable, "baseline-scheduler");
      t.setDaemon(true);
      return t;
    });
    CountDownLatch running = new CountDownLatch((int) tasks);
    AtomicLong launched = new AtomicLong();
    AtomicLong lastRunningNanos = new AtomicLong();
    Framework scheduler = new Framework() {
      @Override
      public void offers(SchedulerDriver d, List<Offer> offers) {
        loop.execute(() -> {
          for (Offer offer : offers) {
            List<TaskInfo> batch = new ArrayList<>();
            int port = firstPort(offer);
            while (batch.size() < perOffer && launched.get() < tasks && port > 0) {
              long n = launched.incrementAndGet();
              batch.add(TaskInfo.newBuilder().setName("baseline-" + n)
                  .setTaskId(TaskID.newBuilder().setValue("baseline-" + n))
                  .setAgentId(offer.getAgentId())
                  .addResources(SimMaster.scalar("cpus", 0.1))
                  .addResources(SimMaster.scalar("mem", 32))
                  .addResources(Resource.newBuilder().setName("ports").setType(Value.Type.RANGES)
                      .setRanges(Value.Ranges.newBuilder().addRange(Value.Range.newBuilder()
                          .setBegin(port).setEnd(port))))
                  .build());
              port = port + 1 <= lastPort(offer) ? port + 1 : -1;
            }
            if (batch.isEmpty()) {
              d.decline(List.of(offer.getId()), Filters.newBuilder().setRefuseSeconds(120)
                  .build());
            } else {
              d.accept(List.of(offer.getId()), List.of(Offer.Operation.newBuilder()
                  .setType(Offer.Operation.Type.LAUNCH).setLaunch(Offer.Operation.Launch
                      .newBuilder().addAllTaskInfos(batch)).build()), Filters.newBuilder()
                  .setRefuseSeconds(5).build());
            }
          }
        });
      }

      @Override
      public void update(SchedulerDriver d, TaskStatus status) {
        loop.execute(() -> {
          lastRunningNanos.set(System.nanoTime());
          running.countDown();
        });
      }
    };
    try (SimMaster master = new SimMaster(scheduler, agents)) {
      long start = System.nanoTime();
      master.start();
      if (!running.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("baseline: only " + (tasks - running.getCount()) + " of "
            + tasks + " tasks RUNNING within " + timeout.toSeconds() + " s");
      }
      if (!master.violations().isEmpty()) {
        throw new IllegalStateException("baseline violations: " + master.violations());
      }
      return tasks / ((lastRunningNanos.get() - start) / 1e9);
    } finally {
      loop.shutdownNow();
    }
  }

  /** The first port the offer holds in its lowest range, or -1. */
  private static int firstPort(Offer offer) {
    for (Resource r : offer.getResourcesList()) {
      if (r.getName().equals("ports") && r.getRanges().getRangeCount() > 0) {
        return (int) r.getRanges().getRange(0).getBegin();
      }
    }
    return -1;
  }

  private static int lastPort(Offer offer) {
    for (Resource r : offer.getResourcesList()) {
      if (r.getName().equals("ports") && r.getRanges().getRangeCount() > 0) {
        return (int) r.getRanges().getRange(0).getEnd();
      }
    }
    return -1;
  }

  /**
   * A master with simulated agents, as Marathon sees it through the {@link SchedulerDriver}: each
   * agent offers its free resources (64 cpus, 256 GB, 1 TB disk, ports 31000-32999); an offer is
   * outstanding until Marathon accepts or declines it, and the agent's remainder is offered again
   * at once (no allocation interval, so that Marathon is what is measured). Declines' refuse
   * filters are honoured until a REVIVE. Every launched task is answered with TASK_RUNNING through
   * {@link MarathonDriver#update}. Strict like the tests' recording driver: an unknown offer, a
   * task on another agent or resources the offer did not hold are violations.
   *
   * <p>Threading: Marathon calls the driver on its loop thread; every call is handed to this
   * master's own thread ({@code sim-master}), which owns all its state.
   */
  static final class SimMaster implements SchedulerDriver, AutoCloseable {
    private static final FrameworkID FRAMEWORK = FrameworkID.newBuilder().setValue("fw-bench")
        .build();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
        runnable -> {
          Thread t = new Thread(runnable, "sim-master");
          t.setDaemon(true);
          return t;
        });
    private final Framework marathon;
    private final Agent[] agents;
    private final Map<String, Agent> outstanding = new HashMap<>(); // offer id -> agent
    private final List<String> violations = new ArrayList<>();
    private volatile long offered;
    private volatile long accepted;
    private volatile long declined;
    private volatile long running;
    private boolean started;
    private boolean roundQueued;

    private static final class Agent {
      final String id;
      double cpus = 64;
      double mem = 256 * 1024;
      double disk = 1024 * 1024;
      final boolean[] usedPorts = new boolean[2000]; // 31000..32999
      boolean offerOut;
      long refusedUntilMillis;

      Agent(String id) {
        this.id = id;
      }
    }

    SimMaster(Framework marathon, int agentCount) {
      this.marathon = marathon;
      this.agents = new Agent[agentCount];
      for (int i = 0; i < agentCount; i++) {
        agents[i] = new Agent(String.format(Locale.ROOT, "agent-%05d", i));
      }
    }

    /** Starts offering (and, like an allocator interval, retries filtered agents each second). */
    void start() {
      thread.execute(() -> {
        started = true;
        round();
      });
      thread.scheduleWithFixedDelay(this::queueRound, 1, 1, TimeUnit.SECONDS);
    }

    long offered() {
      return offered;
    }

    long accepted() {
      return accepted;
    }

    long declined() {
      return declined;
    }

    long running() {
      return running;
    }

    List<String> violations() {
      if (thread.isShutdown()) {
        return List.copyOf(violations); // the thread has ended (close waits): safe to read
      }
      try {
        return thread.submit(() -> List.copyOf(violations)).get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("sim-master did not answer", e);
      }
    }

    private void queueRound() {
      if (!roundQueued) {
        roundQueued = true;
        thread.execute(this::round);
      }
    }

    /** Offers every agent that has no offer out, is not filtered and has cpus left. */
    private void round() {
      roundQueued = false;
      if (!started) {
        return;
      }
      long now = System.currentTimeMillis();
      List<Offer> batch = new ArrayList<>();
      for (Agent agent : agents) {
        if (agent.offerOut || agent.refusedUntilMillis > now || agent.cpus < 0.1) {
          continue;
        }
        String offerId = "o-" + (offered + 1);
        offered++;
        Offer.Builder offer = Offer.newBuilder().setId(OfferID.newBuilder().setValue(offerId))
            .setFrameworkId(FRAMEWORK).setAgentId(AgentID.newBuilder().setValue(agent.id))
            .setHostname(agent.id + ".bench").addResources(scalar("cpus", agent.cpus))
            .addResources(scalar("mem", agent.mem)).addResources(scalar("disk", agent.disk));
        Value.Ranges.Builder ports = Value.Ranges.newBuilder();
        int begin = -1;
        for (int p = 0; p <= agent.usedPorts.length; p++) {
          boolean free = p < agent.usedPorts.length && !agent.usedPorts[p];
          if (free && begin < 0) {
            begin = p;
          } else if (!free && begin >= 0) {
            ports.addRange(Value.Range.newBuilder().setBegin(31000 + begin)
                .setEnd(31000 + p - 1));
            begin = -1;
          }
        }
        offer.addResources(Resource.newBuilder().setName("ports").setType(Value.Type.RANGES)
            .setRanges(ports));
        agent.offerOut = true;
        outstanding.put(offerId, agent);
        batch.add(offer.build());
      }
      if (!batch.isEmpty()) {
        marathon.offers(this, batch);
      }
    }

    static Resource scalar(String name, double value) {
      return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
          .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
    }

    @Override
    public Optional<FrameworkID> frameworkId() {
      return Optional.of(FRAMEWORK);
    }

    @Override
    public CompletionStage<Void> accept(Collection<OfferID> offerIds,
        List<Offer.Operation> operations, Filters filters) {
      List<OfferID> ids = List.copyOf(offerIds);
      return on(() -> {
        for (OfferID id : ids) {
          Agent agent = outstanding.remove(id.getValue());
          if (agent == null) {
            violations.add("ACCEPT of unknown or used offer " + id.getValue());
            continue;
          }
          agent.offerOut = false;
          accepted++;
          for (Offer.Operation operation : operations) {
            for (TaskInfo task : operation.getLaunch().getTaskInfosList()) {
              launch(agent, task);
            }
          }
        }
        // The remainder is offered at once (Mesos: at the next allocation). A refuse filter on
        // an ACCEPT covers only the offer's unused resources; it is not honoured here, so that
        // Marathon, not an allocation interval, bounds the launch rate.
        queueRound();
      });
    }

    private void launch(Agent agent, TaskInfo task) {
      if (!task.getAgentId().getValue().equals(agent.id)) {
        violations.add("task " + task.getTaskId().getValue() + " on another agent");
        return;
      }
      for (Resource r : task.getResourcesList()) {
        switch (r.getName()) {
          case "cpus" -> agent.cpus -= r.getScalar().getValue();
          case "mem" -> agent.mem -= r.getScalar().getValue();
          case "disk" -> agent.disk -= r.getScalar().getValue();
          case "ports" -> {
            for (Value.Range range : r.getRanges().getRangeList()) {
              for (long p = range.getBegin(); p <= range.getEnd(); p++) {
                int slot = (int) (p - 31000);
                if (slot < 0 || slot >= agent.usedPorts.length || agent.usedPorts[slot]) {
                  violations.add("task " + task.getTaskId().getValue() + " port " + p
                      + " not offered");
                  return;
                }
                agent.usedPorts[slot] = true;
              }
            }
          }
          default -> { }
        }
      }
      if (agent.cpus < -1e-9 || agent.mem < -1e-9 || agent.disk < -1e-9) {
        violations.add("task " + task.getTaskId().getValue() + " over-commits " + agent.id);
      }
      running++;
      marathon.update(this, TaskStatus.newBuilder().setTaskId(task.getTaskId())
          .setAgentId(task.getAgentId()).setState(TaskState.TASK_RUNNING)
          .setTimestamp(System.currentTimeMillis() / 1000.0).build());
    }

    @Override
    public CompletionStage<Void> decline(Collection<OfferID> offerIds, Filters filters) {
      List<OfferID> ids = List.copyOf(offerIds);
      return on(() -> {
        for (OfferID id : ids) {
          Agent agent = outstanding.remove(id.getValue());
          if (agent == null) {
            violations.add("DECLINE of unknown or used offer " + id.getValue());
            continue;
          }
          declined++;
          agent.offerOut = false;
          agent.refusedUntilMillis = System.currentTimeMillis()
              + (long) (filters.getRefuseSeconds() * 1000);
        }
      });
    }

    @Override
    public CompletionStage<Void> revive(Collection<String> roles) {
      return on(() -> {
        for (Agent agent : agents) {
          agent.refusedUntilMillis = 0;
        }
        queueRound();
      });
    }

    @Override
    public CompletionStage<Void> suppress(Collection<String> roles) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> kill(TaskID taskId, AgentID agentId) {
      return on(() -> violations.add("KILL of " + taskId.getValue() + " (the bench kills none)"));
    }

    @Override
    public CompletionStage<Void> acknowledge(AgentID agentId, TaskID taskId, ByteString uuid) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> reconcile(List<Call.Reconcile.Task> tasks) {
      return CompletableFuture.completedFuture(null); // every task is RUNNING already
    }

    @Override
    public CompletionStage<Void> message(AgentID agentId, ExecutorID executorId, byte[] data) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> teardown() {
      return CompletableFuture.completedFuture(null);
    }

    private CompletionStage<Void> on(Runnable action) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      try {
        thread.execute(() -> {
          action.run();
          done.complete(null);
        });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        done.completeExceptionally(new IllegalStateException("the simulated master has stopped"));
      }
      return done;
    }

    @Override
    public void close() {
      thread.shutdownNow();
      try {
        thread.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * A poor man's profiler: samples one thread's stack every 5 ms and counts, per sample, every
   * {@code io.cairn.marathon} method on it (inclusive time; lambdas and the loop's wrapper left
   * out), whether the thread was in a ZooKeeper call, and samples with neither (idle). Cheap enough to run during the measurement (one getThreadInfo per 5 ms).
   */
  static final class StackSampler {
    private final Map<String, Integer> counts = new HashMap<>();
    private final Thread sampler;
    private volatile boolean stop;
    private int samples;

    private StackSampler(long threadId) {
      java.lang.management.ThreadMXBean mx =
          java.lang.management.ManagementFactory.getThreadMXBean();
      sampler = new Thread(() -> {
        while (!stop) {
          java.lang.management.ThreadInfo info = mx.getThreadInfo(threadId, 64);
          if (info != null) {
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (StackTraceElement frame : info.getStackTrace()) {
              String cls = frame.getClassName();
              if (cls.startsWith("io.cairn.marathon") && !cls.contains("$$Lambda")
                  && !frame.getMethodName().startsWith("lambda$")
                  && !frame.getMethodName().equals("onLoop")) {
                seen.add(cls.substring(cls.lastIndexOf('.') + 1) + "." + frame.getMethodName());
              } else if (cls.startsWith("org.apache.curator") || cls.startsWith(
                  "org.apache.zookeeper")) {
                seen.add("(in a ZooKeeper call)");
              }
            }
            if (seen.isEmpty()) {
              seen.add("(idle: waiting for input)");
            }
            synchronized (counts) {
              samples++;
              for (String key : seen) {
                counts.merge(key, 1, Integer::sum);
              }
            }
          }
          try {
            Thread.sleep(5);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "stack-sampler");
      sampler.setDaemon(true);
      sampler.start();
    }

    static StackSampler start(String threadName) {
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().equals(threadName)) {
          return new StackSampler(t.getId());
        }
      }
      throw new IllegalStateException("no thread named " + threadName);
    }

    int samples() {
      synchronized (counts) {
        return samples;
      }
    }

    String stopAndReport(int top) throws InterruptedException {
      stop = true;
      sampler.join(1000);
      StringBuilder report = new StringBuilder();
      synchronized (counts) {
        counts.entrySet().stream()
            .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
            .forEach(e -> report.append(String.format(Locale.ROOT, "  %5.1f%%  %s%n",
                100.0 * e.getValue() / Math.max(1, samples), e.getKey())));
      }
      return report.toString();
    }
  }
}
