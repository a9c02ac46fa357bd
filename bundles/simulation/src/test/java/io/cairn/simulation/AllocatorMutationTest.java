package io.cairn.simulation;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cairn.allocator.AgentId;
import io.cairn.allocator.AgentSpec;
import io.cairn.allocator.Allocation;
import io.cairn.allocator.AllocatorBooks;
import io.cairn.allocator.Filters;
import io.cairn.allocator.FrameworkId;
import io.cairn.allocator.FrameworkSpec;
import io.cairn.allocator.Offer;
import io.cairn.allocator.OfferPlan;
import io.cairn.allocator.Quantities;
import io.cairn.allocator.Quota;
import io.cairn.allocator.spi.Allocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The allocator simulation's checkers catch real allocator bugs: each mutation wraps the real
 * allocators in a deliberately broken one, and some of the first 300 seeds must fail with a
 * message naming the broken property. Without this, a swarm that checks nothing would pass too.
 */
class AllocatorMutationTest {
  /** A deliberate bug and a word its failure message must contain. */
  enum Mutation {
    OFFERS_A_RESOURCE_TWICE("over-allocated|twice", OfferTwice::new),
    IGNORES_FILTERS("filter", IgnoreFilters::new),
    IGNORES_SUPPRESS("suppressed", IgnoreSuppress::new),
    LEAKS_RECOVERED_RESOURCES("books", LeakRecovered::new),
    IGNORES_QUOTA_LIMITS("limit", IgnoreLimits::new),
    IGNORES_QUOTA_GUARANTEES("guaranteed", IgnoreGuarantees::new);

    final String expected;
    final UnaryOperator<Allocator> wrap;

    Mutation(String expected, UnaryOperator<Allocator> wrap) {
      this.expected = expected;
      this.wrap = wrap;
    }
  }

  @ParameterizedTest
  @EnumSource(Mutation.class)
  void theSwarmCatchesTheBug(Mutation mutation) {
    for (long seed : SimConfig.seeds(300)) {
      try {
        AllocatorSimulator.forSeed(seed, mutation.wrap).run();
      } catch (SimulationFailure e) {
        assertTrue(e.getMessage().matches("(?s).*(" + mutation.expected + ").*"),
            mutation + " caught, but as: " + e.getMessage());
        return;
      }
    }
    fail(mutation + " was not caught in 300 seeds");
  }

  /** Forwards everything to the real allocator; each mutation overrides one method. */
  private static class Forwarding implements Allocator {
    final Allocator real;

    Forwarding(Allocator real) {
      this.real = real;
    }

    @Override public void addAgent(AgentSpec agent, List<Allocation> used) {
      real.addAgent(agent, used);
    }

    @Override public void updateAgent(AgentSpec agent) {
      real.updateAgent(agent);
    }

    @Override public void removeAgent(AgentId agentId) {
      real.removeAgent(agentId);
    }

    @Override public void activateAgent(AgentId agentId) {
      real.activateAgent(agentId);
    }

    @Override public void deactivateAgent(AgentId agentId) {
      real.deactivateAgent(agentId);
    }

    @Override public void addFramework(FrameworkSpec framework, boolean active,
        List<Allocation> used) {
      real.addFramework(framework, active, used);
    }

    @Override public void updateFramework(FrameworkSpec framework) {
      real.updateFramework(framework);
    }

    @Override public void removeFramework(FrameworkId frameworkId) {
      real.removeFramework(frameworkId);
    }

    @Override public void activateFramework(FrameworkId frameworkId) {
      real.activateFramework(frameworkId);
    }

    @Override public void deactivateFramework(FrameworkId frameworkId) {
      real.deactivateFramework(frameworkId);
    }

    @Override public void recoverResources(Allocation resources, Filters filters,
        long nowMillis) {
      real.recoverResources(resources, filters, nowMillis);
    }

    @Override public void suppress(FrameworkId frameworkId, Set<String> roles) {
      real.suppress(frameworkId, roles);
    }

    @Override public void revive(FrameworkId frameworkId, Set<String> roles) {
      real.revive(frameworkId, roles);
    }

    @Override public void updateWeights(Map<String, Double> weights) {
      real.updateWeights(weights);
    }

    @Override public void updateQuota(String role, Quota quota) {
      real.updateQuota(role, quota);
    }

    @Override public OfferPlan allocate(long nowMillis) {
      return real.allocate(nowMillis);
    }

    @Override public OfferPlan allocate(long nowMillis, Set<AgentId> candidates) {
      return real.allocate(nowMillis, candidates);
    }

    @Override public AllocatorBooks books() {
      return real.books();
    }
  }

  /** Every plan offers its first offer a second time (to the same framework). */
  private static final class OfferTwice extends Forwarding {
    OfferTwice(Allocator real) {
      super(real);
    }

    @Override public OfferPlan allocate(long nowMillis) {
      return twice(real.allocate(nowMillis));
    }

    @Override public OfferPlan allocate(long nowMillis, Set<AgentId> candidates) {
      return twice(real.allocate(nowMillis, candidates));
    }

    private static OfferPlan twice(OfferPlan plan) {
      if (plan.offers().isEmpty()) {
        return plan;
      }
      List<Offer> offers = new ArrayList<>(plan.offers());
      offers.add(offers.get(0));
      return new OfferPlan(plan.cycle(), plan.nowMillis(), offers, plan.explanation());
    }
  }

  /** Declines never filter. */
  private static final class IgnoreFilters extends Forwarding {
    IgnoreFilters(Allocator real) {
      super(real);
    }

    @Override public void recoverResources(Allocation resources, Filters filters, long now) {
      real.recoverResources(resources, Filters.NONE, now);
    }
  }

  /** Suppress does nothing. */
  private static final class IgnoreSuppress extends Forwarding {
    IgnoreSuppress(Allocator real) {
      super(real);
    }

    @Override public void suppress(FrameworkId frameworkId, Set<String> roles) {
    }
  }

  /** Declined resources of a framework's first role are never given back. */
  private static final class LeakRecovered extends Forwarding {
    LeakRecovered(Allocator real) {
      super(real);
    }

    @Override public void recoverResources(Allocation resources, Filters filters, long now) {
      if (filters.refuseMillis() == 0 || !resources.role().startsWith("eng")) {
        real.recoverResources(resources, filters, now);
      }
    }
  }

  /** Quota limits are dropped (guarantees kept). */
  private static final class IgnoreLimits extends Forwarding {
    IgnoreLimits(Allocator real) {
      super(real);
    }

    @Override public void updateQuota(String role, Quota quota) {
      real.updateQuota(role, Quota.guarantee(quota.guarantees()));
    }
  }

  /** Quota guarantees are dropped (limits kept). */
  private static final class IgnoreGuarantees extends Forwarding {
    IgnoreGuarantees(Allocator real) {
      super(real);
    }

    @Override public void updateQuota(String role, Quota quota) {
      real.updateQuota(role, new Quota(Quantities.ZERO, quota.limits()));
    }
  }
}
