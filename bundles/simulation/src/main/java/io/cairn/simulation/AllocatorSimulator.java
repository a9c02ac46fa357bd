package io.cairn.simulation;

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
import io.cairn.allocator.drf.internal.core.DrfAllocator;
import io.cairn.allocator.firstfit.internal.core.FirstFitAllocator;
import io.cairn.allocator.spi.Allocator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * The allocator inside the simulator: one seed drives a master-like model of agents, frameworks
 * and tasks around a real allocator over virtual time (the {@link EventQueue}), as the production
 * {@code MasterCore} drives it: a full allocation every interval, batched allocations over the
 * agents whose resources came back, offers answered after a delay (accept part and decline the
 * rest with a filter, decline, or hold for a while), tasks that end and give their resources back,
 * and operator and cluster events: agents and frameworks added, removed, deactivated and
 * reactivated, suppress and revive, weight and quota updates, and hot swaps to first-fit and back
 * to DRF with the books handed over.
 *
 * <p>The simulator keeps its own ledger of what is offered and used (it never trusts the
 * allocator's books) and checks on every allocation step: no agent is over-allocated, no resource
 * (scalar or port) is offered to two frameworks or offered while in use, offers go only to active
 * frameworks for subscribed, unsuppressed roles on active agents, reservations only to their
 * roles, filters are honoured until they expire, quota limits are not crossed; and every second
 * that the allocator's books equal the ledger (nothing lost or duplicated, across swaps too). At
 * the end a liveness phase heals everything and checks that every satisfiable quota guarantee is
 * met by DRF.
 *
 * <p>Single-threaded and deterministic: one seed replays the same run.
 */
public final class AllocatorSimulator {
  static final String[] ROLES = {"eng", "eng/web", "eng/db", "ops", "ads"};
  /** Guarantees go only on leaves, so that satisfiability is a sum (see {@link #liveness}). */
  static final String[] LEAVES = {"eng/web", "eng/db", "ops", "ads"};
  private static final long INTERVAL_MS = AllocatorOptions.DEFAULTS.allocationIntervalMillis();

  private record Key(FrameworkId framework, String role, AgentId agent) {}

  private record Refusal(AgentResources refused, long untilMillis) {}

  /** Counters of one run, for the swarm's own sanity checks. */
  public record Stats(long offers, long accepts, long declines, long swaps,
      long guaranteesChecked, long booksChecks) {}

  private final long seed;
  private final SplittableRandom random;
  private final EventQueue queue = new EventQueue();
  private final long safetyMs;
  private Allocator allocator;
  private boolean drfActive = true;

  private final Map<AgentId, AgentSpec> agents = new TreeMap<>();
  private final Set<AgentId> inactiveAgents = new HashSet<>();
  private final Map<FrameworkId, FrameworkSpec> frameworks = new TreeMap<>();
  private final Set<FrameworkId> inactiveFrameworks = new HashSet<>();
  private final Map<FrameworkId, Set<String>> suppressed = new HashMap<>();
  private final Map<Long, Offer> offers = new LinkedHashMap<>();
  private final Map<Long, Allocation> tasks = new LinkedHashMap<>();
  private final Map<Key, Refusal> refusals = new HashMap<>();
  private final Map<String, Quota> quotas = new TreeMap<>();
  private final TreeSet<AgentId> candidates = new TreeSet<>();
  private boolean batchPending;
  private long nextId = 1;
  private int nextAgent;
  private int nextFramework;
  private long offered;
  private long accepts;
  private long declines;
  private long swaps;
  private long guaranteesChecked;
  private long booksChecks;

  private final UnaryOperator<Allocator> wrap;

  private AllocatorSimulator(long seed, UnaryOperator<Allocator> wrap) {
    this.seed = seed;
    this.wrap = wrap;
    this.random = new SplittableRandom(seed);
    this.safetyMs = 4_000 + random.nextInt(16_000);
    this.allocator =
        wrap.apply(new DrfAllocator(AllocatorOptions.DEFAULTS, AllocatorBooks.EMPTY));
  }

  /** A simulator whose whole run is derived from {@code seed}. */
  public static AllocatorSimulator forSeed(long seed) {
    return new AllocatorSimulator(seed, UnaryOperator.identity());
  }

  /**
   * The same run with every allocator it creates passed through {@code wrap}: how the tests
   * inject a deliberately broken allocator to show that the checkers catch it.
   */
  public static AllocatorSimulator forSeed(long seed, UnaryOperator<Allocator> wrap) {
    return new AllocatorSimulator(seed, wrap);
  }

  /** Runs the safety phase, then the liveness phase; throws {@link SimulationFailure}. */
  public Stats run() {
    setUp();
    queue.at(INTERVAL_MS, this::fullAllocation);
    queue.at(random.nextInt(1_500), this::chaos);
    queue.runUntil(safetyMs);
    liveness();
    return new Stats(offered, accepts, declines, swaps, guaranteesChecked, booksChecks);
  }

  // ------------------------------------------------------------------------------------------
  // Set-up and events.
  // ------------------------------------------------------------------------------------------

  private void setUp() {
    Map<String, Double> weights = new TreeMap<>();
    for (String role : ROLES) {
      if (random.nextInt(3) == 0) {
        weights.put(role, 0.5 * (1 + random.nextInt(6)));
      }
      if (random.nextInt(3) == 0) {
        setQuota(role);
      }
    }
    allocator.updateWeights(weights);
    for (int i = 2 + random.nextInt(10); i > 0; i--) {
      addAgent();
    }
    for (int i = 1 + random.nextInt(5); i > 0; i--) {
      addFramework();
    }
  }

  private void fullAllocation() {
    check(allocator.allocate(now()), true);
    checkBooks();
    queue.at(now() + INTERVAL_MS, this::fullAllocation);
  }

  private void batchedAllocation() {
    batchPending = false;
    if (!candidates.isEmpty()) {
      TreeSet<AgentId> these = new TreeSet<>(candidates);
      candidates.clear();
      check(allocator.allocate(now(), these), false);
    }
  }

  /** Gives resources back, as the master does, and asks for a batched allocation. */
  private void recover(Allocation allocation, long refuseMillis) {
    allocator.recoverResources(allocation, new Filters(refuseMillis), now());
    if (refuseMillis > 0) {
      refusals.put(new Key(allocation.frameworkId(), allocation.role(), allocation.agentId()),
          new Refusal(allocation.resources(), now() + Math.max(refuseMillis, INTERVAL_MS)));
    }
    candidates.add(allocation.agentId());
    if (!batchPending) {
      batchPending = true;
      queue.at(now() + 1, this::batchedAllocation);
    }
  }

  /** A framework answers one offer: accept part of it, decline it, or hold it a while. */
  private void answer(long offerId, boolean mayHold) {
    Offer offer = offers.get(offerId);
    if (offer == null) {
      return;
    }
    int choice = random.nextInt(10);
    if (mayHold && choice < 2) {
      queue.at(now() + 2_000 + random.nextInt(6_000), () -> answer(offerId, false));
      return;
    }
    offers.remove(offerId);
    long refuse = random.nextInt(4) == 0 ? 0 : Filters.DEFAULT.refuseMillis()
        * random.nextInt(3);
    if (choice < 6) {
      declines++;
      recover(offer.asAllocation(), refuse);
      return;
    }
    AgentResources used = part(offer.resources());
    if (used.isEmpty()) {
      declines++;
      recover(offer.asAllocation(), refuse);
      return;
    }
    accepts++;
    long taskId = nextId++;
    tasks.put(taskId, new Allocation(offer.frameworkId(), offer.role(), offer.agentId(), used));
    AgentResources rest = offer.resources().minus(used);
    if (!rest.isEmpty()) {
      recover(new Allocation(offer.frameworkId(), offer.role(), offer.agentId(), rest), refuse);
    }
    queue.at(now() + 500 + random.nextInt(15_000), () -> {
      Allocation task = tasks.remove(taskId);
      if (task != null) {
        recover(task, 0);
      }
    });
  }

  /** What a task takes of an offer: about half of the unreserved scalars and every reservation. */
  private AgentResources part(AgentResources offer) {
    Quantities q = offer.unreserved().scalars();
    Quantities half = new Quantities(q.cpuMillis() / 2, q.memMb() / 2, q.diskMb() / 2, 0);
    return new AgentResources(new Resources(half, PortRanges.NONE), offer.reserved());
  }

  /** One random cluster or operator event, then the next one. */
  private void chaos() {
    switch (random.nextInt(12)) {
      case 0 -> addAgent();
      case 1 -> removeAgent();
      case 2 -> toggleAgent();
      case 3 -> addFramework();
      case 4 -> removeFramework();
      case 5 -> toggleFramework();
      case 6, 7 -> toggleSuppression();
      case 8 -> allocator.updateWeights(Map.of(ROLES[random.nextInt(ROLES.length)],
          0.5 * (1 + random.nextInt(6))));
      case 9 -> setQuota(ROLES[random.nextInt(ROLES.length)]);
      default -> swap();
    }
    queue.at(now() + 100 + random.nextInt(1_400), this::chaos);
  }

  private void addAgent() {
    if (agents.size() >= 16) {
      return;
    }
    AgentId id = AgentId.of(String.format("a%02d", nextAgent++));
    AgentResources total = AgentResources.unreserved(Resources.of(1 + random.nextInt(16),
        512L * (1 + random.nextInt(32)), 1_000, random.nextInt(4) == 0 ? 1 : 0,
        PortRanges.range(31_000, 31_000 + random.nextInt(100))));
    if (random.nextInt(3) == 0) {
      String role = ROLES[random.nextInt(ROLES.length)];
      total = total.plus(AgentResources.reserved(random.nextBoolean()
              ? Reservation.staticFor(role) : Reservation.dynamicFor(role),
          Resources.of(1 + random.nextInt(4), 1024, 0, 0, PortRanges.range(32_000, 32_010))));
    }
    AgentSpec spec = new AgentSpec(id, id.value(), total);
    agents.put(id, spec);
    allocator.addAgent(spec, List.of());
  }

  private void removeAgent() {
    if (agents.size() <= 1) {
      return;
    }
    AgentId id = pick(new ArrayList<>(agents.keySet()));
    agents.remove(id);
    inactiveAgents.remove(id);
    allocator.removeAgent(id);
    offers.values().removeIf(o -> o.agentId().equals(id));
    tasks.values().removeIf(t -> t.agentId().equals(id));
    refusals.keySet().removeIf(k -> k.agent().equals(id));
  }

  private void toggleAgent() {
    AgentId id = pick(new ArrayList<>(agents.keySet()));
    if (inactiveAgents.remove(id)) {
      allocator.activateAgent(id);
    } else {
      inactiveAgents.add(id);
      allocator.deactivateAgent(id);
    }
  }

  private void addFramework() {
    if (frameworks.size() >= 8) {
      return;
    }
    List<String> roles = new ArrayList<>();
    for (int i = 1 + random.nextInt(2); i > 0; i--) {
      roles.add(ROLES[random.nextInt(ROLES.length)]);
    }
    FrameworkSpec spec = FrameworkSpec.of("f" + nextFramework++, roles.toArray(String[]::new));
    frameworks.put(spec.id(), spec);
    allocator.addFramework(spec, true, List.of());
  }

  private void removeFramework() {
    if (frameworks.size() <= 1) {
      return;
    }
    FrameworkId id = pick(new ArrayList<>(frameworks.keySet()));
    frameworks.remove(id);
    inactiveFrameworks.remove(id);
    suppressed.remove(id);
    allocator.removeFramework(id);
    offers.values().removeIf(o -> o.frameworkId().equals(id));
    tasks.values().removeIf(t -> t.frameworkId().equals(id));
    refusals.keySet().removeIf(k -> k.framework().equals(id));
  }

  private void toggleFramework() {
    FrameworkId id = pick(new ArrayList<>(frameworks.keySet()));
    if (inactiveFrameworks.remove(id)) {
      allocator.activateFramework(id);
    } else {
      inactiveFrameworks.add(id);
      allocator.deactivateFramework(id);
    }
  }

  private void toggleSuppression() {
    FrameworkSpec framework = frameworks.get(pick(new ArrayList<>(frameworks.keySet())));
    String role = pick(new ArrayList<>(framework.roles()));
    Set<String> roles = suppressed.computeIfAbsent(framework.id(), k -> new HashSet<>());
    if (roles.remove(role)) {
      allocator.revive(framework.id(), Set.of(role));
      refusals.keySet().removeIf(k -> k.framework().equals(framework.id())
          && k.role().equals(role));
    } else {
      roles.add(role);
      allocator.suppress(framework.id(), Set.of(role));
    }
  }

  /** A random limit (and, on leaves, maybe a guarantee), or no quota at all. */
  private void setQuota(String role) {
    if (random.nextInt(4) == 0) {
      quotas.remove(role);
      allocator.updateQuota(role, Quota.NONE);
      return;
    }
    Quantities limit = random.nextInt(3) == 0 ? Quantities.NO_LIMIT
        : new Quantities(1_000L * (2 + random.nextInt(40)), 1024L * (2 + random.nextInt(40)),
            Quantities.UNLIMITED, Quantities.UNLIMITED);
    Quantities guarantee = Quantities.ZERO;
    if (List.of(LEAVES).contains(role) && random.nextBoolean()) {
      guarantee = new Quantities(100L * random.nextInt(1, 40), 32L * random.nextInt(0, 100), 0, 0)
          .min(limit);
    }
    Quota quota = new Quota(guarantee, limit);
    quotas.put(role, quota);
    allocator.updateQuota(role, quota);
  }

  /** A hot swap: DRF to first-fit, first-fit to DRF, or DRF to a fresh DRF, books handed over. */
  private void swap() {
    AllocatorBooks books = allocator.books();
    drfActive = !drfActive || random.nextBoolean();
    allocator = wrap.apply(drfActive ? new DrfAllocator(AllocatorOptions.DEFAULTS, books)
        : new FirstFitAllocator(AllocatorOptions.DEFAULTS, books));
    refusals.clear(); // filters are hints and are not handed over (AllocatorBooks)
    swaps++;
    checkBooks();
  }

  private <T> T pick(List<T> from) {
    return from.get(random.nextInt(from.size()));
  }

  private long now() {
    return queue.now();
  }

  // ------------------------------------------------------------------------------------------
  // Checks.
  // ------------------------------------------------------------------------------------------

  /** Checks a plan against the ledger, then records its offers and schedules their answers. */
  private void check(OfferPlan plan, boolean full) {
    Map<String, Quantities> consumedBefore = consumed();
    for (Offer offer : plan.offers()) {
      checkOffer(offer);
      long id = nextId++;
      offers.put(id, offer);
      offered++;
      queue.at(now() + 1 + random.nextInt(300), () -> answer(id, true));
    }
    checkAgents(plan);
    Map<String, Quantities> consumedAfter = consumed();
    quotas.forEach((role, quota) -> {
      Quantities after = consumedAfter.getOrDefault(role, Quantities.ZERO);
      Quantities before = consumedBefore.getOrDefault(role, Quantities.ZERO);
      for (int d = 0; d < Quantities.NAMES.length; d++) {
        if (after.get(d) > Math.max(quota.limits().get(d), before.get(d))) {
          fail("role %s crossed its %s limit %s: it holds %s after a %s allocation", role,
              Quantities.NAMES[d], quota.limits(), after, full ? "full" : "batched");
        }
      }
    });
  }

  private void checkOffer(Offer offer) {
    FrameworkSpec framework = frameworks.get(offer.frameworkId());
    if (framework == null || !agents.containsKey(offer.agentId())) {
      fail("offer to a removed framework or on a removed agent: %s", offer);
    }
    if (!framework.roles().contains(offer.role())) {
      fail("offer for role %s, to which %s is not subscribed", offer.role(), framework);
    }
    if (inactiveFrameworks.contains(offer.frameworkId())
        || inactiveAgents.contains(offer.agentId())) {
      fail("offer to an inactive framework or on an inactive agent: %s", offer);
    }
    if (suppressed.getOrDefault(offer.frameworkId(), Set.of()).contains(offer.role())) {
      fail("offer for a suppressed role: %s", offer);
    }
    Refusal refusal = refusals.get(new Key(offer.frameworkId(), offer.role(), offer.agentId()));
    if (refusal != null && now() < refusal.untilMillis()
        && refusal.refused().contains(offer.resources())) {
      fail("offer inside a filter that expires at %s: %s", refusal.untilMillis(), offer);
    }
    for (Reservation reservation : offer.resources().reserved().keySet()) {
      if (!reservation.isAllocatableTo(offer.role())) {
        fail("reservation %s offered to role %s: %s", reservation, offer.role(), offer);
      }
    }
  }

  /** Offers plus tasks never exceed any agent's total, and no port is held twice. */
  private void checkAgents(OfferPlan plan) {
    Map<AgentId, List<AgentResources>> held = new HashMap<>();
    offers.values().forEach(o -> held.computeIfAbsent(o.agentId(), k -> new ArrayList<>())
        .add(o.resources()));
    tasks.values().forEach(t -> held.computeIfAbsent(t.agentId(), k -> new ArrayList<>())
        .add(t.resources()));
    held.forEach((agent, parts) -> {
      AgentResources sum = AgentResources.EMPTY;
      PortRanges ports = PortRanges.NONE;
      for (AgentResources part : parts) {
        PortRanges partPorts = ports(part);
        if (ports.intersects(partPorts)) {
          fail("agent %s: ports %s offered or used twice (plan cycle %s)", agent, partPorts,
              plan.cycle());
        }
        ports = ports.plus(partPorts);
        sum = sum.plus(part);
      }
      if (!agents.get(agent).total().contains(sum)) {
        fail("agent %s over-allocated: offered and used %s of %s (plan cycle %s)", agent, sum,
            agents.get(agent).total(), plan.cycle());
      }
    });
  }

  /** The allocator's books hold exactly the ledger: nothing lost, nothing counted twice. */
  private void checkBooks() {
    booksChecks++;
    Map<Key, AgentResources> ledger = new HashMap<>();
    offers.values().forEach(o -> ledger.merge(
        new Key(o.frameworkId(), o.role(), o.agentId()), o.resources(), AgentResources::plus));
    tasks.values().forEach(t -> ledger.merge(
        new Key(t.frameworkId(), t.role(), t.agentId()), t.resources(), AgentResources::plus));
    Map<Key, AgentResources> books = new HashMap<>();
    for (Allocation a : allocator.books().allocations()) {
      books.merge(new Key(a.frameworkId(), a.role(), a.agentId()), a.resources(),
          AgentResources::plus);
    }
    if (!ledger.keySet().equals(books.keySet())) {
      fail("the allocator's books hold allocations for %s, the ledger for %s", books.keySet(),
          ledger.keySet());
    }
    ledger.forEach((key, resources) -> {
      AgentResources booked = books.get(key);
      if (!booked.contains(resources) || !resources.contains(booked)) {
        fail("%s: the books hold %s, the ledger %s", key, booked, resources);
      }
    });
  }

  /** Quota consumption per role path: unreserved offered or used, plus reservations, subtree. */
  private Map<String, Quantities> consumed() {
    Map<String, Quantities> consumed = new HashMap<>();
    List<Allocation> all = new ArrayList<>(tasks.values());
    offers.values().forEach(o -> all.add(o.asAllocation()));
    for (Allocation allocation : all) {
      for (String path : io.cairn.allocator.Roles.selfAndAncestors(allocation.role())) {
        consumed.merge(path, allocation.resources().unreserved().scalars(), Quantities::plus);
      }
    }
    for (AgentSpec agent : agents.values()) {
      agent.total().reserved().forEach((reservation, part) -> {
        for (String path : io.cairn.allocator.Roles.selfAndAncestors(reservation.role())) {
          consumed.merge(path, part.scalars(), Quantities::plus);
        }
      });
    }
    return consumed;
  }

  private static PortRanges ports(AgentResources resources) {
    PortRanges ports = resources.unreserved().ports();
    for (Resources part : resources.reserved().values()) {
      ports = ports.plus(part.ports());
    }
    return ports;
  }

  // ------------------------------------------------------------------------------------------
  // Liveness.
  // ------------------------------------------------------------------------------------------

  /**
   * Heals everything (DRF back, agents and frameworks active, every role revived, offers and
   * tasks given back), runs one full allocation, and checks every satisfiable guarantee: a leaf
   * role with a framework, when the guarantees together fit in the unreserved total and, under
   * every ancestor with a limit, the guarantees plus the reservations there fit in that limit.
   */
  private void liveness() {
    if (!drfActive) {
      drfActive = true;
      allocator = wrap.apply(new DrfAllocator(AllocatorOptions.DEFAULTS, allocator.books()));
    }
    inactiveAgents.forEach(allocator::activateAgent);
    inactiveAgents.clear();
    inactiveFrameworks.forEach(allocator::activateFramework);
    inactiveFrameworks.clear();
    suppressed.forEach((id, roles) -> allocator.revive(id, Set.of()));
    suppressed.clear();
    refusals.clear();
    long now = now() + INTERVAL_MS;
    for (Offer offer : offers.values()) {
      allocator.recoverResources(offer.asAllocation(), Filters.NONE, now);
    }
    for (Allocation task : tasks.values()) {
      allocator.recoverResources(task, Filters.NONE, now);
    }
    offers.clear();
    tasks.clear();
    frameworks.keySet().forEach(id -> allocator.revive(id, Set.of()));
    OfferPlan plan = allocator.allocate(now);
    check(plan, true);
    checkBooks();
    Map<String, Quantities> consumed = consumed();
    for (Map.Entry<String, Quota> entry : quotas.entrySet()) {
      String role = entry.getKey();
      Quantities guarantee = entry.getValue().guarantees();
      if (guarantee.isZero() || !satisfiable(role)) {
        continue;
      }
      guaranteesChecked++;
      Quantities holds = consumed.getOrDefault(role, Quantities.ZERO);
      if (!holds.contains(guarantee)) {
        fail("role %s is guaranteed %s but holds %s after healing (quotas %s, agents %s)", role,
            guarantee, holds, quotas, agents.size());
      }
    }
  }

  private boolean satisfiable(String role) {
    boolean subscribed = frameworks.values().stream().anyMatch(f -> f.roles().contains(role));
    if (!subscribed) {
      return false;
    }
    Quantities unreserved = Quantities.ZERO;
    for (AgentSpec agent : agents.values()) {
      unreserved = unreserved.plus(agent.total().unreserved().scalars());
    }
    Quantities guarantees = Quantities.ZERO;
    for (Quota quota : quotas.values()) {
      guarantees = guarantees.plus(quota.guarantees());
    }
    if (!unreserved.contains(guarantees)) {
      return false;
    }
    for (String ancestor : io.cairn.allocator.Roles.selfAndAncestors(role)) {
      Quota quota = quotas.get(ancestor);
      if (ancestor.equals(role) || quota == null) {
        continue;
      }
      Quantities under = reservedUnder(ancestor);
      for (Map.Entry<String, Quota> entry : quotas.entrySet()) {
        if (io.cairn.allocator.Roles.isSelfOrDescendant(entry.getKey(), ancestor)) {
          under = under.plus(entry.getValue().guarantees());
        }
      }
      if (!quota.limits().contains(under)) {
        return false;
      }
    }
    return true;
  }

  private Quantities reservedUnder(String ancestor) {
    Quantities sum = Quantities.ZERO;
    for (AgentSpec agent : agents.values()) {
      for (Map.Entry<Reservation, Resources> part : agent.total().reserved().entrySet()) {
        if (io.cairn.allocator.Roles.isSelfOrDescendant(part.getKey().role(), ancestor)) {
          sum = sum.plus(part.getValue().scalars());
        }
      }
    }
    return sum;
  }

  private void fail(String template, Object... args) {
    throw new SimulationFailure("allocator seed 0x" + Long.toHexString(seed) + " at "
        + now() + " ms (" + (drfActive ? "drf" : "first-fit") + "): "
        + String.format(java.util.Locale.ROOT, template, args));
  }
}
