package io.cairn.master.internal.core;

import static io.cairn.master.internal.core.MasterHarness.frameworkInfo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.allocator.AllocatorBooks;
import io.cairn.allocator.AllocatorOptions;
import io.cairn.allocator.Quantities;
import io.cairn.allocator.Quota;
import io.cairn.allocator.ReasonCode;
import io.cairn.allocator.drf.internal.DrfAllocatorComponent;
import io.cairn.master.internal.proto.RegistryProtos.QuotaConfig;
import io.cairn.master.internal.proto.RegistryProtos.RegistryCommand;
import io.cairn.master.internal.proto.RegistryProtos.ScalarQuantity;
import io.cairn.master.internal.proto.RegistryProtos.UpdateQuota;
import io.cairn.master.internal.proto.RegistryProtos.UpdateWeights;
import io.cairn.master.internal.proto.RegistryProtos.Weight;
import io.cairn.proto.mesos.v1.Protos.MasterInfo;
import io.cairn.proto.mesos.v1.Protos.Offer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Weights and quota set through the master (what {@code allocator:weights} and {@code
 * allocator:quota} do): written to the registry first, handed to the allocator only once
 * committed, refused with the registry's sentence, and given to a new leader's allocator from the
 * registry.
 */
class AllocatorControlTest {
  private final MasterHarness h = new MasterHarness();

  @Test
  void weightsReachTheAllocatorOnlyAfterTheRegistryCommittedThem() {
    AtomicReference<String> answer = new AtomicReference<>("unanswered");
    h.core.updateWeights(Map.of("eng", 2.0, "ops", 0.5), answer::set);
    assertEquals("unanswered", answer.get(), "no answer before the commit");
    assertTrue(h.core.allocatorBooks().weights().isEmpty(), "allocator unchanged before commit");
    assertEquals(1, h.commit());
    assertNull(answer.get());
    assertEquals(Map.of("eng", 2.0, "ops", 0.5), h.core.allocatorBooks().weights());
    assertEquals(2.0, h.registry.view().weight("eng"));
  }

  @Test
  void aWeightTheRegistryRefusesIsReportedAndChangesNothing() {
    AtomicReference<String> answer = new AtomicReference<>("unanswered");
    h.core.updateWeights(Map.of("-bad", 2.0), answer::set);
    h.commit();
    assertNotNull(answer.get());
    assertTrue(answer.get().contains("-bad"), answer.get());
    assertTrue(h.core.allocatorBooks().weights().isEmpty());
  }

  @Test
  void aQuotaLimitCapsTheNextOffersAndCanBeRemoved() {
    h.registerAgent(1, "h1");
    AtomicReference<String> answer = new AtomicReference<>("unanswered");
    Quota limit = new Quota(Quantities.ZERO,
        new Quantities(1_000, Quantities.UNLIMITED, Quantities.UNLIMITED, Quantities.UNLIMITED));
    h.core.updateQuota("eng", limit, answer::set);
    h.commit();
    assertNull(answer.get());
    assertEquals(limit, h.core.allocatorBooks().quotas().get("eng"));
    assertEquals(Map.of("cpus", 1.0), h.registry.view().quotas().get("eng").limits());

    h.subscribe("s1", frameworkInfo("fw").toBuilder().clearRoles().addRoles("eng").build());
    List<Offer> offers = h.offers("s1");
    assertEquals(1, offers.size());
    double cpus = offers.get(0).getResourcesList().stream()
        .filter(r -> r.getName().equals("cpus")).mapToDouble(r -> r.getScalar().getValue()).sum();
    assertEquals(1.0, cpus, 1e-9, "offer capped at the cpus limit of role eng");
    assertTrue(h.core.lastFullAllocation().isPresent(), "a full allocation ran");

    h.core.updateQuota("eng", Quota.NONE, answer::set);
    h.commit();
    assertNull(answer.get());
    assertTrue(h.core.allocatorBooks().quotas().isEmpty());
    assertTrue(h.registry.view().quotas().isEmpty());
  }

  @Test
  void aRoleAtItsLimitIsExplainedInTheLastFullAllocation() {
    h.registerAgent(1, "h1");
    Quota limit = new Quota(Quantities.ZERO,
        new Quantities(1_000, Quantities.UNLIMITED, Quantities.UNLIMITED, Quantities.UNLIMITED));
    h.core.updateQuota("eng", limit, answer -> { });
    h.commit();
    h.subscribe("s1", frameworkInfo("fw").toBuilder().clearRoles().addRoles("eng").build());
    h.offers("s1");
    h.clock.advanceMs(2_000);
    h.core.onTick();
    var plan = h.core.lastFullAllocation().orElseThrow();
    assertTrue(plan.explanation().count(ReasonCode.ROLE_AT_LIMIT) > 0,
        "role eng is at its limit: " + plan.explanation());
  }

  @Test
  void aNewLeaderSeedsItsAllocatorFromTheRegistry() {
    RegistryCore registry = new RegistryCore();
    registry.apply(1, RegistryCommand.newBuilder().setUpdateWeights(UpdateWeights.newBuilder()
        .addWeights(Weight.newBuilder().setRole("eng").setWeight(3))).build());
    registry.apply(2, RegistryCommand.newBuilder().setUpdateQuota(UpdateQuota.newBuilder()
        .setConfig(QuotaConfig.newBuilder().setRole("eng")
            .addGuarantees(ScalarQuantity.newBuilder().setName("cpus").setValue(0.5))
            .addLimits(ScalarQuantity.newBuilder().setName("cpus").setValue(2))
            .addLimits(ScalarQuantity.newBuilder().setName("mem").setValue(1024)))).build());
    MasterCore leader = new MasterCore(MasterSettings.DEFAULTS, new ManualClock(),
        new DrfAllocatorComponent().create(AllocatorOptions.DEFAULTS, AllocatorBooks.EMPTY),
        new MasterHarness(), MasterInfo.newBuilder().setId("m2").setIp(1).setPort(5050)
            .setHostname("localhost").build(), 4, registry.view());
    AllocatorBooks books = leader.allocatorBooks();
    assertEquals(Map.of("eng", 3.0), books.weights());
    assertEquals(new Quota(new Quantities(500, 0, 0, 0), new Quantities(2_000, 1024,
        Quantities.UNLIMITED, Quantities.UNLIMITED)), books.quotas().get("eng"));
  }
}
