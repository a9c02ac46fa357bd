package io.cairn.agent.internal.containerizer;

import io.cairn.agent.internal.core.ProcStat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** Reads {@code /proc/<pid>/stat}. Thread-safe (stateless). */
final class ProcFs {
  private ProcFs() {}

  /** The stat of {@code pid}, or empty when no such process exists. */
  static Optional<ProcStat> stat(long pid) {
    try {
      String line =
          Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
      return Optional.of(ProcStat.parse(line.trim()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      // A process that exits while we read its stat file yields ESRCH as an IOException.
      if (!Files.exists(Path.of("/proc", Long.toString(pid)))) {
        return Optional.empty();
      }
      throw new IllegalStateException("cannot read /proc/" + pid + "/stat: " + e.getMessage(), e);
    }
  }

  /**
   * True when {@code pid} is a live (non-zombie) process that started at {@code startTimeTicks}.
   */
  static boolean isSameLiveProcess(long pid, long startTimeTicks) {
    return stat(pid).filter(s -> s.isLive() && s.startTimeTicks() == startTimeTicks).isPresent();
  }
}
