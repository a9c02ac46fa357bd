package io.cairn.marathon.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.marathon.internal.core.DeploymentPlan;
import io.cairn.marathon.internal.core.Effects;
import io.cairn.marathon.internal.core.Instance;
import io.cairn.marathon.internal.model.AppDefinition;
import io.cairn.marathon.internal.model.AppJson;
import io.cairn.marathon.internal.model.PathIds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marathon's state in ZooKeeper through Curator, under {@code <root>/state} (default
 * {@code /marathon/state}):
 * <pre>
 *   apps/&lt;app_id&gt;                       current definition (AppJson; '/' written as '_')
 *   app-versions/&lt;app_id&gt;/&lt;version&gt;   every stored version (the newest 50)
 *   deployments/&lt;plan-id&gt;                running plans (original + target apps, steps)
 *   instances/&lt;task-id&gt;                  launched, not yet terminal instances
 *   framework-id                         the FrameworkID of the last subscription
 * </pre>
 * A new leader {@link #load}s all of it and resumes. Writes are synchronous and idempotent
 * (create-or-set, delete-if-present). Runs of instance writes (the bulk: one per launch and one
 * per terminal task) go to ZooKeeper as {@code multi} transactions of at most
 * {@value #MULTI_OPS_MAX} operations and {@value #MULTI_BYTES_MAX} bytes, each atomic, so that a
 * whole offer cycle costs a few round trips instead of one per instance; a transaction that fails
 * on a node state (already created, already deleted: a retry after a lost connection) is replayed
 * one idempotent write at a time. Threading: one caller at a time (the driver's store thread
 * writes, the loop loads on election while nothing is written).
 */
public final class ZkStateStore {
  private static final Logger LOG = LoggerFactory.getLogger(ZkStateStore.class);
  /** Operations per {@code multi}. */
  static final int MULTI_OPS_MAX = 500;
  /** Payload bytes per {@code multi} (ZooKeeper's default jute.maxbuffer is 1 MB). */
  static final int MULTI_BYTES_MAX = 512 * 1024;

  private final CuratorFramework curator;
  private final String root;
  private volatile boolean instancesParentExists;
  private volatile long transactions; // written by the one writer only

  /** Everything stored. */
  public record Loaded(List<AppDefinition> apps, Map<String, List<AppDefinition>> versions,
      List<DeploymentPlan> deployments, List<Instance> instances, String frameworkId) {}

  public ZkStateStore(CuratorFramework curator, String rootPath) {
    this.curator = curator;
    this.root = rootPath.endsWith("/") ? rootPath + "state" : rootPath + "/state";
  }

  /** Applies the core's writes in order. */
  public void write(List<Effects.Write> writes) throws Exception {
    List<Effects.Write> run = new ArrayList<>();
    for (Effects.Write write : writes) {
      if (write instanceof Effects.PutInstance || write instanceof Effects.DeleteInstance) {
        run.add(write);
        continue;
      }
      writeInstances(run);
      run.clear();
      writeOne(write);
    }
    writeInstances(run);
  }

  /** How many {@code multi} transactions were committed (tests and the bench read it). */
  public long transactions() {
    return transactions;
  }

  /** A run of instance writes as few {@code multi} transactions, in order. */
  private void writeInstances(List<Effects.Write> run) throws Exception {
    if (run.isEmpty()) {
      return;
    }
    if (run.size() == 1) {
      writeOne(run.get(0));
      return;
    }
    if (!instancesParentExists) {
      try {
        curator.create().creatingParentsIfNeeded().forPath(root + "/instances");
      } catch (KeeperException.NodeExistsException e) {
        LOG.trace("{}/instances exists already (stored by an earlier leader)", root, e);
      }
      instancesParentExists = true;
    }
    List<CuratorOp> ops = new ArrayList<>();
    List<Effects.Write> chunk = new ArrayList<>();
    int bytes = 0;
    for (Effects.Write write : run) {
      CuratorOp op;
      int size;
      if (write instanceof Effects.PutInstance put) {
        byte[] data = bytes(StateJson.instance(put.instance()));
        op = curator.transactionOp().create().forPath(root + "/instances/"
            + put.instance().taskId(), data);
        size = data.length + 128;
      } else {
        op = curator.transactionOp().delete().forPath(root + "/instances/"
            + ((Effects.DeleteInstance) write).taskId());
        size = 128;
      }
      if (!ops.isEmpty() && (ops.size() >= MULTI_OPS_MAX || bytes + size > MULTI_BYTES_MAX)) {
        commit(ops, chunk);
        ops = new ArrayList<>();
        chunk = new ArrayList<>();
        bytes = 0;
      }
      ops.add(op);
      chunk.add(write);
      bytes += size;
    }
    commit(ops, chunk);
  }

  private void commit(List<CuratorOp> ops, List<Effects.Write> chunk) throws Exception {
    try {
      curator.transaction().forOperations(ops);
      transactions++;
    } catch (KeeperException.NodeExistsException | KeeperException.NoNodeException e) {
      // A launch stored twice (a retried transaction that had committed) or a terminal task
      // deleted twice: the transaction changed nothing; replay it one idempotent write at a time.
      for (Effects.Write write : chunk) {
        writeOne(write);
      }
    }
  }

  private void writeOne(Effects.Write write) throws Exception {
    if (write instanceof Effects.PutApp put) {
      byte[] data = bytes(AppJson.write(put.app()));
      String safe = PathIds.safe(put.app().id());
      set(root + "/apps/" + safe, data);
      set(root + "/app-versions/" + safe + "/" + put.app().version(), data);
      trimVersions(root + "/app-versions/" + safe, 50);
    } else if (write instanceof Effects.DeleteApp delete) {
      String safe = PathIds.safe(delete.appId());
      deleteTree(root + "/apps/" + safe);
      deleteTree(root + "/app-versions/" + safe);
    } else if (write instanceof Effects.PutDeployment put) {
      set(root + "/deployments/" + put.plan().id(), bytes(StateJson.plan(put.plan())));
    } else if (write instanceof Effects.DeleteDeployment delete) {
      deleteTree(root + "/deployments/" + delete.planId());
    } else if (write instanceof Effects.PutInstance put) {
      set(root + "/instances/" + put.instance().taskId(),
          bytes(StateJson.instance(put.instance())));
    } else if (write instanceof Effects.DeleteInstance delete) {
      deleteTree(root + "/instances/" + delete.taskId());
    }
  }

  /** Records the FrameworkID (shown by /v2/info). */
  public void frameworkId(String id) throws Exception {
    set(root + "/framework-id", id.getBytes(StandardCharsets.UTF_8));
  }

  /** Reads the whole state. */
  public Loaded load() throws Exception {
    List<AppDefinition> apps = new ArrayList<>();
    Map<String, List<AppDefinition>> versions = new TreeMap<>();
    for (String safe : children(root + "/apps")) {
      AppDefinition app = AppJson.read(json(root + "/apps/" + safe));
      apps.add(app);
      List<AppDefinition> list = new ArrayList<>();
      for (String version : children(root + "/app-versions/" + safe)) {
        list.add(AppJson.read(json(root + "/app-versions/" + safe + "/" + version)));
      }
      versions.put(app.id(), list);
    }
    List<DeploymentPlan> plans = new ArrayList<>();
    for (String id : children(root + "/deployments")) {
      plans.add(StateJson.plan(json(root + "/deployments/" + id)));
    }
    plans.sort(java.util.Comparator.comparing(DeploymentPlan::version));
    List<Instance> instances = new ArrayList<>();
    for (String id : children(root + "/instances")) {
      instances.add(StateJson.instance(json(root + "/instances/" + id)));
    }
    String frameworkId = "";
    if (curator.checkExists().forPath(root + "/framework-id") != null) {
      frameworkId = new String(curator.getData().forPath(root + "/framework-id"),
          StandardCharsets.UTF_8);
    }
    return new Loaded(apps, versions, plans, instances, frameworkId);
  }

  private void set(String path, byte[] data) throws Exception {
    try {
      curator.setData().forPath(path, data);
    } catch (KeeperException.NoNodeException e) {
      try {
        curator.create().creatingParentsIfNeeded().forPath(path, data);
      } catch (KeeperException.NodeExistsException raced) {
        curator.setData().forPath(path, data);
      }
    }
  }

  private void deleteTree(String path) throws Exception {
    try {
      curator.delete().deletingChildrenIfNeeded().forPath(path);
    } catch (KeeperException.NoNodeException e) {
      // Already gone: deletes are idempotent.
      return;
    }
  }

  private void trimVersions(String path, int keep) throws Exception {
    List<String> versions = children(path);
    for (int i = 0; i < versions.size() - keep; i++) {
      deleteTree(path + "/" + versions.get(i));
    }
  }

  private List<String> children(String path) throws Exception {
    try {
      List<String> children = new ArrayList<>(curator.getChildren().forPath(path));
      children.sort(null);
      return children;
    } catch (KeeperException.NoNodeException e) {
      return List.of();
    }
  }

  private ObjectNode json(String path) throws Exception {
    JsonNode node = AppJson.MAPPER.readTree(curator.getData().forPath(path));
    if (!(node instanceof ObjectNode object)) {
      throw new IOException("znode " + path + " does not hold a JSON object");
    }
    return object;
  }

  private static byte[] bytes(ObjectNode json) throws IOException {
    return AppJson.MAPPER.writeValueAsBytes(json);
  }
}
