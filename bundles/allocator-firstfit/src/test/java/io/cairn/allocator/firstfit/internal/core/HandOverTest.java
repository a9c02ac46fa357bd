package io.cairn.allocator.firstfit.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.allocator.AgentId;
import io.cairn.allocator.AgentResources;
import io.cairn.allocator.AgentSpec;
import io.cairn.allocator.Allocation;
import io.cairn.allocator.AllocatorBooks;
import io.cairn.allocator.AllocatorOptions;
import io.cairn.allocator.Filters;
import io.cairn.allocator.FrameworkSpec;
import io.cairn.allocator.Offer;
import io.cairn.allocator.OfferPlan;
import io.cairn.allocator.Resources;
import io.cairn.allocator.drf.internal.DrfAllocatorComponent;
import io.cairn.allocator.firstfit.internal.FirstFitAllocatorComponent;
import io.cairn.allocator.spi.Allocator;
import io.cairn.allocator.spi.AllocatorFactory;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Hot swaps between the DRF allocator (a test dependency, through its factory) and first-fit:
 * the successor starts from the predecessor's books, so nothing offered is offered again, and
 * everything recovered can be offered again.
 */
class HandOverTest {
  private static final AllocatorFactory DRF = new DrfAllocatorComponent();
  private static final AllocatorFactory FIRST_FIT =
      new FirstFitAllocatorComponent(new FirstFitAllocatorComponent.Config() {
        @Override
        public int service_ranking() {
          return 10;
        }

        @Override
        public Class<? extends Annotation> annotationType() {
          return FirstFitAllocatorComponent.Config.class;
        }
      });

  @Test
  @DisplayName("DRF runs, first-fit takes over its books, then DRF takes them back")
  void drfToFirstFitAndBack() {
    long now = 1_795_000_000_000L;
    Allocator drf = DRF.create(AllocatorOptions.DEFAULTS, AllocatorBooks.EMPTY);
    for (int i = 0; i < 4; i++) {
      drf.addAgent(new AgentSpec(AgentId.of("a" + i), "a" + i,
          AgentResources.unreserved(Resources.of(4, 4096))), List.of());
    }
    drf.addFramework(FrameworkSpec.of("f1", "eng"), true, List.of());
    drf.addFramework(FrameworkSpec.of("f2", "ops"), true, List.of());
    List<Offer> outstanding = new ArrayList<>(drf.allocate(now).offers());
    assertEquals(4, outstanding.size(), "DRF offers every agent");
    Offer declined = outstanding.remove(0);
    drf.recoverResources(declined.asAllocation(), Filters.NONE, now);

    Allocator firstFit = FIRST_FIT.create(AllocatorOptions.DEFAULTS, drf.books());
    OfferPlan plan = firstFit.allocate(now + 1_000);
    assertEquals(1, plan.offers().size(), "only the declined agent is free: " + plan.offers());
    assertEquals(declined.agentId(), plan.offers().get(0).agentId());
    assertEquals("f1", plan.offers().get(0).frameworkId().value(), "the first framework wins");
    outstanding.addAll(plan.offers());
    assertNeverOverAllocated(firstFit.books(), outstanding);

    Allocator back = DRF.create(AllocatorOptions.DEFAULTS, firstFit.books());
    assertTrue(back.allocate(now + 2_000).offers().isEmpty(), "nothing is free to offer twice");
    Offer returned = outstanding.remove(1);
    back.recoverResources(returned.asAllocation(), Filters.NONE, now + 2_000);
    List<Offer> again = back.allocate(now + 3_000).offers();
    assertEquals(List.of(returned.agentId()), again.stream().map(Offer::agentId).toList());
    outstanding.addAll(again);
    assertNeverOverAllocated(back.books(), outstanding);
  }

  @Test
  void safetyHoldsAcrossRandomSwapsBetweenDrfAndFirstFit() {
    int[] offers = {0};
    Trials.run("drf/first-fit hand-over", 60, random -> {
      boolean[] drfNext = {random.nextBoolean()};
      Allocator first = (drfNext[0] ? FIRST_FIT : DRF)
          .create(AllocatorOptions.DEFAULTS, AllocatorBooks.EMPTY);
      SafetyHarness harness = new SafetyHarness(random, first, books -> {
        AllocatorFactory next = drfNext[0] ? DRF : FIRST_FIT;
        drfNext[0] = !drfNext[0];
        return next.create(AllocatorOptions.DEFAULTS, books);
      });
      harness.run(120);
      offers[0] += harness.offersSeen;
    });
    assertTrue(offers[0] > 300, "the trials made too few offers to mean much: " + offers[0]);
  }

  private static void assertNeverOverAllocated(AllocatorBooks books, List<Offer> outstanding) {
    Map<AgentId, AgentResources> byAgent = new HashMap<>();
    outstanding.forEach(offer ->
        byAgent.merge(offer.agentId(), offer.resources(), AgentResources::plus));
    Map<AgentId, AgentResources> booked = new HashMap<>();
    for (Allocation allocation : books.allocations()) {
      booked.merge(allocation.agentId(), allocation.resources(), AgentResources::plus);
    }
    assertEquals(byAgent, booked, "the books hold exactly the outstanding offers");
    for (AgentSpec agent : books.agents()) {
      assertTrue(agent.total().contains(byAgent.getOrDefault(agent.id(), AgentResources.EMPTY)),
          "agent " + agent.id() + " over-allocated");
    }
  }
}
