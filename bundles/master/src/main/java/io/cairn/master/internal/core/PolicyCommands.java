package io.cairn.master.internal.core;

import io.cairn.master.internal.proto.RegistryProtos.MaintenanceWindow;
import io.cairn.master.internal.proto.RegistryProtos.QuotaConfig;
import io.cairn.master.internal.proto.RegistryProtos.ScalarQuantity;
import io.cairn.master.internal.proto.RegistryProtos.UpdateMaintenance;
import io.cairn.master.internal.proto.RegistryProtos.UpdateQuota;
import io.cairn.master.internal.proto.RegistryProtos.UpdateWeights;
import io.cairn.master.internal.proto.RegistryProtos.Weight;
import io.cairn.master.internal.core.Validation.Result;
import io.cairn.proto.mesos.v1.Protos.MachineID;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Validation of the cluster-policy commands (weights, quota, maintenance). Pure: each turns a
 * command into the canonical value the registry stores, or a sentence saying what is wrong, so
 * that the registry changes nothing unless the whole command is valid.
 */
final class PolicyCommands {
  private PolicyCommands() {}

  /** The weights to set, by role; every role valid, every weight finite and > 0, no repeats. */
  static Result<TreeMap<String, Double>> weights(UpdateWeights command) {
    if (command.getWeightsCount() == 0) {
      return Result.problem("UpdateWeights needs at least one role and weight");
    }
    TreeMap<String, Double> byRole = new TreeMap<>();
    for (Weight w : command.getWeightsList()) {
      Optional<String> bad = Validation.roleProblem(w.getRole());
      if (bad.isPresent()) {
        return Result.problem("role '%s' of a weight %s", w.getRole(), bad.get());
      }
      if (!w.hasWeight() || !Double.isFinite(w.getWeight()) || w.getWeight() <= 0) {
        return Result.problem(
            "weight for role '%s' must be > 0, was %s",
            w.getRole(), w.hasWeight() ? Results.number(w.getWeight()) : "missing");
      }
      if (byRole.put(w.getRole(), w.getWeight()) != null) {
        return Result.problem("role '%s' is given more than one weight", w.getRole());
      }
    }
    return Result.of(byRole);
  }

  /**
   * The quota to store, with its quantities sorted by name; an empty config means "remove". The
   * role is valid and not {@code *}, and no guarantee exceeds the limit of the same resource.
   */
  static Result<QuotaConfig> quota(UpdateQuota command) {
    if (!command.hasConfig() || !command.getConfig().hasRole()) {
      return Result.problem("UpdateQuota needs a role");
    }
    QuotaConfig config = command.getConfig();
    String role = config.getRole();
    Optional<String> bad = Validation.roleProblem(role);
    if (bad.isPresent()) {
      return Result.problem("quota role '%s' %s", role, bad.get());
    }
    if (role.equals("*")) {
      return Result.problem("quota cannot be set on role '*'; set it on a named role");
    }
    Result<TreeMap<String, Double>> guarantees =
        Validation.quantities(role, "guarantee", config.getGuaranteesList());
    Result<TreeMap<String, Double>> limits =
        Validation.quantities(role, "limit", config.getLimitsList());
    if (!guarantees.ok() || !limits.ok()) {
      return Result.problem("%s", guarantees.ok() ? limits.problem() : guarantees.problem());
    }
    for (Map.Entry<String, Double> g : guarantees.value().entrySet()) {
      Double limit = limits.value().get(g.getKey());
      if (limit != null && g.getValue() > limit) {
        return Result.problem(
            "quota guarantee of %s for role '%s' (%s) exceeds its limit (%s)",
            g.getKey(), role, Results.number(g.getValue()), Results.number(limit));
      }
    }
    return Result.of(
        QuotaConfig.newBuilder()
            .setRole(role)
            .addAllGuarantees(sorted(guarantees.value()))
            .addAllLimits(sorted(limits.value()))
            .build());
  }

  /**
   * The schedule to store, in the given order: every window names at least one machine, each by
   * hostname or IP, has a start and a duration >= 0, and no machine is in two windows.
   */
  static Result<List<MaintenanceWindow>> maintenance(UpdateMaintenance command) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < command.getWindowsCount(); i++) {
      MaintenanceWindow window = command.getWindows(i);
      if (window.getMachineIdsCount() == 0) {
        return Result.problem("maintenance window %s names no machine", i);
      }
      if (!window.hasStartMs() || window.getStartMs() < 0) {
        return Result.problem("maintenance window %s needs a start >= 0", i);
      }
      if (!window.hasDurationMs() || window.getDurationMs() < 0) {
        return Result.problem(
            "maintenance window %s needs a duration >= 0, was %s",
            i, window.hasDurationMs() ? window.getDurationMs() : "missing");
      }
      for (MachineID machine : window.getMachineIdsList()) {
        if (machine.getHostname().isEmpty() && machine.getIp().isEmpty()) {
          return Result.problem("a machine of maintenance window %s has no hostname and no ip", i);
        }
        String key = machine.getHostname().toLowerCase(Locale.ROOT) + "/" + machine.getIp();
        if (!seen.add(key)) {
          return Result.problem(
              "machine %s appears in more than one maintenance window", machineName(machine));
        }
      }
    }
    return Result.of(List.copyOf(command.getWindowsList()));
  }

  private static String machineName(MachineID machine) {
    if (machine.getIp().isEmpty()) {
      return machine.getHostname();
    }
    return machine.getHostname().isEmpty()
        ? machine.getIp()
        : machine.getHostname() + " (" + machine.getIp() + ")";
  }

  private static List<ScalarQuantity> sorted(TreeMap<String, Double> byName) {
    return byName.entrySet().stream()
        .map(e -> ScalarQuantity.newBuilder().setName(e.getKey()).setValue(e.getValue()).build())
        .toList();
  }
}
