package io.cairn.agent.internal.containerizer;

import io.cairn.agent.internal.core.RLimit;
import io.cairn.agent.internal.core.TaskResources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the process containerizer limits a task, decided once when the agent starts:
 *
 * <ul>
 *   <li><b>cgroups v2</b> when the agent can make child cgroups: the unified hierarchy is mounted
 *       (a {@code cgroup.controllers} file at its root), the agent's own cgroup (the {@code 0::}
 *       line of {@code /proc/self/cgroup}) is a writable directory, and its {@code
 *       cgroup.subtree_control} enables {@code cpu} and {@code memory} (delegated to the agent).
 *       Each task then gets {@code <agent cgroup>/cairn-<container id>} with {@code memory.max} =
 *       its mem and {@code cpu.max} = {@code cpus*100000 100000}, and its first process moves
 *       itself in before it runs the command (Mesos's {@code cgroups/cpu,cgroups/mem}).
 *   <li><b>rlimits only</b> otherwise: mem and cpus are <em>not</em> enforced.
 * </ul>
 *
 * <p>In both modes a task's {@code ContainerInfo.rlimit_info} is applied to its process through
 * util-linux {@code prlimit} (Mesos's {@code posix/rlimits} isolator); a task that asks for limits
 * on a host without {@code prlimit} fails to launch with a sentence.
 *
 * <p>Stateless after construction; used on the containerizer's event thread.
 */
public final class Isolation {
  private static final Logger LOG = LoggerFactory.getLogger(Isolation.class);
  /** The period of {@code cpu.max}, as Mesos's cgroups isolator uses (100 ms). */
  static final long CPU_PERIOD_US = 100_000;
  private static final String CGROUP_PREFIX = "cairn-";

  /** Which isolation applies. */
  public enum Mode {
    CGROUPS_V2,
    RLIMITS
  }

  private final Mode mode;
  private final Optional<Path> agentCgroup;
  private final Optional<Path> prlimit;
  private final String reason;

  private Isolation(Mode mode, Optional<Path> agentCgroup, Optional<Path> prlimit, String reason) {
    this.mode = mode;
    this.agentCgroup = agentCgroup;
    this.prlimit = prlimit;
    this.reason = reason;
  }

  /** Detects on this host: {@code /sys/fs/cgroup}, {@code /proc/self/cgroup}, {@code prlimit}. */
  public static Isolation detect() {
    return detect(Path.of("/sys/fs/cgroup"), Path.of("/proc/self/cgroup"), firstPrlimit());
  }

  /** Detects over the given files (tests hand a fake cgroup tree). */
  static Isolation detect(Path mountRoot, Path selfCgroup, Optional<Path> prlimit) {
    String why;
    // Unified layout: v2 at the root; hybrid layout (systemd): v2 at <root>/unified.
    Path cgroupRoot = Files.isRegularFile(mountRoot.resolve("cgroup.controllers"))
        ? mountRoot : mountRoot.resolve("unified");
    if (!Files.isRegularFile(cgroupRoot.resolve("cgroup.controllers"))) {
      why = "no cgroup v2 (unified) hierarchy at " + mountRoot + " or " + cgroupRoot;
    } else {
      Optional<String> own = unifiedPath(selfCgroup);
      if (own.isEmpty()) {
        why = "no '0::' line in " + selfCgroup;
      } else {
        Path dir = cgroupRoot.resolve(own.get().replaceFirst("^/+", ""));
        Set<String> enabled = subtreeControllers(dir);
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
          why = "the agent's cgroup " + dir + " is not writable (not delegated to it)";
        } else if (!enabled.containsAll(Set.of("cpu", "memory"))) {
          why = "the agent's cgroup " + dir + " does not enable cpu and memory for children"
              + " (cgroup.subtree_control: " + String.join(" ", enabled) + ")";
        } else {
          return new Isolation(Mode.CGROUPS_V2, Optional.of(dir), prlimit,
              "cgroup v2 at " + dir + " with cpu and memory delegated");
        }
      }
    }
    return new Isolation(Mode.RLIMITS, Optional.empty(), prlimit,
        why + "; mem and cpus are not enforced");
  }

  /** Rlimits only, no cgroups (tests, and hosts where cgroups must not be used). */
  static Isolation rlimitsOnly(Optional<Path> prlimit) {
    return new Isolation(Mode.RLIMITS, Optional.empty(), prlimit, "rlimits only (configured)");
  }

  public Mode mode() {
    return mode;
  }

  /**
   * Mesos's {@code --isolation} words for what is in effect: {@code cgroups/cpu,cgroups/mem,
   * posix/rlimits} or {@code posix/rlimits} (with no {@code prlimit}: {@code none}).
   */
  public String isolationFlag() {
    List<String> words = new ArrayList<>();
    if (mode == Mode.CGROUPS_V2) {
      words.add("cgroups/cpu");
      words.add("cgroups/mem");
    }
    if (prlimit.isPresent()) {
      words.add("posix/rlimits");
    }
    return words.isEmpty() ? "none" : String.join(",", words);
  }

  /** One line for the log and /state: the mode, why, and where prlimit is. */
  public String describe() {
    return mode.name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + reason + "; rlimits "
        + prlimit.map(p -> "through " + p).orElse("unavailable (no prlimit)");
  }

  /**
   * Prepares the task's limits and returns the argv to run (after any {@code setsid}): in cgroup
   * mode the task's cgroup is created and limited, and a {@code /bin/sh} prefix moves the process
   * into it before it execs the rest; a {@code prlimit} prefix applies the rlimits.
   *
   * @throws IOException when the cgroup cannot be made or limited
   * @throws IllegalArgumentException when rlimits are asked for and no prlimit exists
   */
  List<String> wrap(String containerId, TaskResources resources, List<RLimit> rlimits,
      List<String> argv) throws IOException {
    List<String> wrapped = new ArrayList<>();
    if (mode == Mode.CGROUPS_V2) {
      Path cgroup = createCgroup(containerId, resources);
      // $$ is the shell itself; exec keeps the pid, so the task and its children stay inside.
      wrapped.addAll(Arrays.asList("/bin/sh", "-c",
          "echo $$ > \"$0\" && exec \"$@\"", cgroup.resolve("cgroup.procs").toString()));
    }
    if (!rlimits.isEmpty()) {
      if (prlimit.isEmpty()) {
        throw new IllegalArgumentException("the task asks for rlimits " + rlimits.stream()
            .map(l -> l.resource() + "=" + l.values()).toList() + " but this host has no "
            + "prlimit (util-linux) to apply them");
      }
      wrapped.add(prlimit.get().toString());
      rlimits.forEach(l -> wrapped.add(l.prlimitOption()));
      wrapped.add("--");
    }
    wrapped.addAll(argv);
    return wrapped;
  }

  /** Removes the task's cgroup once its processes are gone; a failure is logged. */
  void release(String containerId) {
    if (mode != Mode.CGROUPS_V2) {
      return;
    }
    Path cgroup = agentCgroup.orElseThrow().resolve(CGROUP_PREFIX + containerId);
    try {
      Files.deleteIfExists(cgroup); // rmdir: the kernel removes the control files with it.
    } catch (IOException e) {
      // Named action: an empty cgroup left behind costs nothing; the operator may rmdir it.
      LOG.warn("cannot remove cgroup {}: {}", cgroup, e.toString());
    }
  }

  private Path createCgroup(String containerId, TaskResources resources) throws IOException {
    Path cgroup = agentCgroup.orElseThrow().resolve(CGROUP_PREFIX + containerId);
    Files.createDirectories(cgroup);
    Files.writeString(cgroup.resolve("memory.max"), memoryMax(resources.memMb()));
    Files.writeString(cgroup.resolve("cpu.max"), cpuMax(resources.cpus()));
    return cgroup;
  }

  /** {@code memory.max} for {@code memMb} MB: bytes, or {@code max} when the task asks for 0. */
  static String memoryMax(double memMb) {
    return memMb <= 0 ? "max" : Long.toString((long) Math.ceil(memMb * 1024 * 1024));
  }

  /** {@code cpu.max} for {@code cpus}: quota and period in µs, or {@code max} for 0 cpus. */
  static String cpuMax(double cpus) {
    if (cpus <= 0) {
      return "max " + CPU_PERIOD_US;
    }
    // The kernel's smallest quota is 1 ms.
    return Math.max(1_000, Math.round(cpus * CPU_PERIOD_US)) + " " + CPU_PERIOD_US;
  }

  private static Optional<String> unifiedPath(Path selfCgroup) {
    try {
      for (String line : Files.readAllLines(selfCgroup, StandardCharsets.UTF_8)) {
        if (line.startsWith("0::")) {
          return Optional.of(line.substring(3));
        }
      }
    } catch (IOException e) {
      LOG.debug("cannot read {}: {}", selfCgroup, e.toString());
    }
    return Optional.empty();
  }

  private static Set<String> subtreeControllers(Path dir) {
    try {
      String text = Files.readString(dir.resolve("cgroup.subtree_control")).trim();
      return text.isEmpty() ? Set.of() : Set.of(text.split("\\s+"));
    } catch (IOException e) {
      return Set.of();
    }
  }

  private static Optional<Path> firstPrlimit() {
    for (String dir : new String[] {"/usr/bin", "/bin", "/usr/sbin", "/sbin"}) {
      Path candidate = Path.of(dir, "prlimit");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
