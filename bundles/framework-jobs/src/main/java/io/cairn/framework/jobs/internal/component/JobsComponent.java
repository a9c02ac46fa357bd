package io.cairn.framework.jobs.internal.component;

import io.cairn.env.Clock;
import io.cairn.env.Endpoint;
import io.cairn.framework.Scheduler;
import io.cairn.framework.jobs.internal.api.JobsHttpServer;
import io.cairn.framework.jobs.internal.api.JobsRoutes;
import java.net.InetSocketAddress;
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
 * Starts the jobs framework on this node: the REST API, a Curator client on this node's ZooKeeper
 * endpoint (for jobs and runs), and the {@link Scheduler} service the framework runtime picks up
 * (plus {@link JobsFramework} itself for the shell). Deactivation unregisters the Scheduler first,
 * so the runtime closes the subscription (tearing the framework down when its failover timeout is
 * 0), then stops REST, Curator and the jobs thread.
 *
 * <p>Threading: DS and tracker callbacks on any thread, serialised by this component's monitor.
 */
@Component(service = {}, configurationPid = "io.cairn.framework.jobs", immediate = true)
@Designate(ocd = JobsConfig.class)
public final class JobsComponent {
  private static final Logger LOG = LoggerFactory.getLogger(JobsComponent.class);

  private JobsConfig config;
  private JobsFramework framework;
  private JobsHttpServer server;
  private ServiceTracker<Endpoint, Endpoint> tracker;
  private CuratorFramework curator;
  private String zkAddress;
  private ServiceRegistration<Scheduler> schedulerRegistration;
  private ServiceRegistration<JobsFramework> frameworkRegistration;

  @Activate
  synchronized void activate(JobsConfig newConfig, BundleContext context)
      throws InterruptedException {
    config = JobsConfigs.validate(newConfig);
    // The REST address is the instance address (the election participant) standbys redirect to.
    framework = new JobsFramework(config, Clock.system(), config.host() + ":" + config.port());
    server = new JobsHttpServer(new JobsRoutes(framework));
    InetSocketAddress address;
    try {
      address = server.start(config.host(), config.port());
    } catch (IllegalStateException e) {
      framework.close();
      throw e;
    }
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
    frameworkRegistration = context.registerService(JobsFramework.class, framework, null);
    schedulerRegistration = context.registerService(Scheduler.class, framework, null);
    LOG.info("jobs framework activated name={} rest=http://{}:{}/v1/jobs failover_timeout={}s",
        config.frameworkName(), address.getHostString(), address.getPort(),
        config.failoverTimeoutSeconds());
  }

  @Deactivate
  void deactivate() {
    ServiceRegistration<Scheduler> scheduler;
    ServiceTracker<Endpoint, Endpoint> t;
    synchronized (this) {
      scheduler = schedulerRegistration;
      schedulerRegistration = null;
      t = tracker;
      tracker = null;
    }
    // First: the runtime closes the subscription (TEARDOWN when failover_timeout is 0).
    if (scheduler != null) {
      scheduler.unregister();
    }
    synchronized (this) {
      if (frameworkRegistration != null) {
        frameworkRegistration.unregister();
        frameworkRegistration = null;
      }
      if (server != null) {
        server.close();
      }
    }
    if (t != null) {
      t.close();
    }
    useZooKeeper(null);
    synchronized (this) {
      if (framework != null) {
        framework.close();
      }
    }
    LOG.info("jobs framework deactivated");
  }

  private synchronized void useZooKeeper(String address) {
    if (address != null && address.equals(zkAddress)) {
      return;
    }
    if (curator != null) {
      framework.useStore(null);
      curator.close();
      curator = null;
    }
    zkAddress = address;
    if (address == null) {
      return;
    }
    ZKClientConfig zkConfig = new ZKClientConfig();
    zkConfig.setProperty(ZKClientConfig.ENABLE_CLIENT_SASL_KEY, "false");
    curator = CuratorFrameworkFactory.builder().connectString(address).sessionTimeoutMs(10_000)
        .connectionTimeoutMs(5_000).retryPolicy(new ExponentialBackoffRetry(250, 5, 2000))
        .zkClientConfig(zkConfig).build();
    curator.start();
    framework.useStore(new JobsStore(curator, config.zkRoot()));
    LOG.info("jobs framework stores in zk={} root={}", address, config.zkRoot());
  }
}
