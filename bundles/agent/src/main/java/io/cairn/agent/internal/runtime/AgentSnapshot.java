package io.cairn.agent.internal.runtime;

import io.cairn.agent.internal.core.AgentCore;
import io.cairn.agent.internal.core.TaskRecord;
import io.cairn.proto.mesos.v1.Protos.AgentInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A consistent copy of the agent's state, taken on its event thread, for /state, /metrics and the
 * shell.
 *
 * @param agentInfo hostname, port, resources, attributes, and the id once registered
 * @param registration where the agent stands with the master
 * @param master the master it is connected to, when connected
 * @param draining true once a drain started
 * @param tasks every task the agent knows
 * @param sandboxes the sandbox directory of each task that has one
 * @param pendingUpdates unacknowledged status updates
 * @param workDir the agent's work dir
 * @param startMillis when the agent started (wall clock)
 * @param containerizers the containerizers in use ({@code mesos}, and {@code docker} when an engine
 *     answered), Mesos's {@code --containerizers} order
 * @param dockerEngine the Docker engine's version and socket, or why docker is not in use
 * @param isolation Mesos's {@code --isolation} words in effect for process tasks ({@code
 *     cgroups/cpu,cgroups/mem,posix/rlimits} or {@code posix/rlimits})
 * @param isolationDetail which isolation applies and why (e.g. why cgroups v2 is not used)
 */
public record AgentSnapshot(
    AgentInfo agentInfo,
    AgentCore.Registration registration,
    Optional<String> master,
    boolean draining,
    List<TaskRecord> tasks,
    Map<String, Path> sandboxes,
    int pendingUpdates,
    Path workDir,
    long startMillis,
    List<String> containerizers,
    String dockerEngine,
    String isolation,
    String isolationDetail) {
  /** Copies the collections. */
  public AgentSnapshot {
    tasks = List.copyOf(tasks);
    sandboxes = Map.copyOf(sandboxes);
    containerizers = List.copyOf(containerizers);
  }
}
