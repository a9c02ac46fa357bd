package io.cairn.itests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the processes of Cairn tasks the way an operator would, by an entry of their environment
 * in {@code /proc/<pid>/environ} (the agent puts {@code MESOS_TASK_ID=<id>} there; the itest adds
 * its own marker variable), and kills them by pid. Linux only.
 *
 * <p>Threading: stateless; called from the test thread.
 */
final class MesosProcesses {
  private static final Logger LOG = LoggerFactory.getLogger(MesosProcesses.class);

  /** A process seen in /proc: its pid and start instant (together they name it uniquely). */
  record Seen(long pid, Optional<Instant> started) {}

  private MesosProcesses() {}

  /** Live processes whose environment holds exactly {@code entry} ({@code NAME=value}). */
  static List<Seen> withEnvironment(String entry) throws IOException {
    return matching(variables -> variables.contains(entry));
  }

  /** Live processes with a variable named {@code name}, whatever its value. */
  static List<Seen> withVariable(String name) throws IOException {
    return matching(variables -> variables.stream().anyMatch(v -> v.startsWith(name + "=")));
  }

  private static List<Seen> matching(java.util.function.Predicate<List<String>> wanted)
      throws IOException {
    List<Seen> found = new ArrayList<>();
    long self = ProcessHandle.current().pid();
    try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
      for (Path dir : entries.toList()) {
        String name = dir.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit) || Long.parseLong(name) == self) {
          continue;
        }
        List<String> variables = environment(dir);
        if (!variables.isEmpty() && wanted.test(variables)) {
          long pid = Long.parseLong(name);
          ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(handle ->
              found.add(new Seen(pid, handle.info().startInstant())));
        }
      }
    }
    return found;
  }

  /** The environment of one /proc entry; empty when it is gone or unreadable (not ours). */
  private static List<String> environment(Path dir) {
    try {
      byte[] bytes = Files.readAllBytes(dir.resolve("environ"));
      return Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\0"));
    } catch (NoSuchFileException e) {
      return List.of(); // the process ended while we listed /proc
    } catch (IOException e) {
      LOG.debug("skipping {}: environ not readable: {}", dir, e.toString());
      return List.of();
    }
  }

  /** Sends SIGKILL to each process, if it is still the same process (same start instant). */
  /** After a test: kills (and logs) the task processes still carrying {@code entry}. */
  static void killLeft(String entry) throws IOException {
    List<Seen> left = withEnvironment(entry);
    if (!left.isEmpty()) {
      LOG.warn("killing task processes still running after the test: {}", left);
      killAll(left);
    }
  }

  static void killAll(List<Seen> processes) {
    for (Seen seen : processes) {
      ProcessHandle.of(seen.pid())
          .filter(h -> h.info().startInstant().equals(seen.started()))
          .ifPresent(handle -> {
            LOG.info("kill -9 pid={}", seen.pid());
            handle.destroyForcibly();
          });
    }
  }

  /** True while the process runs: same start instant, and not a zombie waiting to be reaped. */
  static boolean alive(Seen seen) {
    boolean same = ProcessHandle.of(seen.pid()).filter(ProcessHandle::isAlive)
        .map(h -> h.info().startInstant().equals(seen.started())).orElse(false);
    return same && !zombie(seen.pid());
  }

  private static boolean zombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.substring(stat.lastIndexOf(')') + 1).strip().startsWith("Z");
    } catch (IOException e) {
      return true; // gone between the two looks: not alive
    }
  }
}
