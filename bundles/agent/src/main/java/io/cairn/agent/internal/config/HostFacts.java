package io.cairn.agent.internal.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the machine has, for the agent's default resources: cores, physical memory, free disk of
 * the work dir's file system, and the host name.
 *
 * @param cores available processors
 * @param memoryMb physical memory in MB
 * @param diskFreeMb free space of the work dir's file system in MB (of its nearest existing parent)
 * @param hostname the host's name
 */
public record HostFacts(int cores, long memoryMb, long diskFreeMb, String hostname) {
  private static final long MB = 1024L * 1024L;

  /** Reads the facts of this machine; {@code workDir} need not exist yet. */
  public static HostFacts detect(Path workDir) {
    return new HostFacts(
        Runtime.getRuntime().availableProcessors(),
        memTotalMb(),
        freeDisk(workDir) / MB,
        localHostname());
  }

  /**
   * MemTotal of /proc/meminfo (Linux). Read from /proc rather than com.sun.management, which
   * Karaf does not export to bundles.
   */
  private static long memTotalMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Named action: no memory is offered; the operator can set mem in resources.
      return 0;
    }
    return 0;
  }

  private static long freeDisk(Path workDir) {
    Path probe = workDir.toAbsolutePath();
    while (probe != null && !Files.exists(probe)) {
      probe = probe.getParent();
    }
    if (probe == null) {
      return 0;
    }
    try {
      return Files.getFileStore(probe).getUsableSpace();
    } catch (IOException e) {
      // Named action: no disk is offered; the operator can set disk in resources.
      return 0;
    }
  }

  private static String localHostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
