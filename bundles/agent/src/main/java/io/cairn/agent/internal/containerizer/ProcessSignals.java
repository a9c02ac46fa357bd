package io.cairn.agent.internal.containerizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends signals to a task. With a process group (the task was started by setsid) it runs {@code
 * kill -s SIG -- -PGID}, which reaches every process of the group, including orphaned
 * grandchildren; Java itself cannot signal a group. Without one it falls back to the task's process
 * and its live descendants through {@link ProcessHandle} (TERM = destroy, KILL = destroyForcibly).
 * Stateless; called on the containerizer's event thread.
 */
final class ProcessSignals {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessSignals.class);
  private static final long KILL_COMMAND_TIMEOUT_MS = 5_000;

  /** The two signals the containerizer sends. */
  enum Signal {
    TERM,
    KILL
  }

  private final Path killBinary;

  ProcessSignals(Path killBinary) {
    this.killBinary = killBinary;
  }

  /** Signals the task whose leader is {@code pid}; returns true if the signal was delivered. */
  boolean signal(long pid, boolean processGroup, Signal signal) {
    return processGroup ? signalGroup(pid, signal) : signalTree(pid, signal);
  }

  private boolean signalGroup(long pgid, Signal signal) {
    List<String> command = List.of(killBinary.toString(), "-s", signal.name(), "--", "-" + pgid);
    try {
      Process kill =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!kill.waitFor(KILL_COMMAND_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        kill.destroyForcibly();
        LOG.warn("kill command timed out pgid={} signal={}; abandoned it", pgid, signal);
        return false;
      }
      // Exit status 1 means no process was left in the group; that is not an error.
      LOG.debug(
          "signalled process group pgid={} signal={} status={}", pgid, signal, kill.exitValue());
      return kill.exitValue() == 0;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warn("interrupted while signalling pgid={} signal={}", pgid, signal);
      return false;
    }
  }

  private static boolean signalTree(long pid, Signal signal) {
    return ProcessHandle.of(pid)
        .map(
            handle -> {
              handle.descendants().forEach(child -> send(child, signal));
              return send(handle, signal);
            })
        .orElse(false);
  }

  private static boolean send(ProcessHandle handle, Signal signal) {
    return signal == Signal.TERM ? handle.destroy() : handle.destroyForcibly();
  }
}
