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
import org.apache.zookeeper.KeeperException;

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
 * (create-or-set, delete-if-present). Threading: called from the Marathon loop only.
 */
public final class ZkStateStore {
  private final CuratorFramework curator;
  private final String root;

  /** Everything stored. */
  public record Loaded(List<AppDefinition> apps, Map<String, List<AppDefinition>> versions,
      List<DeploymentPlan> deployments, List<Instance> instances, String frameworkId) {}

  public ZkStateStore(CuratorFramework curator, String rootPath) {
    this.curator = curator;
    this.root = rootPath.endsWith("/") ? rootPath + "state" : rootPath + "/state";
  }

  /** Applies the core's writes in order. */
  public void write(List<Effects.Write> writes) throws Exception {
    for (Effects.Write write : writes) {
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
