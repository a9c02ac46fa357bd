package io.cairn.agent.internal.core;

import io.cairn.env.Check;
import io.cairn.proto.mesos.v1.Protos.TaskState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * What the containerizer persists about one container so that a new containerizer can adopt its
 * process: the spec, the pid, the process start time (guards against pid reuse) and, once the task
 * ended, its terminal state. Encoded as sorted {@code key=value} lines (values escape backslash, CR
 * and LF) followed by {@code crc32c=<hex>} over all preceding bytes; decoding verifies the checksum
 * first (STYLE §5 pair assertions), so a torn write is detected, never half-read.
 *
 * @param spec the launch spec
 * @param containerId the container id (a directory name)
 * @param pid the task's process id
 * @param startTimeTicks {@code /proc/<pid>/stat} field 22 at launch; -1 when the process had
 *     already exited when it was read
 * @param processGroup true when the task leads its own process group (started by setsid)
 * @param terminalState the terminal state once reached
 */
public record TaskCheckpoint(
    LaunchSpec spec,
    String containerId,
    long pid,
    long startTimeTicks,
    boolean processGroup,
    Optional<TaskState> terminalState) {
  private static final String CRC_KEY = "crc32c=";

  /** This checkpoint with a terminal state. */
  public TaskCheckpoint terminal(TaskState state) {
    return new TaskCheckpoint(
        spec, containerId, pid, startTimeTicks, processGroup, Optional.of(state));
  }

  /** The bytes to write. */
  public byte[] encode() {
    Map<String, String> fields = new TreeMap<>();
    fields.put("version", "1");
    fields.put("task.id", spec.taskId());
    fields.put("framework.id", spec.frameworkId());
    fields.put("executor.id", spec.executorId());
    fields.put("container.id", containerId);
    fields.put("pid", Long.toString(pid));
    fields.put("start.time.ticks", Long.toString(startTimeTicks));
    fields.put("process.group", Boolean.toString(processGroup));
    terminalState.ifPresent(s -> fields.put("terminal.state", s.name()));
    fields.put("command.shell", Boolean.toString(spec.command().shell()));
    fields.put("command.value", spec.command().value());
    List<String> args = spec.command().arguments();
    for (int i = 0; i < args.size(); i++) {
      fields.put(String.format("command.arg.%04d", i), args.get(i));
    }
    spec.environment().forEach((k, v) -> fields.put("env." + k, v));
    fields.put("resources.cpus", Double.toString(spec.resources().cpus()));
    fields.put("resources.mem.mb", Double.toString(spec.resources().memMb()));
    fields.put("resources.ports", join(spec.resources().ports()));
    fields.put("kill.grace.period.ms", Long.toString(spec.killGracePeriod().toMillis()));
    spec.rlimits().forEach(l -> fields.put("rlimit." + l.resource(), l.values()));
    StringBuilder text = new StringBuilder();
    fields.forEach((k, v) -> text.append(k).append('=').append(escape(v)).append('\n'));
    byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
    String crc = CRC_KEY + Long.toHexString(crc(body)) + "\n";
    return (text + crc).getBytes(StandardCharsets.UTF_8);
  }

  /** Decodes and verifies {@code bytes}; fails with the reason on a bad checksum or field. */
  public static TaskCheckpoint decode(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    int crcAt = text.lastIndexOf(CRC_KEY);
    Check.argument(
        crcAt >= 0 && text.endsWith("\n"), "checkpoint has no crc32c line (torn write?)");
    byte[] body = text.substring(0, crcAt).getBytes(StandardCharsets.UTF_8);
    String stored = text.substring(crcAt + CRC_KEY.length()).trim();
    Check.argument(
        Long.toHexString(crc(body)).equals(stored),
        "checkpoint crc32c mismatch: stored %s, computed %s",
        stored,
        Long.toHexString(crc(body)));
    Map<String, String> f = new LinkedHashMap<>();
    for (String line : text.substring(0, crcAt).split("\n")) {
      int eq = line.indexOf('=');
      Check.argument(eq > 0, "checkpoint line without '=': '%s'", line);
      f.put(line.substring(0, eq), unescape(line.substring(eq + 1)));
    }
    Check.argument(
        "1".equals(f.get("version")), "checkpoint version %s, expected 1", f.get("version"));
    return fromFields(f);
  }

  private static TaskCheckpoint fromFields(Map<String, String> f) {
    List<String> args = new ArrayList<>();
    Map<String, String> env = new TreeMap<>();
    List<RLimit> rlimits = new ArrayList<>();
    f.forEach(
        (k, v) -> {
          if (k.startsWith("command.arg.")) {
            args.add(v); // keys are sorted and zero-padded, so this is argv order
          } else if (k.startsWith("env.")) {
            env.put(k.substring("env.".length()), v);
          } else if (k.startsWith("rlimit.")) {
            rlimits.add(RLimit.parse(k.substring("rlimit.".length()), v));
          }
        });
    CommandSpec command =
        new CommandSpec(Boolean.parseBoolean(f.get("command.shell")), f.get("command.value"), args);
    TaskResources resources =
        new TaskResources(
            Double.parseDouble(f.get("resources.cpus")),
            Double.parseDouble(f.get("resources.mem.mb")),
            split(f.get("resources.ports")));
    LaunchSpec spec =
        new LaunchSpec(
            f.get("task.id"),
            f.get("framework.id"),
            f.get("executor.id"),
            command,
            env,
            resources,
            Duration.ofMillis(Long.parseLong(f.get("kill.grace.period.ms"))),
            rlimits);
    return new TaskCheckpoint(
        spec,
        f.get("container.id"),
        Long.parseLong(f.get("pid")),
        Long.parseLong(f.get("start.time.ticks")),
        Boolean.parseBoolean(f.get("process.group")),
        Optional.ofNullable(f.get("terminal.state")).map(TaskState::valueOf));
  }

  private static long crc(byte[] body) {
    CRC32C crc = new CRC32C();
    crc.update(body);
    return crc.getValue();
  }

  private static String join(List<Integer> ports) {
    StringBuilder s = new StringBuilder();
    for (int p : ports) {
      s.append(s.length() == 0 ? "" : ",").append(p);
    }
    return s.toString();
  }

  private static List<Integer> split(String ports) {
    List<Integer> list = new ArrayList<>();
    if (!ports.isEmpty()) {
      for (String p : ports.split(",")) {
        list.add(Integer.parseInt(p));
      }
    }
    return list;
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
  }

  private static String unescape(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' && i + 1 < value.length()) {
        char next = value.charAt(++i);
        out.append(next == 'n' ? '\n' : next == 'r' ? '\r' : next);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
