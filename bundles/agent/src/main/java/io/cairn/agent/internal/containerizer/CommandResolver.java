package io.cairn.agent.internal.containerizer;

import io.cairn.agent.internal.core.CommandSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Checks before a launch that the program exists, so that a missing binary becomes TASK_FAILED with
 * a sentence instead of a bare exit status 127 from setsid. Stateless.
 */
final class CommandResolver {
  private CommandResolver() {}

  /** Why the command's program cannot be executed, or empty when it can. */
  static Optional<String> missingProgram(
      CommandSpec command, Path sandbox, Map<String, String> env) {
    String program = command.argv().get(0);
    if (program.contains("/")) {
      Path path = sandbox.resolve(program); // a relative path is relative to the sandbox
      return Files.isRegularFile(path) && Files.isExecutable(path)
          ? Optional.empty()
          : Optional.of(String.format("executable '%s' does not exist or is not executable", path));
    }
    String searchPath = env.getOrDefault("PATH", "");
    for (String dir : searchPath.split(":")) {
      if (!dir.isEmpty()
          && Files.isExecutable(Path.of(dir, program))
          && Files.isRegularFile(Path.of(dir, program))) {
        return Optional.empty();
      }
    }
    return Optional.of(
        String.format("executable '%s' was not found on the task's PATH=%s", program, searchPath));
  }
}
