package io.cairn.allocator.firstfit.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.allocator.AgentId;
import io.cairn.allocator.AgentResources;
import io.cairn.allocator.AgentSpec;
import io.cairn.allocator.Allocation;
import io.cairn.allocator.AllocatorBooks;
import io.cairn.allocator.AllocatorOptions;
import io.cairn.allocator.Filters;
import io.cairn.allocator.FrameworkId;
import io.cairn.allocator.FrameworkSpec;
import io.cairn.allocator.Offer;
import io.cairn.allocator.OfferPlan;
import io.cairn.allocator.Quantities;
import io.cairn.allocator.Quota;
import io.cairn.allocator.Reason;
import io.cairn.allocator.ReasonCode;
import io.cairn.allocator.Reservation;
import io.cairn.allocator.Resources;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Named scenarios that pin first-fit's behaviour and its reason texts. */
class FirstFitScenarioTest {
  /** 12:03:00 UTC on some day, so that reasons print a known time of day. */
  static final long NOON = 1_795_000_000_000L - Math.floorMod(1_795_000_000_000L, 86_400_000L)
      + 12 * 3_600_000L + 3 * 60_000L;

  private final FirstFitAllocator allocator =
      new FirstFitAllocator(AllocatorOptions.DEFAULTS, AllocatorBooks.EMPTY);

  static AgentSpec agent(String id, double cpus, long memMb) {
    return new AgentSpec(AgentId.of(id), id + ".example",
        AgentResources.unreserved(Resources.of(cpus, memMb)));
  }

  static List<String> summary(OfferPlan plan) {
    return plan.offers().stream()
        .map(o -> o.frameworkId() + "/" + o.role() + "@" + o.agentId()).toList();
  }

  @Test
  @DisplayName("the first framework added gets every agent, in the order agents were added")
  void firstFrameworkGetsEverything() {
    allocator.addAgent(agent("b", 4, 4096), List.of());
    allocator.addAgent(agent("a", 4, 4096), List.of());
    allocator.addFramework(FrameworkSpec.of("f2", "web"), true, List.of());
    allocator.addFramework(FrameworkSpec.of("f1", "web"), true, List.of());
    OfferPlan plan = allocator.allocate(NOON);
    assertEquals(List.of("f2/web@b", "f2/web@a"), summary(plan));
    assertEquals(AgentResources.unreserved(Resources.of(4, 4096)),
        plan.offers().get(0).resources());
    assertTrue(plan.explanation().about(FrameworkId.of("f1")).get(0).message()
        .startsWith("framework f1 got no offer for role web"));
    assertEquals(1, plan.cycle());
    assertTrue(allocator.allocate(NOON).offers().isEmpty(), "nothing is offered twice");
    allocator.checkInvariants();
  }

  @Test
  @DisplayName("a refusal filter keeps the agent from its framework until it expires")
  void filtersExpire() {
    allocator.addAgent(agent("a1", 4, 4096), List.of());
    allocator.addFramework(FrameworkSpec.of("f1", "eng"), true, List.of());
    allocator.addFramework(FrameworkSpec.of("f2", "eng"), true, List.of());
    Offer offer = allocator.allocate(NOON).offers().get(0);
    allocator.recoverResources(offer.asAllocation(), new Filters(5_000), NOON);
    OfferPlan filtered = allocator.allocate(NOON + 1_000);
    assertEquals(List.of("f2/eng@a1"), summary(filtered), "the next framework gets it");
    Reason reason = filtered.explanation().skips().get(0);
    assertEquals(ReasonCode.FILTERED, reason.code());
    assertEquals("agent a1 filtered for framework f1 until 12:03:05", reason.message());
    allocator.recoverResources(filtered.offers().get(0).asAllocation(), Filters.NONE, NOON);
    assertEquals(1, allocator.allocate(NOON + 4_999).explanation().count(ReasonCode.FILTERED));
    allocator.recoverResources(new Allocation(FrameworkId.of("f2"), "eng", AgentId.of("a1"),
        offer.resources()), Filters.NONE, NOON + 4_999);
    assertEquals(List.of("f1/eng@a1"), summary(allocator.allocate(NOON + 5_000)));
  }

  @Test
  @DisplayName("a suppressed role gets nothing until revived, and revive clears its filters")
  void suppressAndRevive() {
    allocator.addAgent(agent("a1", 4, 4096), List.of());
    allocator.addFramework(FrameworkSpec.of("f1", "eng"), true, List.of());
    Offer offer = allocator.allocate(NOON).offers().get(0);
    allocator.recoverResources(offer.asAllocation(), new Filters(60_000), NOON);
    allocator.suppress(FrameworkId.of("f1"), Set.of());
    OfferPlan suppressed = allocator.allocate(NOON + 1_000);
    assertTrue(suppressed.offers().isEmpty());
    assertEquals("framework f1 suppressed offers for role eng",
        suppressed.explanation().skips().get(0).message());
    assertTrue(suppressed.explanation().unmetDemand().isEmpty(), "suppressed is not demand");
    allocator.revive(FrameworkId.of("f1"), Set.of("eng"));
    assertEquals(List.of("f1/eng@a1"), summary(allocator.allocate(NOON + 2_000)));
    assertThrows(IllegalArgumentException.class,
        () -> allocator.suppress(FrameworkId.of("f1"), Set.of("ops")));
  }

  @Test
  @DisplayName("reserved resources go only to their role (and roles below it)")
  void reservationsGoOnlyToTheirRole() {
    TreeMap<Reservation, Resources> reserved = new TreeMap<>();
    reserved.put(Reservation.staticFor("eng"), Resources.of(2, 2048));
    allocator.addAgent(new AgentSpec(AgentId.of("a1"), "a1",
        new AgentResources(Resources.of(1, 1024), reserved)), List.of());
    allocator.addFramework(FrameworkSpec.of("ops", "ops"), true, List.of());
    allocator.addFramework(FrameworkSpec.of("web", "eng/web"), true, List.of());
    OfferPlan plan = allocator.allocate(NOON);
    assertEquals(List.of("ops/ops@a1", "web/eng/web@a1"), summary(plan));
    assertEquals(AgentResources.unreserved(Resources.of(1, 1024)),
        plan.offers().get(0).resources());
    assertEquals(AgentResources.reserved(Reservation.staticFor("eng"), Resources.of(2, 2048)),
        plan.offers().get(1).resources());
  }

  @Test
  @DisplayName("a role is never offered beyond its quota limit, and the reason says so")
  void quotaLimitRespected() {
    allocator.addAgent(agent("a1", 8, 8192), List.of());
    allocator.addAgent(agent("a2", 8, 8192), List.of());
    allocator.addAgent(agent("a3", 8, 8192), List.of());
    allocator.addFramework(FrameworkSpec.of("f1", "eng"), true, List.of());
    allocator.updateQuota("eng", Quota.limit(Quantities.of(10, 10_240, 0, 0)));
    OfferPlan plan = allocator.allocate(NOON);
    assertEquals(List.of("f1/eng@a1", "f1/eng@a2"), summary(plan));
    assertEquals(AgentResources.unreserved(Resources.of(2, 2048)),
        plan.offers().get(1).resources(), "the second offer is cut to the limit");
    Reason reason = plan.explanation().about(AgentId.of("a3")).get(0);
    assertEquals(ReasonCode.ROLE_AT_LIMIT, reason.code());
    assertEquals("role eng at its cpus limit 10", reason.message());
  }

  @Test
  @DisplayName("a limit on a parent role caps its children together")
  void parentLimitCapsChildren() {
    allocator.addAgent(agent("a1", 8, 8192), List.of());
    allocator.addAgent(agent("a2", 8, 8192), List.of());
    allocator.addFramework(FrameworkSpec.of("f1", "eng/web"), true, List.of());
    allocator.addFramework(FrameworkSpec.of("f2", "eng/db"), true, List.of());
    allocator.updateQuota("eng", Quota.limit(Quantities.of(8, 8192, 0, 0)));
    OfferPlan plan = allocator.allocate(NOON);
    assertEquals(List.of("f1/eng/web@a1"), summary(plan));
    assertTrue(plan.explanation().about(FrameworkId.of("f2")).get(0).message()
        .contains("role eng at its cpus limit 8"), plan.explanation().toString());
  }

  @Test
  @DisplayName("deactivated agents and inactive frameworks are skipped with a reason")
  void inactiveThingsAreExplained() {
    allocator.addAgent(agent("a1", 4, 4096), List.of());
    allocator.addAgent(agent("a2", 4, 4096), List.of());
    allocator.deactivateAgent(AgentId.of("a1"));
    allocator.addFramework(FrameworkSpec.of("f0", "eng"), false, List.of());
    allocator.addFramework(FrameworkSpec.of("f1", "eng"), true, List.of());
    OfferPlan plan = allocator.allocate(NOON);
    assertEquals(List.of("f1/eng@a2"), summary(plan));
    assertEquals("agent a1 is deactivated",
        plan.explanation().about(AgentId.of("a1")).get(0).message());
    assertEquals("framework f0 is inactive",
        plan.explanation().about(FrameworkId.of("f0")).get(0).message());
  }

  @Test
  @DisplayName("an agent below the minimum allocatable resources is skipped with a reason")
  void belowMinimumIsExplained() {
    allocator.addAgent(agent("a1", 0.005, 24), List.of());
    allocator.addFramework(FrameworkSpec.of("f1", "eng"), true, List.of());
    OfferPlan plan = allocator.allocate(NOON);
    assertTrue(plan.offers().isEmpty());
    assertEquals("agent a1 has nothing allocatable left (cpus 0.005, mem 24 MB available,"
            + " needs one of [cpus 0.01, mem 32 MB])",
        plan.explanation().skips().get(0).message());
  }

  @Test
  @DisplayName("a bad call fails and leaves the books unchanged")
  void badCallsChangeNothing() {
    allocator.addAgent(agent("a1", 4, 4096), List.of());
    allocator.addFramework(FrameworkSpec.of("f1", "eng"), true, List.of());
    AllocatorBooks before = allocator.books();
    Allocation tooMuch = new Allocation(FrameworkId.of("f1"), "eng", AgentId.of("a1"),
        AgentResources.unreserved(Resources.of(5, 1)));
    assertThrows(IllegalArgumentException.class,
        () -> allocator.recoverResources(tooMuch, Filters.NONE, NOON));
    assertThrows(IllegalArgumentException.class,
        () -> allocator.addFramework(FrameworkSpec.of("f2", "eng"), true, List.of(
            new Allocation(FrameworkId.of("f2"), "eng", AgentId.of("a1"),
                AgentResources.unreserved(Resources.of(5, 1))))));
    assertThrows(IllegalArgumentException.class,
        () -> allocator.addAgent(agent("a1", 1, 1), List.of()));
    assertEquals(before, allocator.books());
  }
}
