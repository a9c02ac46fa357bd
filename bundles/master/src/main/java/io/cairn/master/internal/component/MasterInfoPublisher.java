package io.cairn.master.internal.component;

import io.cairn.env.Endpoint;
import io.cairn.master.internal.zk.MasterInfoZnode;
import io.cairn.proto.mesos.v1.Protos.MasterInfo;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Connects the driver's leadership to the {@link MasterInfoZnode}: finds this node's ZooKeeper
 * endpoint (the {@link Endpoint} service named {@code zk}) and hands it over as it comes and goes.
 *
 * <p>Threading: DS and tracker callbacks on any thread; the znode keeper has its own thread.
 */
final class MasterInfoPublisher implements AutoCloseable {
  private final MasterInfoZnode znode;
  private final ServiceTracker<Endpoint, Endpoint> tracker;

  MasterInfoPublisher(BundleContext context, String zkPath) {
    this.znode = new MasterInfoZnode(zkPath);
    this.tracker = new ServiceTracker<>(context, Endpoint.class, null) {
      @Override
      public Endpoint addingService(ServiceReference<Endpoint> reference) {
        Endpoint endpoint = context.getService(reference);
        if (endpoint != null && endpoint.name().equals("zk")) {
          znode.setServer(Optional.of(endpoint.address()));
        }
        return endpoint;
      }

      @Override
      public void removedService(ServiceReference<Endpoint> reference, Endpoint endpoint) {
        if (endpoint.name().equals("zk")) {
          znode.setServer(Optional.empty());
        }
        context.ungetService(reference);
      }
    };
    tracker.open();
  }

  void leadershipChanged(Optional<MasterInfo> info) {
    znode.setMasterInfo(info);
  }

  @Override
  public void close() {
    tracker.close();
    znode.close();
  }
}
