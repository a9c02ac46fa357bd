package io.cairn.master.internal.core;

import io.cairn.allocator.Quantities;
import io.cairn.allocator.Quota;
import io.cairn.allocator.spi.Allocator;
import io.cairn.master.Registry;
import io.cairn.master.internal.proto.RegistryProtos.QuotaConfig;
import io.cairn.master.internal.proto.RegistryProtos.RegistryCommand;
import io.cairn.master.internal.proto.RegistryProtos.RegistryResult;
import io.cairn.master.internal.proto.RegistryProtos.ScalarQuantity;
import io.cairn.master.internal.proto.RegistryProtos.UpdateQuota;
import io.cairn.master.internal.proto.RegistryProtos.UpdateWeights;
import io.cairn.master.internal.proto.RegistryProtos.Weight;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Weights and quota between the registry and the allocator. The registry (on the replicated log)
 * is the record: a change is proposed there first (Mesos's UPDATE_WEIGHTS / UPDATE_QUOTA write
 * the registry before telling the allocator) and reaches the allocator only once committed; a new
 * leader seeds its allocator from the registry. The allocator knows only cpus, mem, disk and
 * gpus; other resource names in a stored quota are ignored by it.
 *
 * <p>Threading: called only on the master's event loop, like {@link MasterCore}.
 */
final class AllocatorControl {
  private static final Logger LOG = LoggerFactory.getLogger(AllocatorControl.class);

  private AllocatorControl() {}

  /** Gives a fresh allocator the registry's weights and quotas. */
  static void seed(Allocator allocator, Registry registry) {
    try {
      allocator.updateWeights(registry.weights());
    } catch (IllegalArgumentException e) {
      LOG.warn("allocator refused the stored weights reason={}", e.getMessage());
    }
    for (io.cairn.master.Quota stored : registry.quotas().values()) {
      try {
        allocator.updateQuota(stored.role(), quota(stored.guarantees(), stored.limits()));
      } catch (IllegalArgumentException e) {
        LOG.warn("allocator refused the stored quota role={} reason={}", stored.role(),
            e.getMessage());
      }
    }
  }

  /**
   * Proposes new weights; once committed, hands them to the allocator. {@code done} receives
   * null on success or a sentence saying why nothing changed.
   */
  static void updateWeights(MasterCore core, Map<String, Double> weights, Consumer<String> done) {
    UpdateWeights.Builder update = UpdateWeights.newBuilder();
    weights.forEach((role, weight) ->
        update.addWeights(Weight.newBuilder().setRole(role).setWeight(weight)));
    core.propose(RegistryCommand.newBuilder().setUpdateWeights(update).build(), result -> {
      if (result.getCode() != RegistryResult.Code.OK) {
        done.accept(result.getMessage());
        return;
      }
      core.allocator.updateWeights(weights);
      core.allocateAllSoon();
      done.accept(null);
    });
  }

  /**
   * Proposes a role's quota ({@link Quota#NONE} removes it); once committed, hands it to the
   * allocator. {@code done} receives null on success or a sentence saying why nothing changed.
   */
  static void updateQuota(MasterCore core, String role, Quota quota, Consumer<String> done) {
    QuotaConfig.Builder config = QuotaConfig.newBuilder().setRole(role);
    for (int i = 0; i < Quantities.NAMES.length; i++) {
      long guarantee = quota.guarantees().get(i);
      long limit = quota.limits().get(i);
      if (guarantee > 0) {
        config.addGuarantees(scalar(i, guarantee));
      }
      if (limit != Quantities.UNLIMITED) {
        config.addLimits(scalar(i, limit));
      }
    }
    UpdateQuota update = UpdateQuota.newBuilder().setConfig(config).build();
    core.propose(RegistryCommand.newBuilder().setUpdateQuota(update).build(), result -> {
      if (result.getCode() != RegistryResult.Code.OK) {
        done.accept(result.getMessage());
        return;
      }
      try {
        core.allocator.updateQuota(role, quota);
      } catch (IllegalArgumentException e) {
        done.accept("the registry stored the quota of role '" + role
            + "' but the allocator refused it: " + e.getMessage());
        return;
      }
      core.allocateAllSoon();
      done.accept(null);
    });
  }

  /** A stored quota (resource name to amount) as the allocator's quota. */
  static Quota quota(Map<String, Double> guarantees, Map<String, Double> limits) {
    Quantities guaranteed = Quantities.of(guarantees.getOrDefault("cpus", 0.0),
        Math.round(guarantees.getOrDefault("mem", 0.0)),
        Math.round(guarantees.getOrDefault("disk", 0.0)),
        Math.round(guarantees.getOrDefault("gpus", 0.0)));
    Quantities limited = new Quantities(
        limits.containsKey("cpus") ? Math.round(limits.get("cpus") * 1000) : Quantities.UNLIMITED,
        limits.containsKey("mem") ? Math.round(limits.get("mem")) : Quantities.UNLIMITED,
        limits.containsKey("disk") ? Math.round(limits.get("disk")) : Quantities.UNLIMITED,
        limits.containsKey("gpus") ? Math.round(limits.get("gpus")) : Quantities.UNLIMITED);
    return new Quota(guaranteed, limited);
  }

  private static ScalarQuantity scalar(int dimension, long value) {
    double amount = dimension == 0 ? value / 1000.0 : value;
    return ScalarQuantity.newBuilder().setName(Quantities.NAMES[dimension]).setValue(amount)
        .build();
  }
}
