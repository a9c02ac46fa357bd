package io.cairn.agent.internal.containerizer;

import io.cairn.agent.internal.core.SandboxLayout;
import io.cairn.env.Check;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * Settings of one {@link ProcessContainerizer}.
 *
 * @param workDir the agent work dir; sandboxes and checkpoints live under it
 * @param agentId the agent id given to tasks as MESOS_AGENT_ID
 * @param hostname the host name given to tasks as HOST
 * @param setsid the {@code setsid} binary; empty means tasks share the agent's process group and a
 *     kill reaches only the task's live descendants, not daemonised grandchildren
 * @param kill the {@code kill} binary used to signal a process group
 * @param defaultPath PATH given to tasks that do not set their own
 * @param clock the wall clock stamped on status updates
 * @param isolation how tasks are limited (cgroups v2 or rlimits only), decided at agent start
 */
public record ContainerizerConfig(
    Path workDir,
    String agentId,
    String hostname,
    Optional<Path> setsid,
    Path kill,
    String defaultPath,
    Clock clock,
    Isolation isolation) {
  /** Mesos's default PATH for tasks (stout {@code os::host_default_path()}). */
  public static final String DEFAULT_PATH =
      "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /** Validates ids and that the kill binary exists. */
  public ContainerizerConfig {
    SandboxLayout.checkSegment("agent id", agentId);
    Check.argument(!hostname.isBlank(), "hostname must not be blank");
    Check.argument(workDir.isAbsolute(), "work dir '%s' must be an absolute path", workDir);
    Check.argument(Files.isExecutable(kill), "kill binary '%s' is not executable", kill);
  }

  /** A config that finds setsid and kill in /usr/bin or /bin and detects the isolation. */
  public static ContainerizerConfig detect(Path workDir, String agentId, String hostname) {
    return detect(workDir, agentId, hostname, Isolation.detect());
  }

  /** A config that finds setsid and kill in /usr/bin or /bin, with the given isolation. */
  public static ContainerizerConfig detect(
      Path workDir, String agentId, String hostname, Isolation isolation) {
    return new ContainerizerConfig(
        workDir,
        agentId,
        hostname,
        firstExecutable("setsid"),
        firstExecutable("kill").orElse(Path.of("/bin/kill")),
        DEFAULT_PATH,
        Clock.systemUTC(),
        isolation);
  }

  private static Optional<Path> firstExecutable(String name) {
    for (String dir : new String[] {"/usr/bin", "/bin"}) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
