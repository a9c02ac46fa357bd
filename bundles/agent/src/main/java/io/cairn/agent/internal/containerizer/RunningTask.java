package io.cairn.agent.internal.containerizer;

import io.cairn.agent.internal.core.LaunchSpec;
import io.cairn.agent.internal.core.TaskLifecycle;
import java.nio.file.Path;
import java.util.concurrent.ScheduledFuture;

/**
 * The containerizer's books on one live task. Mutable; touched only on the containerizer's event
 * thread.
 */
final class RunningTask {
  final LaunchSpec spec;
  final String containerId;
  final Path sandbox;
  final Path metaDir;
  final TaskLifecycle lifecycle;
  long pid = -1;
  long startTimeTicks = -1;
  boolean processGroup;
  ScheduledFuture<?> killTimer;

  RunningTask(LaunchSpec spec, String containerId, Path sandbox, Path metaDir, TaskLifecycle life) {
    this.spec = spec;
    this.containerId = containerId;
    this.sandbox = sandbox;
    this.metaDir = metaDir;
    this.lifecycle = life;
  }
}
