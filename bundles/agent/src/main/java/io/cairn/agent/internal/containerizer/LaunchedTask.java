package io.cairn.agent.internal.containerizer;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The result of a launch: where the task runs. The pid is empty when the command could not be
 * started (a TASK_FAILED update says why).
 *
 * @param taskId the task
 * @param containerId the container id chosen by the containerizer
 * @param sandbox the sandbox directory (stdout and stderr are in it)
 * @param pid the task's process id, which also names its process group
 */
public record LaunchedTask(String taskId, String containerId, Path sandbox, OptionalLong pid) {}
