package io.cairn.allocator.drf.internal.core;

import static io.cairn.allocator.drf.internal.core.Fixtures.NOON;
import static io.cairn.allocator.drf.internal.core.Fixtures.ag;
import static io.cairn.allocator.drf.internal.core.Fixtures.agent;
import static io.cairn.allocator.drf.internal.core.Fixtures.allocator;
import static io.cairn.allocator.drf.internal.core.Fixtures.cpusMem;
import static io.cairn.allocator.drf.internal.core.Fixtures.declineAll;
import static io.cairn.allocator.drf.internal.core.Fixtures.framework;
import static io.cairn.allocator.drf.internal.core.Fixtures.fw;
import static io.cairn.allocator.drf.internal.core.Fixtures.offerSummary;
import static io.cairn.allocator.drf.internal.core.Fixtures.used;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.allocator.AgentId;
import io.cairn.allocator.AgentResources;
import io.cairn.allocator.AgentSpec;
import io.cairn.allocator.AllocatorBooks;
import io.cairn.allocator.AllocatorOptions;
import io.cairn.allocator.Filters;
import io.cairn.allocator.Offer;
import io.cairn.allocator.OfferPlan;
import io.cairn.allocator.Quantities;
import io.cairn.allocator.Quota;
import io.cairn.allocator.Reason;
import io.cairn.allocator.ReasonCode;
import io.cairn.allocator.Reservation;
import io.cairn.allocator.Resources;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Named scenarios: what is offered, and the words used to explain what is not. */
class DrfAllocatorScenarioTest {

  @Test
  @DisplayName("a declined agent is filtered until the refusal expires; the reason says until when")
  void declinedAgentIsFilteredUntilExpiry() {
    DrfAllocator allocator = allocator();
    allocator.addFramework(framework("f1", "eng"), true, List.of());
    allocator.addAgent(agent("a3", 4, 4096), List.of());
    OfferPlan first = allocator.allocate(NOON);
    assertEquals(List.of("f1/eng@a3"), offerSummary(first));

    declineAll(allocator, first, Filters.DEFAULT, NOON);
    OfferPlan filtered = allocator.allocate(NOON + 1_000);
    assertEquals(List.of(), filtered.offers());
    List<Reason> reasons = filtered.explanation().about(fw("f1"));
    assertEquals("agent a3 filtered for framework f1 until 12:03:05",
        filtered.explanation().about(ag("a3")).get(0).message());
    assertEquals(ReasonCode.NO_OFFER, reasons.get(0).code());
    assertTrue(reasons.get(0).message()
        .startsWith("framework f1 got no offer for role eng: filtered"), reasons.get(0).message());

    OfferPlan expired = allocator.allocate(NOON + 5_000);
    assertEquals(List.of("f1/eng@a3"), offerSummary(expired));
    allocator.checkInvariants();
  }

  @Test
  @DisplayName("a shorter filter added after a longer one still expires on time")
  void shorterLaterFilterExpiresOnTime() {
    DrfAllocator allocator = allocator();
    allocator.addFramework(framework("f1", "eng"), true, List.of());
    allocator.addAgent(agent("a1", 4, 4096), List.of());
    declineAll(allocator, allocator.allocate(NOON), new Filters(60_000), NOON);
    allocator.addAgent(agent("a2", 4, 4096), List.of());
    OfferPlan second = allocator.allocate(NOON + 1_000);
    assertEquals(List.of("f1/eng@a2"), offerSummary(second));
    declineAll(allocator, second, new Filters(5_000), NOON + 1_000);

    assertEquals(List.of(), allocator.allocate(NOON + 5_999).offers());
    assertEquals(List.of("f1/eng@a2"), offerSummary(allocator.allocate(NOON + 6_000)));
    assertEquals(List.of(), allocator.allocate(NOON + 59_999).offers());
    assertEquals(List.of("f1/eng@a1"), offerSummary(allocator.allocate(NOON + 60_000)));
    allocator.checkInvariants();
  }

  @Test
  @DisplayName("a filter lasts at least one allocation interval, and a larger offer passes it")
  void filterMinimumAndLargerOffer() {
    DrfAllocator allocator = allocator();
    allocator.addAgent(agent("a1", 4, 4096), List.of());
    allocator.addFramework(framework("f1", "eng"), true, List.of());
    allocator.addFramework(framework("f2", "eng"), true, List.of(
        used("f2", "eng", "a1", cpusMem(2, 2048))));
    allocator.recoverResources(used("f2", "eng", "a1", cpusMem(1, 1024)), Filters.NONE, NOON);
    OfferPlan plan = allocator.allocate(NOON);
    assertEquals(List.of("f1/eng@a1"), offerSummary(plan));
    assertEquals(cpusMem(3, 3072), plan.offers().get(0).resources());
    // f1 refuses for 1 ms: the filter still lasts the 1 s allocation interval.
    declineAll(allocator, plan, new Filters(1), NOON);
    assertEquals(List.of("f2/eng@a1"), offerSummary(allocator.allocate(NOON + 999)));
    // f2's task ends: a1 now has more than f1 refused, so the filter lets it through.
    allocator.recoverResources(used("f2", "eng", "a1", cpusMem(4, 4096)), Filters.NONE, NOON);
    allocator.addAgent(agent("a2", 1, 1024), List.of());
    allocator.suppress(fw("f2"), Set.of());
    OfferPlan bigger = allocator.allocate(NOON + 999);
    assertTrue(offerSummary(bigger).contains("f1/eng@a1"), offerSummary(bigger).toString());
    allocator.checkInvariants();
  }

  @Test
  @DisplayName("revive clears filters and unsuppresses; suppressed roles get nothing")
  void suppressAndRevive() {
    DrfAllocator allocator = allocator();
    allocator.addFramework(framework("f1", "eng", "ops"), true, List.of());
    allocator.addAgent(agent("a1", 4, 4096), List.of());
    allocator.addAgent(agent("a2", 4, 4096), List.of());
    allocator.suppress(fw("f1"), Set.of("eng"));
    OfferPlan plan = allocator.allocate(NOON);
    assertEquals(List.of("f1/ops@a1", "f1/ops@a2"), offerSummary(plan));
    assertEquals("framework f1 suppressed offers for role eng",
        plan.explanation().skips().stream().filter(r -> r.code() == ReasonCode.SUPPRESSED)
            .findFirst().orElseThrow().message());
    assertTrue(plan.explanation().unmetDemand().isEmpty(), "suppressed is no demand");

    declineAll(allocator, plan, new Filters(60_000), NOON);
    assertEquals(List.of(), allocator.allocate(NOON + 1).offers());
    allocator.revive(fw("f1"), Set.of());
    OfferPlan revived = allocator.allocate(NOON + 2);
    // Each agent goes whole to the first role in DRF order: one agent per role.
    assertEquals(Set.of("eng", "ops"),
        Set.copyOf(revived.offers().stream().map(Offer::role).toList()),
        offerSummary(revived).toString());
  }

  @Test
  @DisplayName("a role at its quota limit is offered no more, and the reason names the limit")
  void roleAtLimit() {
    // Needs cpus and mem together, so that mem alone is not offered once cpus hit the limit
    // (with the default cpus:0.01|mem:32 Mesos would offer the memory alone, and so do we).
    DrfAllocator allocator = new DrfAllocator(new AllocatorOptions(1_000,
        List.of(new Quantities(10, 32, 0, 0)), 1_000), AllocatorBooks.EMPTY);
    allocator.updateQuota("eng", Quota.limit(new Quantities(10_000, Quantities.UNLIMITED,
        Quantities.UNLIMITED, Quantities.UNLIMITED)));
    allocator.addFramework(framework("f1", "eng"), true, List.of());
    allocator.addAgent(agent("a1", 8, 8192), List.of());
    allocator.addAgent(agent("a2", 8, 8192), List.of());
    allocator.addAgent(agent("a3", 8, 8192), List.of());
    OfferPlan plan = allocator.allocate(NOON);
    long cpus = plan.offers().stream().mapToLong(o -> o.resources().quantities().cpuMillis()).sum();
    assertEquals(10_000, cpus, "offers stop at the limit: " + plan.offers());
    Reason limit = plan.explanation().about(ag("a3")).get(0);
    assertEquals(ReasonCode.ROLE_AT_LIMIT, limit.code());
    assertEquals("role eng at its cpus limit 10", limit.message());
  }

  @Test
  @DisplayName("a parent's limit bounds its child roles together")
  void hierarchicalLimit() {
    DrfAllocator allocator = new DrfAllocator(new AllocatorOptions(1_000,
        List.of(new Quantities(10, 32, 0, 0)), 1_000), AllocatorBooks.EMPTY);
    allocator.updateQuota("eng", Quota.limit(new Quantities(6_000, Quantities.UNLIMITED,
        Quantities.UNLIMITED, Quantities.UNLIMITED)));
    allocator.addFramework(framework("web", "eng/web"), true, List.of());
    allocator.addFramework(framework("db", "eng/db"), true, List.of());
    for (int i = 1; i <= 4; i++) {
      allocator.addAgent(agent("a" + i, 4, 4096), List.of());
    }
    OfferPlan plan = allocator.allocate(NOON);
    long cpus = plan.offers().stream().mapToLong(o -> o.resources().quantities().cpuMillis()).sum();
    assertEquals(6_000, cpus, plan.offers().toString());
    assertTrue(plan.explanation().skips().stream()
        .anyMatch(r -> r.message().equals("role eng at its cpus limit 6")));
  }

  @Test
  @DisplayName("reserved resources go only to their role and its descendants")
  void reservationsGoToTheirRole() {
    DrfAllocator allocator = allocator();
    AgentResources total = cpusMem(2, 2048).plus(
        AgentResources.reserved(Reservation.staticFor("eng"), Resources.of(6, 6144)));
    allocator.addAgent(new AgentSpec(ag("a1"), "a1", total), List.of());
    allocator.addFramework(framework("ads", "ads"), true, List.of());
    allocator.addFramework(framework("web", "eng/web"), true, List.of());
    OfferPlan plan = allocator.allocate(NOON);
    Map<String, AgentResources> byFramework = new java.util.TreeMap<>();
    for (Offer offer : plan.offers()) {
      byFramework.put(offer.frameworkId().value(), offer.resources());
    }
    assertTrue(byFramework.get("ads") == null || byFramework.get("ads").reserved().isEmpty(),
        "ads must not see eng's reservation: " + byFramework);
    assertEquals(Resources.of(6, 6144),
        byFramework.get("web").reserved().get(Reservation.staticFor("eng")), plan.toString());
    allocator.checkInvariants();
  }

  @Test
  @DisplayName("a quota guarantee is met first and headroom is held back for it")
  void quotaGuaranteeAndHeadroom() {
    DrfAllocator allocator = allocator();
    allocator.updateQuota("prod", Quota.guarantee(new Quantities(6_000, 6144, 0, 0)));
    allocator.addFramework(framework("big", "batch"), true, List.of());
    allocator.addFramework(framework("svc", "prod"), false, List.of());
    for (int i = 1; i <= 4; i++) {
      allocator.addAgent(agent("a" + i, 4, 4096), List.of());
    }
    // prod's framework is inactive: batch may take only what prod's guarantee does not need.
    OfferPlan plan = allocator.allocate(NOON);
    long batchCpus = plan.offers().stream()
        .filter(o -> o.frameworkId().equals(fw("big")))
        .mapToLong(o -> o.resources().quantities().cpuMillis()).sum();
    assertEquals(10_000, batchCpus, plan.offers().toString());
    assertTrue(plan.explanation().skips().stream().anyMatch(
        r -> r.code() == ReasonCode.HEADROOM_HELD && r.message().equals(
            "unreserved resources held back as headroom for other roles' quota guarantees"
                + " (cpus 6, mem 6144 MB)")), plan.explanation().skips().toString());
    allocator.activateFramework(fw("svc"));
    OfferPlan second = allocator.allocate(NOON + 1_000);
    long prodCpus = second.offers().stream()
        .filter(o -> o.role().equals("prod"))
        .mapToLong(o -> o.resources().quantities().cpuMillis()).sum();
    assertTrue(prodCpus >= 6_000, second.offers().toString());
    allocator.checkInvariants();
  }

  @Test
  @DisplayName("an inactive framework and a deactivated agent are explained")
  void inactiveFrameworkAndAgent() {
    DrfAllocator allocator = allocator();
    allocator.addFramework(framework("f1", "eng"), false, List.of());
    allocator.addAgent(agent("a1", 4, 4096), List.of());
    allocator.deactivateAgent(ag("a1"));
    OfferPlan plan = allocator.allocate(NOON);
    assertEquals("agent a1 is deactivated", plan.explanation().about(ag("a1")).get(0).message());
    allocator.activateAgent(ag("a1"));
    plan = allocator.allocate(NOON);
    assertEquals(List.of("FRAMEWORK_INACTIVE: framework f1 is inactive",
            "NO_OFFER: framework f1 got no offer for role eng: framework_inactive x1"
                + " (framework f1 is inactive)"),
        plan.explanation().about(fw("f1")).stream().map(Reason::toString).sorted().toList());
  }

  @Test
  @DisplayName("leftovers below every minimum allocatable set are not offered")
  void minAllocatable() {
    DrfAllocator allocator = allocator();
    allocator.addFramework(framework("f1", "eng"), true, List.of());
    allocator.addFramework(framework("f2", "eng"), true, List.of());
    allocator.addAgent(agent("a1", 1, 1024), List.of(
        used("f2", "eng", "a1", cpusMem(0.995, 1000))));
    OfferPlan plan = allocator.allocate(NOON);
    assertEquals(List.of(), plan.offers());
    assertEquals("agent a1 has nothing allocatable left (cpus 0.005, mem 24 MB available,"
            + " needs one of [cpus 0.01, mem 32 MB])",
        plan.explanation().about(ag("a1")).get(0).message());
  }

  @Test
  @DisplayName("one offer per agent, framework and role: a multi-role framework gets one per role")
  void oneRoleAndOneAgentPerOffer() {
    DrfAllocator allocator = allocator();
    allocator.updateQuota("eng", Quota.limit(new Quantities(2_000, Quantities.UNLIMITED,
        Quantities.UNLIMITED, Quantities.UNLIMITED)));
    allocator.addFramework(framework("f1", "eng", "ops"), true, List.of());
    allocator.addAgent(agent("a1", 4, 4096), List.of());
    allocator.addAgent(agent("a2", 4, 4096), List.of());
    OfferPlan plan = allocator.allocate(NOON);
    assertEquals(List.of("f1/eng@a1", "f1/ops@a1", "f1/ops@a2"), offerSummary(plan));
  }

  @Test
  @DisplayName("weights: a role of weight 3 gets three agents for every one of a role of weight 1")
  void weights() {
    DrfAllocator allocator = allocator();
    allocator.updateWeights(Map.of("gold", 3.0));
    allocator.addFramework(framework("g", "gold"), true, List.of());
    allocator.addFramework(framework("s", "silver"), true, List.of());
    for (int i = 10; i < 18; i++) {
      allocator.addAgent(agent("a" + i, 1, 1024), List.of());
    }
    OfferPlan plan = allocator.allocate(NOON);
    assertEquals(6, plan.offers().stream().filter(o -> o.role().equals("gold")).count());
    assertEquals(2, plan.offers().stream().filter(o -> o.role().equals("silver")).count());
  }

  @Test
  @DisplayName("a failed call changes nothing and names what was wrong")
  void failedCallsChangeNothing() {
    DrfAllocator allocator = allocator();
    allocator.addFramework(framework("f1", "eng"), true, List.of());
    allocator.addAgent(agent("a1", 4, 4096), List.of());
    var before = allocator.books();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> allocator.addAgent(agent("a2", 1, 1024), List.of(
            used("f1", "eng", "a2", cpusMem(2, 512)))));
    assertTrue(e.getMessage().contains("agent a2 has cpus 1, mem 1024 MB available"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> allocator.recoverResources(
        used("f1", "eng", "a1", cpusMem(1, 1)), Filters.NONE, NOON));
    assertThrows(IllegalArgumentException.class, () -> allocator.suppress(fw("f1"),
        Set.of("ops")));
    assertThrows(IllegalArgumentException.class, () -> allocator.updateWeights(Map.of("x", 0.0)));
    assertEquals(before, allocator.books());
  }

  @Test
  @DisplayName("a successor built from the books offers nothing twice")
  void handOverBooks() {
    DrfAllocator old = allocator();
    old.addFramework(framework("f1", "eng"), true, List.of());
    old.addFramework(framework("f2", "ops"), true, List.of());
    old.addAgent(agent("a1", 4, 4096), List.of());
    old.addAgent(agent("a2", 4, 4096), List.of());
    OfferPlan plan = old.allocate(NOON);
    assertEquals(2, plan.offers().size());
    DrfAllocator successor = new DrfAllocator(io.cairn.allocator.AllocatorOptions.DEFAULTS,
        old.books());
    assertEquals(old.books(), successor.books());
    assertEquals(List.of(), successor.allocate(NOON + 1).offers());
    successor.recoverResources(plan.offers().get(0).asAllocation(), Filters.NONE, NOON);
    AgentId freed = plan.offers().get(0).agentId();
    assertEquals(List.of(freed), successor.allocate(NOON + 2).offers().stream()
        .map(Offer::agentId).toList());
    successor.checkInvariants();
  }

  @Test
  @DisplayName("stage 1 offers a role below its guarantee first, even with the larger share")
  void quotaStageComesFirst() {
    DrfAllocator allocator = allocator();
    allocator.updateQuota("prod", Quota.guarantee(new Quantities(8_000, 8192, 0, 0)));
    allocator.addAgent(agent("a0", 6, 6144), List.of());
    allocator.addFramework(framework("svc", "prod"), true, List.of(
        used("svc", "prod", "a0", cpusMem(6, 6144))));
    allocator.addFramework(framework("big", "batch"), true, List.of());
    for (int i = 1; i <= 4; i++) {
      allocator.addAgent(agent("a" + i, 2, 2048), List.of());
    }
    OfferPlan plan = allocator.allocate(NOON);
    assertEquals(List.of("svc/prod@a1", "big/batch@a2", "big/batch@a3", "big/batch@a4"),
        offerSummary(plan));
    assertEquals(cpusMem(2, 2048), plan.offers().get(0).resources());
  }

  @Test
  @DisplayName("inside a role, the framework with the lower dominant share is offered first")
  void fairnessInsideARole() {
    DrfAllocator allocator = allocator();
    allocator.addAgent(agent("a0", 8, 8192), List.of());
    allocator.addFramework(framework("rich", "eng"), true, List.of(
        used("rich", "eng", "a0", cpusMem(1, 6000))));
    allocator.addFramework(framework("poor", "eng"), true, List.of(
        used("poor", "eng", "a0", cpusMem(4, 100))));
    allocator.deactivateAgent(ag("a0"));
    allocator.addAgent(agent("a1", 1, 1024), List.of());
    // Shares over cpus 9, mem 9216: rich 6000/9216 = 0.65 (mem), poor 4/9 = 0.44 (cpus).
    assertEquals(List.of("poor/eng@a1"), offerSummary(allocator.allocate(NOON)));
  }
}
