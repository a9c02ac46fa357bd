package io.cairn.agent.internal.core;

import io.cairn.env.Check;
import java.util.List;

/**
 * What a task runs, as Mesos's {@code CommandInfo} says it: either a shell command line run by
 * {@code /bin/sh -c}, or an argv executed directly. In argv form {@code arguments.get(0)} is the
 * program; unlike Mesos, argv[0] cannot differ from the program path (Java's ProcessBuilder offers
 * no way to set it).
 *
 * @param shell true for {@code /bin/sh -c value}, false for an argv
 * @param value the shell command line (shell form); empty in argv form
 * @param arguments the argv (argv form, at least one element); empty in shell form
 */
public record CommandSpec(boolean shell, String value, List<String> arguments) {
  /** Validates the form and copies the arguments. */
  public CommandSpec {
    arguments = List.copyOf(arguments);
    if (shell) {
      Check.argument(!value.isBlank(), "a shell command needs a non-empty value, got '%s'", value);
      Check.argument(arguments.isEmpty(), "a shell command takes no arguments, got %s", arguments);
    } else {
      Check.argument(!arguments.isEmpty(), "an argv command needs at least the program");
      Check.argument(value.isEmpty(), "an argv command has no value, got '%s'", value);
    }
  }

  /** A command line run by {@code /bin/sh -c}. */
  public static CommandSpec shell(String commandLine) {
    return new CommandSpec(true, commandLine, List.of());
  }

  /** A program and its arguments, executed without a shell. */
  public static CommandSpec argv(String... argv) {
    return new CommandSpec(false, "", List.of(argv));
  }

  /** The argv to execute, before any {@code setsid} prefix. */
  public List<String> argv() {
    return shell ? List.of("/bin/sh", "-c", value) : arguments;
  }
}
