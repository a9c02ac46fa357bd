package io.cairn.master.internal.command;

import io.cairn.allocator.Allocation;
import io.cairn.allocator.AllocatorBooks;
import io.cairn.allocator.OfferPlan;
import io.cairn.allocator.Quantities;
import io.cairn.allocator.Quota;
import io.cairn.allocator.Roles;
import io.cairn.master.internal.component.MasterComponent;
import io.cairn.master.internal.core.MasterCore;
import io.cairn.master.internal.server.MasterDriver;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * What the {@code allocator:} commands share: reading the leading master's allocator on its event
 * loop, sending weight and quota changes through it, and parsing what an operator types. Parsing
 * is pure and answers a plain sentence for bad input.
 */
final class AllocatorText {
  private AllocatorText() {}

  /** The allocator as the master thread saw it at one moment. */
  record View(String allocatorName, AllocatorBooks books, List<Allocation> outstandingOffers,
      Optional<OfferPlan> lastFullAllocation) {}

  /** A parsed value, or the sentence saying what is wrong with the input. */
  record Parsed<T>(T value, String problem) {
    static <T> Parsed<T> of(T value) {
      return new Parsed<>(value, null);
    }

    static <T> Parsed<T> problem(String template, Object... args) {
      return new Parsed<>(null, String.format(Locale.ROOT, template, args));
    }

    boolean ok() {
      return problem == null;
    }
  }

  /** The allocator's view, or a sentence saying why there is none. */
  static Object fetch(MasterComponent master) {
    Object driver = driver(master);
    if (!(driver instanceof MasterDriver running)) {
      return driver;
    }
    String name = running.allocatorName();
    return await(running, running.withCore(core -> new View(name, core.allocatorBooks(),
        core.outstandingOffers(), core.lastFullAllocation())), "read the allocator");
  }

  /**
   * Runs a policy change on the master thread and waits for the registry's answer. Returns null
   * when it was applied, else a sentence.
   */
  static String change(MasterComponent master,
      BiConsumer<MasterCore, java.util.function.Consumer<String>> change) {
    Object driver = driver(master);
    if (!(driver instanceof MasterDriver running)) {
      return (String) driver;
    }
    CompletableFuture<String> answer = new CompletableFuture<>();
    Object started = await(running, running.withCore(core -> {
      change.accept(core, answer::complete);
      return Boolean.TRUE;
    }), "start the change");
    if (started instanceof String problem) {
      return problem;
    }
    try {
      return answer.get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "Interrupted while waiting for the registry.";
    } catch (ExecutionException | TimeoutException e) {
      return "The registry did not answer within 10 s (is a quorum of masters up?): " + e;
    }
  }

  private static Object driver(MasterComponent master) {
    if (master == null || master.driver() == null) {
      return "The master is not running on this node (no master role, or not yet activated).";
    }
    return master.driver();
  }

  private static Object await(MasterDriver driver,
      CompletableFuture<? extends Optional<?>> future, String what) {
    try {
      Optional<?> value = future.get(5, TimeUnit.SECONDS);
      if (value.isEmpty()) {
        return "This node does not lead; the leading master is "
            + driver.leaderAddress().orElse("not known yet")
            + " (run the command on that node).";
      }
      return value.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "Interrupted while trying to " + what + ".";
    } catch (ExecutionException | TimeoutException e) {
      return "The master did not answer within 5 s when asked to " + what + ": " + e;
    }
  }

  // ------------------------------------------------------------------------------------------
  // Parsing.
  // ------------------------------------------------------------------------------------------

  /** {@code role=weight ...} as a map; every role valid, every weight a number > 0. */
  static Parsed<Map<String, Double>> weights(List<String> args) {
    Map<String, Double> weights = new TreeMap<>();
    for (String arg : args) {
      int eq = arg.lastIndexOf('=');
      if (eq <= 0 || eq == arg.length() - 1) {
        return Parsed.problem("'%s' is not role=weight (for example eng=2 or eng/web=0.5).", arg);
      }
      String role = arg.substring(0, eq);
      Optional<String> bad = roleProblem(role);
      if (bad.isPresent()) {
        return Parsed.problem("%s", bad.get());
      }
      double weight;
      try {
        weight = Double.parseDouble(arg.substring(eq + 1));
      } catch (NumberFormatException e) {
        return Parsed.problem("The weight of role '%s' must be a number, was '%s'.", role,
            arg.substring(eq + 1));
      }
      if (!Double.isFinite(weight) || weight <= 0) {
        return Parsed.problem("The weight of role '%s' must be greater than 0, was %s.", role,
            arg.substring(eq + 1));
      }
      if (weights.put(role, weight) != null) {
        return Parsed.problem("Role '%s' is given more than one weight.", role);
      }
    }
    return Parsed.of(weights);
  }

  /**
   * A quota: {@code none} (remove it), or {@code guarantee=SPEC} and/or {@code limit=SPEC}, where
   * SPEC is {@code cpus:2,mem:1024,disk:0,gpus:0} (mem and disk in MB). What is not given is not
   * guaranteed or not limited.
   */
  static Parsed<Quota> quota(String role, List<String> args) {
    if (args.size() == 1 && args.get(0).equalsIgnoreCase("none")) {
      return Parsed.of(Quota.NONE);
    }
    Quantities guarantee = Quantities.ZERO;
    Quantities limit = Quantities.NO_LIMIT;
    boolean seenGuarantee = false;
    boolean seenLimit = false;
    for (String arg : args) {
      int eq = arg.indexOf('=');
      String kind = eq < 0 ? arg : arg.substring(0, eq).toLowerCase(Locale.ROOT);
      if (eq < 0 || !(kind.equals("guarantee") || kind.equals("limit"))) {
        return Parsed.problem("'%s' is not guarantee=SPEC or limit=SPEC; write for example"
            + " guarantee=cpus:2,mem:1024 limit=cpus:8,mem:8192, or 'none' to remove the quota.",
            arg);
      }
      if (kind.equals("guarantee") ? seenGuarantee : seenLimit) {
        return Parsed.problem("The %s of role '%s' is given twice.", kind, role);
      }
      Parsed<long[]> amounts = amounts(kind, role, arg.substring(eq + 1));
      if (!amounts.ok()) {
        return Parsed.problem("%s", amounts.problem());
      }
      long[] a = amounts.value();
      if (kind.equals("guarantee")) {
        seenGuarantee = true;
        guarantee = new Quantities(Math.max(0, a[0]), Math.max(0, a[1]), Math.max(0, a[2]),
            Math.max(0, a[3]));
      } else {
        seenLimit = true;
        limit = new Quantities(a[0] < 0 ? Quantities.UNLIMITED : a[0],
            a[1] < 0 ? Quantities.UNLIMITED : a[1], a[2] < 0 ? Quantities.UNLIMITED : a[2],
            a[3] < 0 ? Quantities.UNLIMITED : a[3]);
      }
    }
    if (!limit.contains(guarantee)) {
      return Parsed.problem("The guarantee of role '%s' (%s) exceeds its limit (%s); lower the"
          + " guarantee or raise the limit.", role, guarantee, RoleTable.limit(
              new Quota(Quantities.ZERO, limit)));
    }
    return Parsed.of(new Quota(guarantee, limit));
  }

  /** {@code cpus:2,mem:1024} as {cpuMillis, memMb, diskMb, gpus}; -1 for "not given". */
  private static Parsed<long[]> amounts(String kind, String role, String spec) {
    long[] amounts = {-1, -1, -1, -1};
    if (spec.isBlank()) {
      return Parsed.problem("The %s of role '%s' is empty; write for example cpus:2,mem:1024.",
          kind, role);
    }
    for (String part : spec.split(",")) {
      int colon = part.indexOf(':');
      String name = colon < 0 ? part : part.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      int dimension = List.of(Quantities.NAMES).indexOf(name);
      if (colon < 0 || dimension < 0) {
        return Parsed.problem("'%s' in the %s of role '%s' is not NAME:AMOUNT with NAME one of"
            + " cpus, mem, disk, gpus (mem and disk in MB).", part, kind, role);
      }
      double amount;
      try {
        amount = Double.parseDouble(part.substring(colon + 1).trim());
      } catch (NumberFormatException e) {
        return Parsed.problem("The %s of %s for role '%s' must be a number, was '%s'.", kind,
            name, role, part.substring(colon + 1));
      }
      if (!Double.isFinite(amount) || amount < 0) {
        return Parsed.problem("The %s of %s for role '%s' must be a number >= 0, was %s.", kind,
            name, role, part.substring(colon + 1));
      }
      if (amounts[dimension] >= 0) {
        return Parsed.problem("The %s of role '%s' gives %s twice.", kind, role, name);
      }
      amounts[dimension] = dimension == 0 ? Math.round(amount * 1000) : Math.round(amount);
    }
    return Parsed.of(amounts);
  }

  /** Why {@code role} cannot carry a weight or quota, as a sentence; empty if it can. */
  static Optional<String> roleProblem(String role) {
    try {
      Roles.check(role);
    } catch (IllegalArgumentException e) {
      return Optional.of("Role '" + role + "' is not valid: segments must be non-empty, not '.',"
          + " '..' or '*', and contain no whitespace (for example eng or eng/web).");
    }
    return Optional.empty();
  }
}
