package io.cairn.allocator.drf.internal.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
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
import io.cairn.allocator.PortRanges;
import io.cairn.allocator.Quantities;
import io.cairn.allocator.Quota;
import io.cairn.allocator.Reservation;
import io.cairn.allocator.Resources;
import io.cairn.allocator.Roles;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The allocator's safety properties over random clusters and random operation sequences, checked
 * against a model the test keeps itself: never over-allocate an agent, never offer the same
 * resource to two frameworks, reservations only to their roles, filtered agents not offered
 * before expiry, suppressed roles and inactive frameworks or agents get nothing, quota limits not
 * crossed, hot swaps (a successor built from the books) lose and duplicate nothing; and quota
 * guarantees met whenever they are satisfiable.
 */
class DrfInvariantPropertyTest {
  private static final String[] ROLES = {"eng", "eng/web", "eng/db", "ops", "ads"};

  /** A refusal the test remembers: offers of at most {@code refused} are forbidden until then. */
  private record Refusal(AgentResources refused, long untilMillis) {}

  private record Key(FrameworkId framework, String role, AgentId agent) {}

  @Test
  void safetyHoldsOverRandomOperations() {
    Seeds.forEach("drf-safety", 150, random -> new Run(random).go());
  }

  @Test
  void quotaGuaranteesAreMetWhenSatisfiable() {
    Seeds.forEach("drf-guarantees", 300, DrfInvariantPropertyTest::guaranteeTrial);
  }

  /** One random run with its model of filters and suppression. */
  private static final class Run {
    final SplittableRandom random;
    DrfAllocator allocator = new DrfAllocator(AllocatorOptions.DEFAULTS, AllocatorBooks.EMPTY);
    final Map<Key, Refusal> refusals = new HashMap<>();
    final Set<String> suppressed = new HashSet<>();
    final List<Offer> outstanding = new ArrayList<>();
    final Map<String, Quota> quotas = new TreeMap<>();
    long now = Fixtures.NOON;
    int nextAgent;
    int nextFramework;

    Run(SplittableRandom random) {
      this.random = random;
    }

    void go() {
      for (String role : ROLES) {
        if (random.nextInt(3) == 0) {
          Quantities limit = new Quantities(1_000L * (4 + random.nextInt(40)),
              1024L * (4 + random.nextInt(40)), Quantities.UNLIMITED, Quantities.UNLIMITED);
          Quantities guarantee = random.nextBoolean() ? Quantities.ZERO
              : new Quantities(limit.cpuMillis() / 2, limit.memMb() / 2, 0, 0);
          quotas.put(role, new Quota(guarantee, limit));
          allocator.updateQuota(role, quotas.get(role));
        }
      }
      allocator.updateWeights(Map.of("eng", 1.0 + random.nextInt(3), "ops", 2.0));
      for (int i = 3 + random.nextInt(12); i > 0; i--) {
        addAgent();
      }
      for (int i = 1 + random.nextInt(6); i > 0; i--) {
        addFramework();
      }
      for (int step = 0; step < 40; step++) {
        operate();
        allocator.checkInvariants();
      }
    }

    void operate() {
      int op = random.nextInt(13);
      switch (op) {
        case 12 -> swap();
        case 0, 1, 2, 3 -> allocateAndCheck();
        case 4, 5 -> declineSome();
        case 6 -> addAgent();
        case 7 -> addFramework();
        case 8 -> toggleSuppression();
        case 9 -> toggleActivity();
        case 10 -> removeSomething();
        default -> now += random.nextInt(3_000);
      }
    }

    void allocateAndCheck() {
      AllocatorBooks before = allocator.books();
      Map<String, Quantities> consumedBefore = consumed(before);
      OfferPlan plan = allocator.allocate(now);
      Map<AgentId, AgentResources> available = available(before);
      Map<AgentId, List<Offer>> byAgent = new HashMap<>();
      for (Offer offer : plan.offers()) {
        checkOffer(before, offer);
        byAgent.computeIfAbsent(offer.agentId(), a -> new ArrayList<>()).add(offer);
      }
      byAgent.forEach((agent, offers) -> {
        AgentResources sum = AgentResources.EMPTY;
        for (Offer offer : offers) {
          assertFalse(sumPorts(sum).intersects(sumPorts(offer.resources())),
              "port offered twice on " + agent + ": " + offers);
          sum = sum.plus(offer.resources());
        }
        assertTrue(available.get(agent).contains(sum),
            "agent " + agent + " over-offered: " + sum + " of " + available.get(agent));
      });
      Map<String, Quantities> consumedAfter = consumed(allocator.books());
      quotas.forEach((role, quota) -> {
        Quantities after = consumedAfter.getOrDefault(role, Quantities.ZERO);
        Quantities bound = quota.limits().plus(Quantities.ZERO);
        Quantities was = consumedBefore.getOrDefault(role, Quantities.ZERO);
        for (int d = 0; d < 4; d++) {
          assertTrue(after.get(d) <= Math.max(bound.get(d), was.get(d)),
              "role " + role + " crossed its limit " + bound + ": " + after);
        }
      });
      outstanding.addAll(plan.offers());
      now += random.nextInt(1_500);
    }

    void checkOffer(AllocatorBooks before, Offer offer) {
      Key key = new Key(offer.frameworkId(), offer.role(), offer.agentId());
      assertFalse(suppressed.contains(offer.frameworkId() + " " + offer.role()),
          "suppressed role offered: " + offer);
      assertFalse(before.inactiveFrameworks().contains(offer.frameworkId()), "inactive: " + offer);
      assertFalse(before.inactiveAgents().contains(offer.agentId()), "inactive: " + offer);
      Refusal refusal = refusals.get(key);
      assertFalse(refusal != null && now < refusal.untilMillis()
              && refusal.refused().contains(offer.resources()),
          "offered before its filter expired at " + refusal + ": " + offer);
      for (Reservation reservation : offer.resources().reserved().keySet()) {
        assertTrue(reservation.isAllocatableTo(offer.role()),
            "reservation " + reservation + " offered to " + offer.role());
      }
    }

    /** A hot swap: the successor starts from the books and must hold exactly the same. */
    void swap() {
      AllocatorBooks books = allocator.books();
      allocator = new DrfAllocator(AllocatorOptions.DEFAULTS, books);
      org.junit.jupiter.api.Assertions.assertEquals(books, allocator.books(), "books round-trip");
      refusals.clear(); // filters are hints and are not handed over
    }

    void declineSome() {
      List<Offer> keep = new ArrayList<>();
      for (Offer offer : outstanding) {
        if (random.nextBoolean()) {
          keep.add(offer);
          continue;
        }
        long refuse = random.nextInt(4) == 0 ? 0 : random.nextInt(10_000);
        allocator.recoverResources(offer.asAllocation(), new Filters(refuse), now);
        if (refuse > 0) {
          refusals.put(new Key(offer.frameworkId(), offer.role(), offer.agentId()),
              new Refusal(offer.resources(), now + Math.max(refuse, 1_000)));
        }
      }
      outstanding.clear();
      outstanding.addAll(keep);
    }

    void addAgent() {
      String id = String.format("a%02d", nextAgent++);
      AgentResources total = AgentResources.unreserved(Resources.of(1 + random.nextInt(16),
          512L * (1 + random.nextInt(32)), 1000, random.nextInt(3) == 0 ? 1 : 0,
          PortRanges.range(31_000, 31_000 + random.nextInt(100))));
      if (random.nextInt(3) == 0) {
        total = total.plus(AgentResources.reserved(
            random.nextBoolean() ? Reservation.staticFor(ROLES[random.nextInt(ROLES.length)])
                : Reservation.dynamicFor(ROLES[random.nextInt(ROLES.length)]),
            Resources.of(1 + random.nextInt(4), 1024, 0, 0, PortRanges.range(32_000, 32_010))));
      }
      allocator.addAgent(new AgentSpec(AgentId.of(id), id, total), List.of());
    }

    void addFramework() {
      String id = "f" + nextFramework++;
      List<String> roles = new ArrayList<>();
      for (int i = 1 + random.nextInt(2); i > 0; i--) {
        roles.add(ROLES[random.nextInt(ROLES.length)]);
      }
      allocator.addFramework(FrameworkSpec.of(id, roles.toArray(String[]::new)),
          random.nextInt(5) != 0, List.of());
    }

    void toggleSuppression() {
      List<FrameworkSpec> frameworks = allocator.books().frameworks();
      if (frameworks.isEmpty()) {
        return;
      }
      FrameworkSpec framework = frameworks.get(random.nextInt(frameworks.size()));
      List<String> roles = new ArrayList<>(framework.roles());
      String role = roles.get(random.nextInt(roles.size()));
      String key = framework.id() + " " + role;
      if (suppressed.remove(key)) {
        allocator.revive(framework.id(), Set.of(role));
        refusals.keySet().removeIf(k -> k.framework().equals(framework.id())
            && k.role().equals(role));
      } else {
        suppressed.add(key);
        allocator.suppress(framework.id(), Set.of(role));
      }
    }

    void toggleActivity() {
      AllocatorBooks books = allocator.books();
      if (random.nextBoolean() && !books.frameworks().isEmpty()) {
        FrameworkId id = books.frameworks().get(random.nextInt(books.frameworks().size())).id();
        if (books.inactiveFrameworks().contains(id)) {
          allocator.activateFramework(id);
        } else {
          allocator.deactivateFramework(id);
        }
      } else if (!books.agents().isEmpty()) {
        AgentId id = books.agents().get(random.nextInt(books.agents().size())).id();
        if (books.inactiveAgents().contains(id)) {
          allocator.activateAgent(id);
        } else {
          allocator.deactivateAgent(id);
        }
      }
    }

    void removeSomething() {
      AllocatorBooks books = allocator.books();
      if (random.nextBoolean() && books.agents().size() > 1) {
        AgentId id = books.agents().get(random.nextInt(books.agents().size())).id();
        allocator.removeAgent(id);
        outstanding.removeIf(o -> o.agentId().equals(id));
      } else if (books.frameworks().size() > 1) {
        FrameworkId id = books.frameworks().get(random.nextInt(books.frameworks().size())).id();
        allocator.removeFramework(id);
        outstanding.removeIf(o -> o.frameworkId().equals(id));
        refusals.keySet().removeIf(k -> k.framework().equals(id));
        suppressed.removeIf(k -> k.startsWith(id + " "));
      }
    }
  }

  private static PortRanges sumPorts(AgentResources resources) {
    PortRanges ports = resources.unreserved().ports();
    for (Resources part : resources.reserved().values()) {
      ports = ports.plus(part.ports());
    }
    return ports;
  }

  /** Available per agent, recomputed from the books' totals and allocations. */
  static Map<AgentId, AgentResources> available(AllocatorBooks books) {
    Map<AgentId, AgentResources> available = new HashMap<>();
    books.agents().forEach(agent -> available.put(agent.id(), agent.total()));
    for (Allocation allocation : books.allocations()) {
      available.compute(allocation.agentId(), (id, left) -> left.minus(allocation.resources()));
    }
    return available;
  }

  /** Quota consumption per role path: unreserved allocations plus reservations, subtree. */
  static Map<String, Quantities> consumed(AllocatorBooks books) {
    Map<String, Quantities> consumed = new HashMap<>();
    for (Allocation allocation : books.allocations()) {
      for (String path : Roles.selfAndAncestors(allocation.role())) {
        consumed.merge(path, allocation.resources().unreserved().scalars(), Quantities::plus);
      }
    }
    for (AgentSpec agent : books.agents()) {
      agent.total().reserved().forEach((reservation, part) -> {
        for (String path : Roles.selfAndAncestors(reservation.role())) {
          consumed.merge(path, part.scalars(), Quantities::plus);
        }
      });
    }
    return consumed;
  }

  private static void guaranteeTrial(SplittableRandom random) {
    DrfAllocator allocator = new DrfAllocator(AllocatorOptions.DEFAULTS, AllocatorBooks.EMPTY);
    String[] roles = {"r0", "r1", "r2", "r3", "r4", "r5"};
    Quantities unreserved = Quantities.ZERO;
    for (int a = random.nextInt(2, 20); a > 0; a--) {
      Resources resources = new Resources(new Quantities(100L * random.nextInt(1, 40),
          32L * random.nextInt(1, 100), 0, 0), PortRanges.NONE);
      unreserved = unreserved.plus(resources.scalars());
      allocator.addAgent(new AgentSpec(AgentId.of("a" + a), "h", AgentResources.unreserved(
          resources)), List.of());
    }
    Map<String, Quantities> guarantees = new TreeMap<>();
    Quantities sum = Quantities.ZERO;
    for (String role : roles) {
      Quantities guarantee = new Quantities(100L * random.nextInt(0, 80),
          32L * random.nextInt(0, 200), 0, 0);
      if (random.nextInt(3) == 0 || !unreserved.contains(sum.plus(guarantee))) {
        guarantee = Quantities.ZERO;
      }
      sum = sum.plus(guarantee);
      if (!guarantee.isZero()) {
        guarantees.put(role, guarantee);
        allocator.updateQuota(role, Quota.guarantee(guarantee));
      }
      allocator.addFramework(FrameworkSpec.of("f" + role, role), true, List.of());
      if (random.nextBoolean()) {
        allocator.addFramework(FrameworkSpec.of("g" + role, role), true, List.of());
      }
    }
    allocator.updateWeights(Map.of("r5", 10.0));
    allocator.allocate(Fixtures.NOON);
    Map<String, Quantities> consumed = consumed(allocator.books());
    guarantees.forEach((role, guarantee) -> assertTrue(
        consumed.getOrDefault(role, Quantities.ZERO).contains(guarantee),
        "role " + role + " guaranteed " + guarantee + " holds " + consumed.get(role)
            + " (guarantees " + guarantees + ")"));
    allocator.checkInvariants();
  }
}
