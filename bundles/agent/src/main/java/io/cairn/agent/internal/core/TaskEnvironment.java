package io.cairn.agent.internal.core;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Builds a task's complete environment. The task does not inherit the agent's environment: it gets
 * PATH, then HOST and the port variables Marathon documents (PORT0..PORT{N-1}, PORT = PORT0, PORTS
 * = comma-separated list; marathon docs/docs/task-environment-vars.md), then the task's own {@code
 * CommandInfo.environment} (which may override all of those), then the MESOS_* variables, which the
 * agent owns and a task cannot override.
 *
 * <p>Marathon's PORT_&lt;declaredPort&gt; and PORT_&lt;NAME&gt; need the app's port definitions,
 * which a TaskInfo does not carry; Marathon sends them in {@code CommandInfo.environment}, and they
 * pass through unchanged.
 */
public final class TaskEnvironment {
  private TaskEnvironment() {}

  /** Identity of the agent and the container, as the task should see it. */
  public record Context(String agentId, String hostname, Path sandbox, String defaultPath) {}

  /** The full environment of the task, sorted by name. */
  public static Map<String, String> build(LaunchSpec spec, Context context) {
    Map<String, String> env = new TreeMap<>();
    env.put("PATH", context.defaultPath());
    env.put("HOST", context.hostname());
    env.putAll(portVariables(spec.resources().ports()));
    env.putAll(spec.environment());
    env.put("MESOS_SANDBOX", context.sandbox().toString());
    env.put("MESOS_DIRECTORY", context.sandbox().toString());
    env.put("MESOS_TASK_ID", spec.taskId());
    env.put("MESOS_FRAMEWORK_ID", spec.frameworkId());
    env.put("MESOS_EXECUTOR_ID", spec.executorId());
    env.put("MESOS_AGENT_ID", context.agentId());
    env.put("MESOS_SLAVE_ID", context.agentId());
    return env;
  }

  /** PORT0..PORT{N-1}, PORT and PORTS for the assigned ports; empty when there are none. */
  public static Map<String, String> portVariables(List<Integer> ports) {
    Map<String, String> env = new TreeMap<>();
    for (int i = 0; i < ports.size(); i++) {
      env.put("PORT" + i, Integer.toString(ports.get(i)));
    }
    if (!ports.isEmpty()) {
      env.put("PORT", Integer.toString(ports.get(0)));
      env.put("PORTS", ports.stream().map(String::valueOf).collect(Collectors.joining(",")));
    }
    return env;
  }
}
