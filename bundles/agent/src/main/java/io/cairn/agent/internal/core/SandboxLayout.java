package io.cairn.agent.internal.core;

import io.cairn.env.Check;
import java.nio.file.Path;

/**
 * Where a container's files live under the agent work dir, in Mesos's layout (Mesos inserts {@code
 * slaves/<agentId>/} after the work dir; Cairn's work dir is already per agent):
 *
 * <pre>
 * work/frameworks/FID/executors/EID/runs/CID/          sandbox: stdout, stderr, task files
 * work/meta/frameworks/FID/executors/EID/runs/CID/task.checkpoint   pid, start time, spec
 * </pre>
 *
 * Pure path arithmetic: nothing here touches the disk.
 */
public final class SandboxLayout {
  /** The checkpoint file name inside a container's meta directory. */
  public static final String CHECKPOINT_FILE = "task.checkpoint";

  private final Path workDir;

  /** A layout rooted at {@code workDir}. */
  public SandboxLayout(Path workDir) {
    this.workDir = workDir;
  }

  /** Fails with a sentence when {@code value} cannot be one path segment. */
  public static void checkSegment(String what, String value) {
    Check.argument(
        value != null
            && !value.isEmpty()
            && !value.equals(".")
            && !value.equals("..")
            && value.indexOf('/') < 0
            && value.indexOf('\0') < 0
            && value.length() <= 255,
        "%s '%s' is not usable as a directory name: it must be 1..255 characters, not '.' or"
            + " '..', without '/' or NUL",
        what,
        value);
  }

  /** The sandbox directory of one container. */
  public Path sandbox(String frameworkId, String executorId, String containerId) {
    return runs(workDir, frameworkId, executorId, containerId);
  }

  /** The meta (checkpoint) directory of one container. */
  public Path meta(String frameworkId, String executorId, String containerId) {
    return runs(metaRoot(), frameworkId, executorId, containerId);
  }

  /** The root under which every checkpoint lives. */
  public Path metaRoot() {
    return workDir.resolve("meta");
  }

  private static Path runs(Path root, String frameworkId, String executorId, String cid) {
    checkSegment("framework id", frameworkId);
    checkSegment("executor id", executorId);
    checkSegment("container id", cid);
    return root.resolve("frameworks")
        .resolve(frameworkId)
        .resolve("executors")
        .resolve(executorId)
        .resolve("runs")
        .resolve(cid);
  }
}
