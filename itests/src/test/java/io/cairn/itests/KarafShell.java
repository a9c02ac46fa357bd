package io.cairn.itests;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;

/**
 * Runs Karaf shell commands inside a Pax Exam container. A bundle's commands register
 * asynchronously after it starts, so right after boot the console may answer "Command not found"
 * for a command that is coming: such a command is retried for up to a minute; any other failure
 * fails the test at once with the command and what it printed.
 */
final class KarafShell {
  private static final Duration UNKNOWN_COMMAND_WAIT = Duration.ofSeconds(60);

  private KarafShell() {}

  static String execute(SessionFactory sessions, String command) {
    long end = System.nanoTime() + UNKNOWN_COMMAND_WAIT.toNanos();
    while (true) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
      try (Session session = sessions.create(System.in, out, out)) {
        session.execute(command);
        return bytes.toString(StandardCharsets.UTF_8);
      } catch (Exception e) {
        if (unknownCommand(e) && System.nanoTime() < end) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
          continue;
        }
        throw new AssertionError("command failed: " + command + ": "
            + bytes.toString(StandardCharsets.UTF_8), e);
      }
    }
  }

  /** Gogo's CommandNotFoundException, matched by name: the probe need not import Gogo. */
  private static boolean unknownCommand(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t.getClass().getSimpleName().equals("CommandNotFoundException")) {
        return true;
      }
    }
    return false;
  }
}
