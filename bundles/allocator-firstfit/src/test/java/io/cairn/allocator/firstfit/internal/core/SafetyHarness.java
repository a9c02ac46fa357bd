package io.cairn.allocator.firstfit.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.allocator.AgentId;
import io.cairn.allocator.AgentResources;
import io.cairn.allocator.AgentSpec;
import io.cairn.allocator.Allocation;
import io.cairn.allocator.AllocatorBooks;
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
import io.cairn.allocator.spi.Allocator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Drives an allocator through random operations next to a naive model of what the master knows
 * (agents, frameworks, every offer outstanding, filters, quotas), and checks each plan against
 * the model: never over-allocate an agent; never offer a resource (ports included) that is
 * already offered or used; nothing to inactive frameworks, suppressed roles or inactive agents;
 * reservations only to their roles; no offer a live filter covers; no unreserved resources to a
 * role at its quota limit. After every operation the allocator's books must equal the model's.
 * {@code successor} builds the next allocator from the books on a hot swap.
 */
final class SafetyHarness {
  private static final String[] ROLES = {"eng", "eng/web", "ops", Roles.DEFAULT};
  private static final long INTERVAL_MILLIS = 1_000;

  private record FilterKey(FrameworkId frameworkId, String role, AgentId agentId) {}

  private record Refusal(AgentResources refused, long expiresAtMillis) {}

  private final SplittableRandom random;
  private final Function<AllocatorBooks, Allocator> successor;
  private Allocator allocator;
  private final LinkedHashMap<AgentId, AgentSpec> agents = new LinkedHashMap<>();
  private final Set<AgentId> inactiveAgents = new HashSet<>();
  private final LinkedHashMap<FrameworkId, FrameworkSpec> frameworks = new LinkedHashMap<>();
  private final Set<FrameworkId> inactiveFrameworks = new HashSet<>();
  private final Map<FrameworkId, Set<String>> suppressed = new HashMap<>();
  private final List<Allocation> held = new ArrayList<>();
  private final Map<FilterKey, Refusal> filters = new HashMap<>();
  private final Map<String, Quota> quotas = new HashMap<>();
  private long nowMillis = 1_795_000_000_000L;
  private int nextId;
  int offersSeen;

  SafetyHarness(SplittableRandom random, Allocator first,
      Function<AllocatorBooks, Allocator> successor) {
    this.random = random;
    this.allocator = first;
    this.successor = successor;
  }

  /** Runs {@code steps} random operations, checking after each. */
  void run(int steps) {
    for (int i = 0; i < 3; i++) {
      addAgent();
      addFramework();
    }
    for (int i = 0; i < steps; i++) {
      nowMillis += random.nextInt(3_000);
      operate();
      checkBooks();
    }
  }

  private void operate() {
    int dice = random.nextInt(100);
    if (dice < 40) {
      allocateAndCheck();
    } else if (dice < 58) {
      recoverSome();
    } else if (dice < 64) {
      addAgent();
    } else if (dice < 70) {
      addFramework();
    } else if (dice < 78) {
      toggleSuppression();
    } else if (dice < 85) {
      toggleActivity();
    } else if (dice < 90) {
      removeSomething();
    } else if (dice < 95) {
      updateQuota();
    } else {
      allocator = successor.apply(allocator.books());
      filters.clear();
    }
  }

  private void allocateAndCheck() {
    Map<String, Quantities> consumedBefore = consumption();
    OfferPlan plan = allocator.allocate(nowMillis);
    Map<String, Quantities> offeredUnreserved = new HashMap<>();
    for (Offer offer : plan.offers()) {
      checkOffer(offer);
      held.add(offer.asAllocation());
      for (String path : Roles.selfAndAncestors(offer.role())) {
        offeredUnreserved.merge(path, offer.resources().unreserved().scalars(), Quantities::plus);
      }
    }
    offersSeen += plan.offers().size();
    Map<String, Quantities> consumedAfter = consumption();
    quotas.forEach((role, quota) -> {
      Quantities after = consumedAfter.getOrDefault(role, Quantities.ZERO);
      Quantities offered = offeredUnreserved.getOrDefault(role, Quantities.ZERO);
      for (int d = 0; d < Quantities.NAMES.length; d++) {
        assertTrue(after.get(d) <= quota.limits().get(d) || offered.get(d) == 0,
            "role " + role + " pushed past its " + Quantities.NAMES[d] + " limit "
                + quota.limits() + ": before " + consumedBefore.get(role) + ", offered " + offered);
      }
    });
  }

  private void checkOffer(Offer offer) {
    AgentSpec agent = agents.get(offer.agentId());
    assertTrue(agent != null && !inactiveAgents.contains(offer.agentId()),
        "offer of an unknown or inactive agent: " + offer);
    FrameworkSpec framework = frameworks.get(offer.frameworkId());
    assertTrue(framework != null && !inactiveFrameworks.contains(offer.frameworkId()),
        "offer to an unknown or inactive framework: " + offer);
    assertTrue(framework.roles().contains(offer.role()), "offer for a foreign role: " + offer);
    assertTrue(!suppressed.getOrDefault(offer.frameworkId(), Set.of()).contains(offer.role()),
        "offer for a suppressed role: " + offer);
    offer.resources().reserved().keySet().forEach(reservation -> assertTrue(
        reservation.isAllocatableTo(offer.role()), "reservation to a foreign role: " + offer));
    AgentResources available = agent.total().minus(heldOn(offer.agentId()));
    assertTrue(available.contains(offer.resources()),
        "offer " + offer + " exceeds what is free on the agent (" + available
            + "): over-allocated or offered twice");
    Refusal refusal =
        filters.get(new FilterKey(offer.frameworkId(), offer.role(), offer.agentId()));
    assertTrue(refusal == null || nowMillis >= refusal.expiresAtMillis()
        || !refusal.refused().contains(offer.resources()), "offer despite a filter: " + offer);
  }

  private AgentResources heldOn(AgentId agentId) {
    AgentResources sum = AgentResources.EMPTY;
    for (Allocation allocation : held) {
      if (allocation.agentId().equals(agentId)) {
        sum = sum.plus(allocation.resources());
      }
    }
    return sum;
  }

  /** Quota consumption per role path: unreserved holdings plus every reservation, subtree. */
  private Map<String, Quantities> consumption() {
    Map<String, Quantities> consumed = new HashMap<>();
    for (Allocation allocation : held) {
      for (String path : Roles.selfAndAncestors(allocation.role())) {
        consumed.merge(path, allocation.resources().unreserved().scalars(), Quantities::plus);
      }
    }
    for (AgentSpec agent : agents.values()) {
      agent.total().reserved().forEach((reservation, resources) -> {
        for (String path : Roles.selfAndAncestors(reservation.role())) {
          consumed.merge(path, resources.scalars(), Quantities::plus);
        }
      });
    }
    return consumed;
  }

  private void recoverSome() {
    for (Allocation allocation : List.copyOf(held)) {
      if (random.nextInt(3) != 0) {
        continue;
      }
      Allocation part = random.nextBoolean() || allocation.resources().unreserved().isEmpty()
          ? allocation
          : new Allocation(allocation.frameworkId(), allocation.role(), allocation.agentId(),
              AgentResources.unreserved(allocation.resources().unreserved()));
      Filters filter = random.nextBoolean() ? Filters.NONE : new Filters(random.nextInt(10_000));
      allocator.recoverResources(part, filter, nowMillis);
      held.remove(allocation);
      AgentResources left = allocation.resources().minus(part.resources());
      if (!left.isEmpty()) {
        held.add(new Allocation(allocation.frameworkId(), allocation.role(),
            allocation.agentId(), left));
      }
      if (filter.refuseMillis() > 0) {
        filters.put(new FilterKey(part.frameworkId(), part.role(), part.agentId()),
            new Refusal(part.resources(),
                nowMillis + Math.max(filter.refuseMillis(), INTERVAL_MILLIS)));
      }
    }
  }

  private void addAgent() {
    String id = "a" + nextId++;
    int port = 31_000 + random.nextInt(100) * 10;
    Resources unreserved = Resources.of(1 + random.nextInt(16), 512L * (1 + random.nextInt(32)),
        random.nextInt(3) * 1024L, 0,
        random.nextBoolean() ? PortRanges.range(port, port + 9) : PortRanges.NONE);
    AgentResources total = AgentResources.unreserved(unreserved);
    if (random.nextInt(3) == 0) {
      String role = random.nextBoolean() ? "eng" : "ops";
      total = total.plus(AgentResources.reserved(random.nextBoolean()
          ? Reservation.staticFor(role) : Reservation.dynamicFor(role), Resources.of(1, 1024)));
    }
    AgentSpec spec = new AgentSpec(AgentId.of(id), id, total);
    allocator.addAgent(spec, List.of());
    agents.put(spec.id(), spec);
  }

  private void addFramework() {
    TreeSet<String> roles = new TreeSet<>();
    roles.add(ROLES[random.nextInt(ROLES.length)]);
    if (random.nextBoolean()) {
      roles.add(ROLES[random.nextInt(ROLES.length)]);
    }
    String id = "f" + nextId++;
    FrameworkSpec spec = new FrameworkSpec(FrameworkId.of(id), id, roles);
    boolean active = random.nextInt(5) != 0;
    allocator.addFramework(spec, active, List.of());
    frameworks.put(spec.id(), spec);
    if (!active) {
      inactiveFrameworks.add(spec.id());
    }
  }

  private void toggleSuppression() {
    FrameworkSpec framework = pick(frameworks);
    if (framework == null) {
      return;
    }
    String role = List.copyOf(framework.roles()).get(random.nextInt(framework.roles().size()));
    Set<String> roles = suppressed.computeIfAbsent(framework.id(), id -> new HashSet<>());
    if (roles.remove(role)) {
      allocator.revive(framework.id(), Set.of(role));
      filters.keySet().removeIf(key -> key.frameworkId().equals(framework.id())
          && key.role().equals(role));
    } else {
      allocator.suppress(framework.id(), Set.of(role));
      roles.add(role);
    }
  }

  private void toggleActivity() {
    if (random.nextBoolean()) {
      AgentSpec agent = pick(agents);
      if (agent != null && !inactiveAgents.remove(agent.id())) {
        allocator.deactivateAgent(agent.id());
        inactiveAgents.add(agent.id());
      } else if (agent != null) {
        allocator.activateAgent(agent.id());
      }
    } else {
      FrameworkSpec framework = pick(frameworks);
      if (framework != null && !inactiveFrameworks.remove(framework.id())) {
        allocator.deactivateFramework(framework.id());
        inactiveFrameworks.add(framework.id());
      } else if (framework != null) {
        allocator.activateFramework(framework.id());
      }
    }
  }

  private void removeSomething() {
    if (random.nextBoolean()) {
      AgentSpec agent = pick(agents);
      if (agent != null) {
        allocator.removeAgent(agent.id());
        agents.remove(agent.id());
        inactiveAgents.remove(agent.id());
        held.removeIf(allocation -> allocation.agentId().equals(agent.id()));
        filters.keySet().removeIf(key -> key.agentId().equals(agent.id()));
      }
    } else {
      FrameworkSpec framework = pick(frameworks);
      if (framework != null) {
        allocator.removeFramework(framework.id());
        frameworks.remove(framework.id());
        inactiveFrameworks.remove(framework.id());
        suppressed.remove(framework.id());
        held.removeIf(allocation -> allocation.frameworkId().equals(framework.id()));
        filters.keySet().removeIf(key -> key.frameworkId().equals(framework.id()));
      }
    }
  }

  private void updateQuota() {
    String role = ROLES[random.nextInt(ROLES.length - 1)];
    Quota quota = random.nextInt(4) == 0 ? Quota.NONE : Quota.limit(new Quantities(
        1_000L * random.nextInt(24), random.nextBoolean() ? Quantities.UNLIMITED
            : 1024L * random.nextInt(24), Quantities.UNLIMITED, Quantities.UNLIMITED));
    allocator.updateQuota(role, quota);
    if (quota.equals(Quota.NONE)) {
      quotas.remove(role);
    } else {
      quotas.put(role, quota);
    }
  }

  private <K, V> V pick(LinkedHashMap<K, V> map) {
    if (map.isEmpty()) {
      return null;
    }
    return List.copyOf(map.values()).get(random.nextInt(map.size()));
  }

  private void checkBooks() {
    AllocatorBooks books = allocator.books();
    Map<AgentId, AgentResources> booked = new HashMap<>();
    books.allocations().forEach(allocation ->
        booked.merge(allocation.agentId(), allocation.resources(), AgentResources::plus));
    for (AgentId agentId : agents.keySet()) {
      assertEquals(heldOn(agentId), booked.getOrDefault(agentId, AgentResources.EMPTY),
          "books of agent " + agentId + " differ from what the master handed out");
    }
    assertEquals(agents.keySet(), new HashSet<>(books.agents().stream()
        .map(AgentSpec::id).toList()), "agents");
    assertEquals(inactiveAgents, books.inactiveAgents(), "inactive agents");
    assertEquals(inactiveFrameworks, books.inactiveFrameworks(), "inactive frameworks");
  }
}
