package io.cairn.master.internal.zk;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.cairn.proto.mesos.v1.Protos.MasterInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this master's MasterInfo in ZooKeeper while it leads, as Mesos 1.x does: an ephemeral
 * sequential znode {@code <path>/json.info_<seq>} holding the MasterInfo as JSON (Mesos {@code
 * src/master/contender/zookeeper.cpp}, label {@code json.info}), so that {@code zk://.../mesos}
 * clients find the leader. The znode is deleted (and the session closed) when leadership is lost;
 * if the session expires while leading it is created again.
 *
 * <p>Uses the real ZooKeeper client against this node's coordination endpoint. Threading: every
 * change is handed to one thread ("cairn-master-zk"), since the client's calls block; it retries
 * every 2 s while something is wanted and not yet in place.
 */
public final class MasterInfoZnode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MasterInfoZnode.class);
  private static final int SESSION_TIMEOUT_MS = 10_000;
  private static final long RETRY_MS = 2_000;

  private final String path;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
      r -> {
        Thread t = new Thread(r, "cairn-master-zk");
        t.setDaemon(true);
        return t;
      });
  // Touched only on the thread.
  private Optional<String> server = Optional.empty();
  private Optional<MasterInfo> info = Optional.empty();
  private ZooKeeper client;
  private String created;
  private boolean retryScheduled;

  public MasterInfoZnode(String path) {
    this.path = path;
  }

  /** The {@code host:port} of the ZooKeeper endpoint to use, or empty when there is none. */
  public void setServer(Optional<String> address) {
    thread.execute(() -> {
      if (!address.equals(server)) {
        server = address;
        disconnect();
        reconcile();
      }
    });
  }

  /** This master's info while it leads, empty when it does not. */
  public void setMasterInfo(Optional<MasterInfo> leading) {
    thread.execute(() -> {
      info = leading;
      if (leading.isEmpty()) {
        disconnect();
      }
      reconcile();
    });
  }

  /** The znode this master created, if it is in place (for tests and the shell). */
  public Optional<String> created() {
    try {
      return thread.submit(() -> Optional.ofNullable(created)).get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      LOG.warn("znode state not available reason={}", e.toString());
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    thread.execute(this::disconnect);
    thread.shutdown();
    try {
      if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("MasterInfo znode thread did not stop within 5 s");
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void reconcile() {
    if (info.isEmpty() || server.isEmpty() || created != null) {
      return;
    }
    try {
      if (client == null) {
        client = connect(server.get());
      }
      ensureParents();
      byte[] data = json(info.get()).getBytes(StandardCharsets.UTF_8);
      created = client.create(path + "/json.info_", data, ZooDefs.Ids.OPEN_ACL_UNSAFE,
          CreateMode.EPHEMERAL_SEQUENTIAL);
      LOG.info("MasterInfo published znode={} zk={}", created, server.get());
    } catch (IOException | KeeperException e) {
      LOG.warn("MasterInfo not published yet; retrying in {} ms zk={} reason={}", RETRY_MS,
          server.get(), e.toString());
      disconnect();
      scheduleRetry();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private ZooKeeper connect(String address) throws IOException, InterruptedException {
    ZKClientConfig config = new ZKClientConfig();
    config.setProperty(ZKClientConfig.ENABLE_CLIENT_SASL_KEY, "false");
    java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(1);
    ZooKeeper zk = new ZooKeeper(address, SESSION_TIMEOUT_MS, event -> onEvent(event, connected),
        config);
    if (!connected.await(SESSION_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
      zk.close();
      throw new IOException("no ZooKeeper session with " + address + " within "
          + SESSION_TIMEOUT_MS + " ms");
    }
    return zk;
  }

  private void onEvent(WatchedEvent event, java.util.concurrent.CountDownLatch connected) {
    if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
      connected.countDown();
    } else if (event.getState() == Watcher.Event.KeeperState.Expired) {
      thread.execute(() -> {
        LOG.warn("ZooKeeper session expired; MasterInfo znode={} is gone", created);
        disconnect();
        reconcile();
      });
    }
  }

  private void ensureParents() throws KeeperException, InterruptedException {
    StringBuilder prefix = new StringBuilder();
    for (String part : path.substring(1).split("/")) {
      prefix.append('/').append(part);
      try {
        client.create(prefix.toString(), new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE,
            CreateMode.PERSISTENT);
      } catch (KeeperException.NodeExistsException e) {
        LOG.trace("parent exists path={}", prefix);
      }
    }
  }

  private void disconnect() {
    if (client == null) {
      created = null;
      return;
    }
    try {
      if (created != null) {
        client.delete(created, -1);
        LOG.info("MasterInfo withdrawn znode={}", created);
      }
    } catch (KeeperException e) {
      LOG.info("MasterInfo znode={} not deleted ({}); it goes with the session", created,
          e.code());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      client.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    client = null;
    created = null;
  }

  private void scheduleRetry() {
    if (retryScheduled || thread.isShutdown()) {
      return;
    }
    retryScheduled = true;
    thread.schedule(() -> {
      retryScheduled = false;
      reconcile();
    }, RETRY_MS, TimeUnit.MILLISECONDS);
  }

  /** MasterInfo as Mesos writes it into ZooKeeper: protobuf JSON with the proto field names. */
  public static String json(MasterInfo info) {
    try {
      return JsonFormat.printer().preservingProtoFieldNames().omittingInsignificantWhitespace()
          .print(info);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("MasterInfo cannot be printed as JSON", e);
    }
  }
}
