package io.cairn.framework.runtime.internal.component;

import io.cairn.env.Endpoint;
import io.cairn.env.NodeInfo;
import io.cairn.framework.FrameworkRuntime;
import io.cairn.framework.FrameworkStatus;
import io.cairn.framework.Scheduler;
import io.cairn.framework.runtime.internal.core.Backoff;
import io.cairn.framework.runtime.internal.driver.FrameworkInstance;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.client.ZKClientConfig;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The framework runtime of a master node: tracks every {@link Scheduler} service (whiteboard,
 * dynamic, multiple) and runs a {@link FrameworkInstance} for each, all sharing one Curator client
 * on this node's ZooKeeper endpoint ({@code zk}) and one HTTP client. Publishes {@link
 * FrameworkRuntime} for the shell.
 *
 * <p>Threading: DS and tracker callbacks on any thread, serialised by this component's monitor;
 * each instance has its own thread. Deactivate closes instances, then Curator, then the tracker.
 */
@Component(service = FrameworkRuntime.class, configurationPid = "io.cairn.framework.runtime",
    immediate = true)
@Designate(ocd = RuntimeConfig.class)
public final class FrameworkRuntimeComponent implements FrameworkRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(FrameworkRuntimeComponent.class);

  @Reference
  private NodeInfo node;
  private final Set<Scheduler> schedulers = new LinkedHashSet<>();
  private final Map<Scheduler, FrameworkInstance> instances = new LinkedHashMap<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
  private RuntimeConfig config;
  private FrameworkInstance.Settings settings;
  private ServiceTracker<Endpoint, Endpoint> tracker;
  private String zkAddress;
  private CuratorFramework curator;
  private boolean active;

  @Activate
  synchronized void activate(RuntimeConfig newConfig, BundleContext context) {
    this.config = RuntimeConfigs.validate(newConfig);
    this.settings = new FrameworkInstance.Settings("node-" + node.nodeId(), config.mesosPath(),
        new Backoff(config.backoffInitialMs(), config.backoffMaxMs()), config.missedHeartbeats(),
        config.subscribeTimeoutMs(), config.teardownTimeoutMs());
    active = true;
    if (!config.zkConnect().isBlank()) {
      useZooKeeper(config.zkConnect());
    } else {
      tracker = new ServiceTracker<>(context, Endpoint.class, null) {
        @Override
        public Endpoint addingService(ServiceReference<Endpoint> reference) {
          Endpoint endpoint = context.getService(reference);
          if (endpoint != null && endpoint.name().equals("zk")) {
            useZooKeeper(endpoint.address());
          }
          return endpoint;
        }

        @Override
        public void removedService(ServiceReference<Endpoint> reference, Endpoint endpoint) {
          if (endpoint.name().equals("zk")) {
            useZooKeeper(null);
          }
          context.ungetService(reference);
        }
      };
      tracker.open();
    }
    LOG.info("framework runtime activated node={} zk={} schedulers={}", node.nodeId(),
        config.zkConnect().isBlank() ? "(node endpoint)" : config.zkConnect(),
        schedulers.size());
  }

  @Deactivate
  void deactivate() {
    ServiceTracker<Endpoint, Endpoint> t;
    synchronized (this) {
      active = false;
      t = tracker;
      tracker = null;
    }
    if (t != null) {
      t.close();
    }
    useZooKeeper(null);
    LOG.info("framework runtime deactivated");
  }

  @Reference(service = Scheduler.class, cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC, unbind = "removeScheduler")
  synchronized void addScheduler(Scheduler scheduler) {
    schedulers.add(scheduler);
    if (active && curator != null) {
      startInstance(scheduler);
    }
  }

  void removeScheduler(Scheduler scheduler) {
    FrameworkInstance instance;
    synchronized (this) {
      schedulers.remove(scheduler);
      instance = instances.remove(scheduler);
    }
    if (instance != null) {
      LOG.info("framework={} scheduler unregistered; closing", instance.name());
      instance.close();
    }
  }

  private synchronized void useZooKeeper(String address) {
    if (address != null && address.equals(zkAddress) && curator != null) {
      return;
    }
    for (FrameworkInstance instance : instances.values()) {
      instance.close(false);
    }
    instances.clear();
    if (curator != null) {
      curator.close();
      curator = null;
    }
    zkAddress = address;
    if (address == null || !active) {
      return;
    }
    ZKClientConfig zkConfig = new ZKClientConfig();
    zkConfig.setProperty(ZKClientConfig.ENABLE_CLIENT_SASL_KEY, "false");
    curator = CuratorFrameworkFactory.builder().connectString(address)
        .sessionTimeoutMs(config.sessionTimeoutMs())
        .connectionTimeoutMs(Math.min(config.sessionTimeoutMs(), 5000))
        .retryPolicy(new ExponentialBackoffRetry(250, 5, 2000)).zkClientConfig(zkConfig)
        .build();
    curator.start();
    LOG.info("framework runtime uses zk={}", address);
    for (Scheduler scheduler : schedulers) {
      startInstance(scheduler);
    }
  }

  private void startInstance(Scheduler scheduler) {
    FrameworkInstance instance;
    try {
      instance = new FrameworkInstance(scheduler, curator, http, settings);
    } catch (IllegalArgumentException e) {
      LOG.error("scheduler {} refused: {}", scheduler.getClass().getName(), e.getMessage());
      return;
    }
    for (FrameworkInstance other : instances.values()) {
      if (other.name().equals(instance.name())) {
        LOG.error("framework={} is registered twice on this node ({} and {}); the second is"
            + " not run: unregister one", instance.name(), other.scheduler().getClass()
            .getName(), scheduler.getClass().getName());
        return;
      }
    }
    instances.put(scheduler, instance);
    instance.start();
  }

  @Override
  public synchronized List<FrameworkStatus> frameworks() {
    List<FrameworkStatus> out = new ArrayList<>();
    for (FrameworkInstance instance : instances.values()) {
      out.add(instance.status());
    }
    out.sort(Comparator.comparing(FrameworkStatus::name));
    return out;
  }

  @Override
  public synchronized Optional<FrameworkStatus> framework(String name) {
    return instances.values().stream().filter(i -> i.name().equals(name)).findFirst()
        .map(FrameworkInstance::status);
  }

  /** The last subscription problem of a framework, for the shell (empty when none). */
  public synchronized String problem(String name) {
    return instances.values().stream().filter(i -> i.name().equals(name)).findFirst()
        .map(FrameworkInstance::lastProblem).orElse("");
  }

  /** The ZooKeeper address in use, or empty. */
  public synchronized String zooKeeper() {
    return zkAddress == null ? "" : zkAddress;
  }
}
