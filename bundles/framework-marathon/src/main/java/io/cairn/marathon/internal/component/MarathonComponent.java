package io.cairn.marathon.internal.component;

import io.cairn.env.Clock;
import io.cairn.env.Endpoint;
import io.cairn.framework.Leadership;
import io.cairn.framework.Scheduler;
import io.cairn.framework.SchedulerDriver;
import io.cairn.marathon.internal.core.MarathonCore;
import io.cairn.marathon.internal.driver.MarathonDriver;
import io.cairn.marathon.internal.http.MarathonApi;
import io.cairn.marathon.internal.http.MarathonHttpServer;
import io.cairn.marathon.internal.store.ZkStateStore;
import io.cairn.proto.mesos.v1.Protos.FrameworkInfo;
import io.cairn.proto.mesos.v1.Protos.Offer;
import io.cairn.proto.mesos.v1.Protos.TaskStatus;
import io.cairn.proto.mesos.v1.scheduler.Protos.Event;
import java.net.InetSocketAddress;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.client.ZKClientConfig;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marathon on this node: registers the {@link Scheduler} the framework runtime runs (it elects
 * one leading instance among the master nodes), serves REST API v2 on {@code port} (standbys
 * proxy to the leader) and keeps state in ZooKeeper under {@code zkPath} with its own Curator
 * client (this node's {@code zk} endpoint unless {@code zkConnect} is set).
 *
 * <p>Threading: scheduler callbacks come on the runtime's framework thread and are handed to the
 * Marathon loop ({@link MarathonDriver}); activation and deactivation on the DS thread.
 * Deactivate stops HTTP, the loop, then Curator.
 */
@Component(service = {Scheduler.class, MarathonComponent.class}, immediate = true,
    configurationPid = MarathonConfigCheck.PID)
@Designate(ocd = MarathonConfig.class)
public final class MarathonComponent implements Scheduler {
  private static final Logger LOG = LoggerFactory.getLogger(MarathonComponent.class);

  private final MarathonConfig config;
  private final MarathonDriver driver;
  private final MarathonHttpServer http;
  private final String address;
  private final ServiceRegistration<Endpoint> endpoint;
  private ServiceTracker<Endpoint, Endpoint> zkTracker;
  private volatile CuratorFramework curator;
  private volatile ZkStateStore store;
  private String zkAddress = "";

  @Activate
  public MarathonComponent(MarathonConfig config, BundleContext context)
      throws InterruptedException {
    this.config = MarathonConfigCheck.validate(config);
    MarathonCore.Settings settings = new MarathonCore.Settings(config.maxInstancesPerOffer(),
        5.0, 120.0, config.maxRunningDeployments(), config.reconciliationIntervalMs(), 50);
    this.driver = new MarathonDriver(Clock.system(), settings, () -> store,
        System.nanoTime());
    String host = config.hostname().isBlank() ? config.host() : config.hostname();
    MarathonHttpServer server;
    InetSocketAddress bound;
    // The advertised address needs the bound port; with port 0 it is known only after binding.
    String provisional = host + ":" + config.port();
    MarathonApi api = new MarathonApi(driver, new MarathonApi.Info(config.frameworkName(),
        "1.11.0-cairn", provisional, zkAddressOrNode(), config.port()));
    server = new MarathonHttpServer(driver, api, provisional);
    try {
      bound = server.start(config.host(), config.port());
    } catch (InterruptedException | RuntimeException e) {
      driver.close();
      throw e;
    }
    this.http = server;
    this.address = host + ":" + bound.getPort();
    server.advertise(address);
    this.endpoint = context.registerService(Endpoint.class,
        new Endpoint("marathon", "http://" + address), null);
    try {
      startZooKeeper(context);
    } catch (RuntimeException | LinkageError e) {
      // Activation fails: release what was started, or the port stays bound.
      endpoint.unregister();
      server.close();
      driver.close();
      throw e;
    }
    LOG.info("marathon activated http={} zkPath={}", address, config.zkPath());
  }

  private void startZooKeeper(BundleContext context) {
    if (!config.zkConnect().isBlank()) {
      useZooKeeper(config.zkConnect());
    } else {
      zkTracker = new ServiceTracker<>(context, Endpoint.class, null) {
        @Override
        public Endpoint addingService(ServiceReference<Endpoint> reference) {
          Endpoint e = context.getService(reference);
          if (e != null && e.name().equals("zk")) {
            useZooKeeper(e.address());
          }
          return e;
        }

        @Override
        public void removedService(ServiceReference<Endpoint> reference, Endpoint e) {
          if (e.name().equals("zk")) {
            useZooKeeper(null);
          }
          context.ungetService(reference);
        }
      };
      zkTracker.open();
    }
  }

  private String zkAddressOrNode() {
    return config.zkConnect().isBlank() ? "localhost:2181" : config.zkConnect();
  }

  private synchronized void useZooKeeper(String connect) {
    if (connect != null && connect.equals(zkAddress) && curator != null) {
      return;
    }
    if (curator != null) {
      store = null;
      curator.close();
      curator = null;
    }
    zkAddress = connect == null ? "" : connect;
    if (connect == null) {
      return;
    }
    try {
      ZKClientConfig zkConfig = new ZKClientConfig();
      zkConfig.setProperty(ZKClientConfig.ENABLE_CLIENT_SASL_KEY, "false");
      CuratorFramework client = CuratorFrameworkFactory.builder().connectString(connect)
          .sessionTimeoutMs(10_000).connectionTimeoutMs(5_000)
          .retryPolicy(new ExponentialBackoffRetry(250, 5, 2000)).zkClientConfig(zkConfig)
          .build();
      client.start();
      curator = client;
      store = new ZkStateStore(client, config.zkPath());
      LOG.info("marathon state in zk={} path={}", connect, config.zkPath());
    } catch (RuntimeException | LinkageError e) {
      // Without a store this instance cannot lead; the REST API stays up (503 / proxy).
      LOG.error("marathon cannot create its ZooKeeper client for zk={}; it keeps no state and"
          + " cannot lead until the zk endpoint changes or the bundle is updated", connect, e);
    }
  }

  @Deactivate
  void deactivate() {
    if (zkTracker != null) {
      zkTracker.close();
    }
    endpoint.unregister();
    http.close();
    driver.close();
    useZooKeeper(null);
    LOG.info("marathon deactivated");
  }

  /** The driver, for the shell commands. */
  public MarathonDriver driver() {
    return driver;
  }

  /** {@code host:port} of this instance's REST API. */
  public String address() {
    return address;
  }

  // ---------------------------------------------------------------- Scheduler

  @Override
  public FrameworkInfo frameworkInfo() {
    return FrameworkInfo.newBuilder().setName(config.frameworkName())
        .setUser(MarathonConfigCheck.user(config)).addRoles(config.role())
        .setFailoverTimeout(config.failoverTimeoutSeconds()).setCheckpoint(true)
        .setHostname(address.substring(0, address.lastIndexOf(':')))
        .setWebuiUrl("http://" + address)
        .addCapabilities(FrameworkInfo.Capability.newBuilder()
            .setType(FrameworkInfo.Capability.Type.MULTI_ROLE))
        .addCapabilities(FrameworkInfo.Capability.newBuilder()
            .setType(FrameworkInfo.Capability.Type.PARTITION_AWARE))
        .addCapabilities(FrameworkInfo.Capability.newBuilder()
            .setType(FrameworkInfo.Capability.Type.TASK_KILLING_STATE))
        .build();
  }

  @Override
  public String instanceAddress() {
    return address;
  }

  @Override
  public void leadership(Leadership leadership) {
    LOG.info("marathon leadership leading={} leader={}", leadership.leading(),
        leadership.leaderAddress());
    driver.leadership(leadership);
  }

  @Override
  public void subscribed(SchedulerDriver schedulerDriver, Event.Subscribed subscribed) {
    driver.subscribed(schedulerDriver);
  }

  @Override
  public void offers(SchedulerDriver schedulerDriver, List<Offer> offers) {
    driver.offers(schedulerDriver, offers);
  }

  @Override
  public void update(SchedulerDriver schedulerDriver, TaskStatus status) {
    driver.update(schedulerDriver, status);
  }

  @Override
  public void disconnected() {
    driver.disconnected();
  }
}
