package io.cairn.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import io.cairn.proto.mesos.v1.Protos.AgentID;
import io.cairn.proto.mesos.v1.Protos.CommandInfo;
import io.cairn.proto.mesos.v1.Protos.FrameworkInfo;
import io.cairn.proto.mesos.v1.Protos.Offer;
import io.cairn.proto.mesos.v1.Protos.Resource;
import io.cairn.proto.mesos.v1.Protos.TaskID;
import io.cairn.proto.mesos.v1.Protos.TaskInfo;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import io.cairn.proto.mesos.v1.Protos.TaskStatus;
import io.cairn.proto.mesos.v1.Protos.Value;
import io.cairn.proto.mesos.v1.scheduler.Protos.Call;
import io.cairn.proto.mesos.v1.scheduler.Protos.Event;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.inject.Inject;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Hot swap of the allocator under load, in a real Karaf: a node running master and agent with DRF
 * active; two v1 schedulers (roles eng and ops) launch long tasks and decline every other offer
 * with refuse_seconds 0, so offers churn continuously. Then {@code feature:install
 * cairn-allocator-firstfit}, raise its {@code service.ranking} above DRF's (the master swaps to
 * it, handing the books over), then uninstall that feature while the master uses it (the master
 * swaps back to DRF, taking the books from the departing allocator).
 *
 * <p>Asserted throughout: no offer id twice, and on the agent the outstanding offers plus the
 * launched tasks never exceed its total (cpus, mem, disk) and no port is in two outstanding
 * offers; after each swap: offers keep coming and a new task launches; the tasks launched before
 * the swaps keep running; {@code allocator:roles}, {@code allocator:why}, {@code
 * allocator:weights} and {@code allocator:quota} answer in the shell, name the active allocator,
 * and weights and quota survive both swaps.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AllocatorSwapIT {
  // Port offset 9000 (this itest's own range).
  private static final int MASTER_PORT = 14050;
  private static final int AGENT_PORT = 14051;
  private static final long DEADLINE_MS = 60_000;
  private static final double AGENT_CPUS = 4;
  private static final double AGENT_MEM = 2048;
  private static final double AGENT_DISK = 1024;

  @Inject SessionFactory sessions;
  @Inject ConfigurationAdmin configurations;
  @Inject FeaturesService features;

  @org.ops4j.pax.exam.Configuration
  public Option[] config() {
    return CairnOptions.distribution(
        editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", "17101"),
        editConfigurationFilePut("etc/io.cairn.node.cfg", "node.id", "1"),
        editConfigurationFilePut("etc/io.cairn.node.cfg", "roles", "master,agent"),
        editConfigurationFilePut("etc/io.cairn.node.cfg", "peers", "1@127.0.0.1:16070"),
        editConfigurationFilePut("etc/io.cairn.coordination.cfg", "clientPort", "11181"),
        editConfigurationFilePut("etc/io.cairn.coordination.cfg", "adminPort", "18181"),
        editConfigurationFilePut("etc/io.cairn.master.cfg", "port", "" + MASTER_PORT),
        editConfigurationFilePut("etc/io.cairn.master.cfg", "hostname", "localhost"),
        editConfigurationFilePut("etc/io.cairn.agent.cfg", "master", "127.0.0.1:" + MASTER_PORT),
        editConfigurationFilePut("etc/io.cairn.agent.cfg", "http.host", "127.0.0.1"),
        editConfigurationFilePut("etc/io.cairn.agent.cfg", "http.port", "" + AGENT_PORT),
        editConfigurationFilePut("etc/io.cairn.agent.cfg", "hostname", "localhost"),
        editConfigurationFilePut("etc/io.cairn.agent.cfg", "resources",
            "cpus:4;mem:2048;disk:1024;ports:[31000-31099]"),
        editConfigurationFilePut("etc/io.cairn.agent.cfg", "status_update_retry_min_ms", "500"));
  }

  /** What the schedulers were offered and launched, checked on every offer. */
  private static final class Ledger {
    private final Map<String, Offer> outstanding = new HashMap<>();
    private final Map<String, List<Resource>> tasks = new HashMap<>();
    private final java.util.Set<String> seenOfferIds = new java.util.HashSet<>();
    final List<String> violations = new CopyOnWriteArrayList<>();
    final AtomicInteger offers = new AtomicInteger();

    synchronized void offered(Offer offer) {
      offers.incrementAndGet();
      String id = offer.getId().getValue();
      if (!seenOfferIds.add(id)) {
        violations.add("offer id " + id + " came twice");
      }
      outstanding.put(id, offer);
      check(offer.getAgentId().getValue());
    }

    /**
     * Called before the answer is sent (from then on the master may offer it again); with a
     * task id, that task's resources count as used from now on.
     */
    synchronized void answered(String offerId, String taskId, List<Resource> resources) {
      outstanding.remove(offerId);
      if (taskId != null) {
        tasks.put(taskId, resources);
      }
    }

    synchronized void ended(String taskId) {
      tasks.remove(taskId);
    }

    private void check(String agentId) {
      double cpus = 0;
      double mem = 0;
      double disk = 0;
      List<long[]> ports = new ArrayList<>();
      List<Resource> all = new ArrayList<>();
      outstanding.values().stream().filter(o -> o.getAgentId().getValue().equals(agentId))
          .forEach(o -> all.addAll(o.getResourcesList()));
      tasks.values().forEach(all::addAll);
      for (Resource r : all) {
        switch (r.getName()) {
          case "cpus" -> cpus += r.getScalar().getValue();
          case "mem" -> mem += r.getScalar().getValue();
          case "disk" -> disk += r.getScalar().getValue();
          case "ports" -> r.getRanges().getRangeList()
              .forEach(range -> ports.add(new long[] {range.getBegin(), range.getEnd()}));
          default -> { }
        }
      }
      if (cpus > AGENT_CPUS + 1e-6 || mem > AGENT_MEM + 1e-6 || disk > AGENT_DISK + 1e-6) {
        violations.add(String.format("agent %s over-offered: cpus %s mem %s disk %s outstanding"
            + " and launched (offers %s)", agentId, cpus, mem, disk, outstanding.keySet()));
      }
      for (int i = 0; i < ports.size(); i++) {
        for (int j = i + 1; j < ports.size(); j++) {
          if (ports.get(i)[0] <= ports.get(j)[1] && ports.get(j)[0] <= ports.get(i)[1]) {
            violations.add("agent " + agentId + ": a port range is in two outstanding offers");
          }
        }
      }
    }
  }

  /** One framework: launches a long task whenever it is told to, declines everything else. */
  private static final class Framework {
    final String role;
    final ProtoScheduler client = new ProtoScheduler("127.0.0.1:" + MASTER_PORT);
    final Ledger ledger;
    final AtomicInteger tasksWanted = new AtomicInteger();
    final Map<String, TaskState> states = new ConcurrentHashMap<>();
    final ScheduledExecutorService delays = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "it-scheduler-delays");
      thread.setDaemon(true);
      return thread;
    });
    private int launched;

    Framework(String role, Ledger ledger) {
      this.role = role;
      this.ledger = ledger;
    }

    void start() throws InterruptedException {
      FrameworkInfo info = FrameworkInfo.newBuilder().setUser(System.getProperty("user.name"))
          .setName("swap-it-" + role.replace('/', '-')).addRoles(role)
          .addCapabilities(FrameworkInfo.Capability.newBuilder()
              .setType(FrameworkInfo.Capability.Type.MULTI_ROLE))
          .build();
      client.subscribe(info, this::onEvent, DEADLINE_MS);
    }

    /** Runs on the reader thread, in stream order. */
    private void onEvent(Event event) {
      switch (event.getType()) {
        case OFFERS -> event.getOffers().getOffersList().forEach(this::onOffer);
        case RESCIND -> ledger.answered(event.getRescind().getOfferId().getValue(), null,
            List.of());
        case UPDATE -> onUpdate(event.getUpdate().getStatus());
        default -> { }
      }
    }

    private void onOffer(Offer offer) {
      ledger.offered(offer);
      Call.Builder answer;
      String taskId = null;
      List<Resource> resources = List.of(scalar("cpus", 0.25), scalar("mem", 64));
      if (launched < tasksWanted.get()) {
        launched++;
        taskId = role + "-task-" + launched;
        states.put(taskId, TaskState.TASK_STAGING);
        TaskInfo task = TaskInfo.newBuilder().setName(taskId)
            .setTaskId(TaskID.newBuilder().setValue(taskId))
            .setAgentId(AgentID.newBuilder().setValue(offer.getAgentId().getValue()))
            .addAllResources(resources)
            .setCommand(CommandInfo.newBuilder().setValue("exec sleep 300")).build();
        answer = Call.newBuilder().setType(Call.Type.ACCEPT).setAccept(
            Call.Accept.newBuilder().addOfferIds(offer.getId())
                .addOperations(Offer.Operation.newBuilder()
                    .setType(Offer.Operation.Type.LAUNCH)
                    .setLaunch(Offer.Operation.Launch.newBuilder().addTaskInfos(task)))
                .setFilters(io.cairn.proto.mesos.v1.Protos.Filters.newBuilder()
                    .setRefuseSeconds(0)));
      } else {
        answer = Call.newBuilder().setType(Call.Type.DECLINE).setDecline(
            Call.Decline.newBuilder().addOfferIds(offer.getId())
                .setFilters(io.cairn.proto.mesos.v1.Protos.Filters.newBuilder()
                    .setRefuseSeconds(0)));
      }
      // Hold the offer a little, so that both frameworks' offers are outstanding together and
      // the ledger sees what the allocator handed out at the same time.
      String task = taskId;
      delays.schedule(() -> {
        ledger.answered(offer.getId().getValue(), task, resources);
        client.callLater(answer);
      }, 20 + (offer.getId().getValue().hashCode() & 127), TimeUnit.MILLISECONDS);
    }

    private void onUpdate(TaskStatus status) {
      String taskId = status.getTaskId().getValue();
      states.put(taskId, status.getState());
      if (isTerminal(status.getState())) {
        ledger.ended(taskId);
      }
      if (!status.getUuid().isEmpty()) {
        client.callLater(Call.newBuilder().setType(Call.Type.ACKNOWLEDGE).setAcknowledge(
            Call.Acknowledge.newBuilder().setAgentId(status.getAgentId())
                .setTaskId(status.getTaskId()).setUuid(status.getUuid())));
      }
    }

    /** Tears the framework down (the master kills its tasks) and stops its threads. */
    void stop() throws InterruptedException {
      if (client.frameworkId() != null) {
        client.callLater(Call.newBuilder().setType(Call.Type.TEARDOWN));
      }
      delays.shutdownNow();
      client.close();
    }

    long running() {
      return states.values().stream().filter(s -> s == TaskState.TASK_RUNNING).count();
    }
  }

  @Test
  public void swapsToFirstFitAndBackUnderLoadWithoutLosingOrDoubleOffering() throws Exception {
    awaitCommand("master:agents", "localhost  active");
    Ledger ledger = new Ledger();
    Framework eng = new Framework("eng", ledger);
    Framework ops = new Framework("ops", ledger);
    try {
      eng.start();
      ops.start();
      eng.tasksWanted.set(2);
      ops.tasksWanted.set(1);
      await("3 tasks running before the swap", () -> eng.running() == 2 && ops.running() == 1);
      List<String> before = List.of("eng-task-1", "eng-task-2", "ops-task-1");

      // The shell, with DRF active; weights and quota go through the registry.
      String roles = awaitCommand("allocator:roles", "allocator drf");
      assertTrue(roles, roles.contains("eng") && roles.contains("ops"));
      assertTrue(execute("allocator:weights eng=2").contains("Weights set: eng=2."));
      String quota = execute("allocator:quota ops guarantee=cpus:0.5,mem:128 limit=cpus:3");
      assertTrue(quota, quota.contains("Quota of role 'ops' set."));
      String bad = execute("allocator:quota ops limit=cpus:lots");
      assertTrue(bad, bad.contains("must be a number, was 'lots'"));
      String unknown = execute("allocator:why nobody");
      assertTrue(unknown, unknown.contains("is neither a framework nor an agent"));
      String why = awaitCommand("allocator:why " + eng.client.frameworkId(),
          "last full allocation by drf");
      assertTrue(why, why.contains("framework " + eng.client.frameworkId()));

      // Swap to first-fit: install the feature, then rank it above DRF's 100.
      int offersBefore = ledger.offers.get();
      features.installFeature("cairn-allocator-firstfit");
      assertTrue("DRF stays while first-fit ranks 10",
          awaitCommand("allocator:roles", "allocator drf").contains("allocator drf"));
      rank(200);
      roles = awaitCommand("allocator:roles", "allocator first-fit");
      assertTrue(roles, roles.contains("guarantee cpus 0.5, mem 128 MB"));
      assertTrue(roles, roles.contains("eng") && roles.matches("(?s).*eng\\s+2\\s.*"));
      await("offers after the swap to first-fit", () -> ledger.offers.get() > offersBefore + 5);
      eng.tasksWanted.set(3);
      await("a task launched with first-fit runs", () -> eng.running() == 3);
      why = awaitCommand("allocator:why " + ops.client.frameworkId(),
          "last full allocation by first-fit");
      assertTrue(why, why.contains("framework " + ops.client.frameworkId()));

      // Swap back to DRF: uninstall first-fit while the master uses it.
      int offersMiddle = ledger.offers.get();
      features.uninstallFeature("cairn-allocator-firstfit");
      roles = awaitCommand("allocator:roles", "allocator drf");
      await("offers after the swap back to DRF", () -> ledger.offers.get() > offersMiddle + 5);
      ops.tasksWanted.set(2);
      await("a task launched with DRF again runs", () -> ops.running() == 2);
      assertTrue(roles, roles.contains("guarantee cpus 0.5, mem 128 MB"));
      assertTrue(execute("allocator:weights"), execute("allocator:weights").contains("eng  2"));

      for (String task : before) {
        TaskState state = task.startsWith("eng") ? eng.states.get(task) : ops.states.get(task);
        assertEquals(task + " kept running across both swaps", TaskState.TASK_RUNNING, state);
      }
      String tasks = execute("master:tasks");
      for (String task : before) {
        assertTrue(tasks, tasks.lines().anyMatch(l -> l.startsWith(task + "  TASK_RUNNING")));
      }
      assertTrue("violations: " + ledger.violations, ledger.violations.isEmpty());
      assertTrue("failed calls: " + eng.client.failures + ops.client.failures,
          eng.client.failures.isEmpty() && ops.client.failures.isEmpty());
    } finally {
      eng.stop();
      ops.stop();
      // TEARDOWN kills the tasks: leave no sleep process behind.
      await("no task left running on the agent",
          () -> !execute("agent:tasks").contains("TASK_RUNNING"));
    }
  }

  /** Sets the first-fit factory's service.ranking through Config Admin (as config:edit does). */
  private void rank(int ranking) throws Exception {
    Configuration configuration =
        configurations.getConfiguration("io.cairn.allocator.firstfit", null);
    Hashtable<String, Object> properties = new Hashtable<>();
    properties.put("service.ranking", ranking);
    configuration.update(properties);
  }

  private static boolean isTerminal(TaskState state) {
    return switch (state) {
      case TASK_FINISHED, TASK_FAILED, TASK_KILLED, TASK_LOST, TASK_ERROR, TASK_DROPPED,
          TASK_GONE, TASK_GONE_BY_OPERATOR -> true;
      default -> false;
    };
  }

  private static Resource scalar(String name, double value) {
    return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
        .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + DEADLINE_MS;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("not within 60 s: " + what);
      }
      Thread.sleep(100);
    }
  }

  private String awaitCommand(String command, String wanted) throws InterruptedException {
    long deadline = System.currentTimeMillis() + DEADLINE_MS;
    String out = "";
    while (System.currentTimeMillis() < deadline) {
      try {
        out = execute(command);
      } catch (AssertionError e) {
        // The command's bundle may still be starting (boot features install asynchronously).
        out = String.valueOf(e.getCause());
      }
      if (out.contains(wanted)) {
        return out;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(command + " never showed " + wanted + "; last: " + out);
  }

  private String execute(String command) {
    return KarafShell.execute(sessions, command);
  }
}
