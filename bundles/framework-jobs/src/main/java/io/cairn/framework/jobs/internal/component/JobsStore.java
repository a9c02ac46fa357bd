package io.cairn.framework.jobs.internal.component;

import io.cairn.framework.jobs.internal.api.JobsJson;
import io.cairn.framework.jobs.internal.core.JobRun;
import io.cairn.framework.jobs.internal.core.JobSpec;
import io.cairn.framework.jobs.internal.core.JobsCore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job definitions and runs in ZooKeeper, through Curator: {@code <root>/specs/<jobId>} (the spec
 * as JSON) and {@code <root>/runs/<jobId>/<runId>} (a run record). A new leader loads them all.
 *
 * <p>Threading: called only on the jobs thread; its calls block on ZooKeeper.
 */
final class JobsStore {
  private static final Logger LOG = LoggerFactory.getLogger(JobsStore.class);
  private final CuratorFramework curator;
  private final String root;

  JobsStore(CuratorFramework curator, String root) {
    this.curator = curator;
    this.root = root;
  }

  /** Every stored spec. */
  List<JobSpec> specs() throws Exception {
    List<JobSpec> out = new ArrayList<>();
    for (String id : children(root + "/specs")) {
      try {
        out.add(JobsJson.spec(curator.getData().forPath(root + "/specs/" + id)));
      } catch (KeeperException.NoNodeException e) {
        LOG.debug("job={} vanished while loading", id);
      }
    }
    return out;
  }

  /** Every stored run. */
  List<JobRun> runs() throws Exception {
    List<JobRun> out = new ArrayList<>();
    for (String jobId : children(root + "/runs")) {
      for (String runId : children(root + "/runs/" + jobId)) {
        try {
          out.add(JobsJson.runFromRecord(curator.getData().forPath(root + "/runs/" + jobId + "/"
              + runId)));
        } catch (KeeperException.NoNodeException e) {
          LOG.debug("run={}/{} vanished while loading", jobId, runId);
        } catch (IOException | IllegalArgumentException e) {
          LOG.warn("run={}/{} unreadable in ZooKeeper; skipped: {}", jobId, runId, e.toString());
        }
      }
    }
    return out;
  }

  /** Carries out a storage effect; returns false when it is not one. */
  boolean apply(JobsCore.Effect effect) throws Exception {
    if (effect instanceof JobsCore.PutJob put) {
      curator.create().orSetData().creatingParentsIfNeeded().forPath(root + "/specs/"
          + put.spec().id(), JobsJson.bytes(JobsJson.spec(put.spec())));
    } else if (effect instanceof JobsCore.DeleteJob delete) {
      curator.delete().quietly().deletingChildrenIfNeeded().forPath(root + "/runs/"
          + delete.jobId());
      curator.delete().quietly().forPath(root + "/specs/" + delete.jobId());
    } else if (effect instanceof JobsCore.PutRun put) {
      curator.create().orSetData().creatingParentsIfNeeded().forPath(root + "/runs/"
          + put.run().jobId() + "/" + put.run().id(), JobsJson.runRecord(put.run()));
    } else if (effect instanceof JobsCore.DeleteRun delete) {
      curator.delete().quietly().forPath(root + "/runs/" + delete.jobId() + "/"
          + delete.runId());
    } else {
      return false;
    }
    return true;
  }

  private List<String> children(String path) throws Exception {
    if (curator.checkExists().forPath(path) == null) {
      return List.of();
    }
    return curator.getChildren().forPath(path);
  }
}
