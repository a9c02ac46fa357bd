package io.cairn.allocator.drf.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.allocator.AgentId;
import io.cairn.allocator.AgentResources;
import io.cairn.allocator.AgentSpec;
import io.cairn.allocator.Allocation;
import io.cairn.allocator.AllocatorBooks;
import io.cairn.allocator.AllocatorOptions;
import io.cairn.allocator.FrameworkId;
import io.cairn.allocator.FrameworkSpec;
import io.cairn.allocator.Offer;
import io.cairn.allocator.OfferPlan;
import io.cairn.allocator.Quantities;
import io.cairn.allocator.Resources;
import io.cairn.allocator.Roles;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * DRF order against a brute-force oracle: in a cluster of random hierarchical roles, weights,
 * frameworks and existing allocations, each new agent (offered whole) must go to the framework
 * the oracle picks by recomputing every weighted dominant share from scratch: the lowest share
 * among the roles at each level of the tree (then fewest allocations, then name), and the lowest
 * share among that role's frameworks.
 */
class DrfOrderPropertyTest {
  private static final String[] SEGMENTS = {"eng", "ops", "ads"};

  /** Allocations the oracle knows of: their sum and how many there were. */
  private record Held(String framework, String role, Quantities quantities, long count) {
    Held(String framework, String role, Quantities quantities) {
      this(framework, role, quantities, 1);
    }
  }

  @Test
  void everyAgentGoesToTheFrameworkWithTheLowestWeightedDominantShare() {
    Seeds.forEach("drf-order", 400, this::trial);
  }

  @Test
  void theDrfSorterOrdersLikeTheOracle() {
    Seeds.forEach("drf-sorter", 400, random -> {
      Map<String, Double> weights = randomWeights(random);
      List<String> roles = randomRoles(random);
      Quantities total = new Quantities(100_000, 100_000, 100_000, 10);
      DrfSorter sorter = new DrfSorter(total, weights, true);
      List<Held> held = new ArrayList<>();
      List<String> addOrder = new ArrayList<>(roles);
      for (int i = addOrder.size() - 1; i > 0; i--) {
        java.util.Collections.swap(addOrder, i, random.nextInt(i + 1));
      }
      for (String role : addOrder) {
        Quantities q = randomQuantities(random, 5_000);
        long count = random.nextInt(3);
        sorter.add(role, q, count);
        held.add(new Held("x", role, q, count));
      }
      // The oracle counts one allocation per Held entry; align the sorter's counts.
      for (int step = 0; step < 20; step++) {
        List<String> order = sorter.sort();
        String expected = oracleRole(new TreeSet<>(roles), held, weights, total, countsOf(held));
        assertEquals(expected, order.get(0), "order " + order);
        assertEquals(new TreeSet<>(roles), new TreeSet<>(order), "every client once: " + order);
        assertEquals(roles.size(), order.size(), "every client once: " + order);
        Quantities more = randomQuantities(random, 3_000);
        String target = roles.get(random.nextInt(roles.size()));
        sorter.allocated(target, more);
        held.add(new Held("x", target, more));
      }
    });
  }

  private void trial(SplittableRandom random) {
    Map<String, Double> weights = randomWeights(random);
    List<String> roles = randomRoles(random);
    DrfAllocator allocator = new DrfAllocator(AllocatorOptions.DEFAULTS, AllocatorBooks.EMPTY);
    allocator.updateWeights(weights);
    // A large pre-used agent carries the existing allocations.
    allocator.addAgent(new AgentSpec(AgentId.of("a000"), "old", AgentResources.unreserved(
        Resources.of(1_000, 1_000_000, 0, 0, io.cairn.allocator.PortRanges.NONE))), List.of());
    Map<String, List<String>> frameworksOf = new TreeMap<>();
    List<Held> held = new ArrayList<>();
    int frameworks = 1 + random.nextInt(8);
    for (int f = 0; f < frameworks; f++) {
      String id = "f" + f;
      String role = roles.get(random.nextInt(roles.size()));
      List<Allocation> used = new ArrayList<>();
      for (int k = random.nextInt(3); k > 0; k--) {
        Quantities q = random.nextBoolean()
            ? new Quantities(1 + random.nextInt(20_000), random.nextInt(40_000), 0, 0)
            : new Quantities(1_000L * (1 + random.nextInt(3)), 1024L * random.nextInt(3), 0, 0);
        used.add(new Allocation(FrameworkId.of(id), role, AgentId.of("a000"),
            AgentResources.unreserved(new Resources(q, io.cairn.allocator.PortRanges.NONE))));
        held.add(new Held(id, role, q));
      }
      allocator.addFramework(FrameworkSpec.of(id, role), true, used);
      frameworksOf.computeIfAbsent(role, r -> new ArrayList<>()).add(id);
    }
    int agents = 1 + random.nextInt(25);
    for (int a = 1; a <= agents; a++) {
      allocator.addAgent(new AgentSpec(AgentId.of(String.format("a%03d", a)), "new",
          AgentResources.unreserved(Resources.of(1 + random.nextInt(16), 1024L
              * (1 + random.nextInt(64))))), List.of());
    }
    allocator.deactivateAgent(AgentId.of("a000"));
    Quantities total = allocator.books().agents().stream()
        .map(agent -> agent.total().quantities()).reduce(Quantities.ZERO, Quantities::plus);
    OfferPlan plan = allocator.allocate(0);
    assertEquals(agents, plan.offers().size(), "every new agent is offered whole");
    for (Offer offer : plan.offers()) {
      Map<String, Long> counts = countsOf(held);
      String role = oracleRole(new TreeSet<>(frameworksOf.keySet()), held, weights, total, counts);
      String framework = oracleFramework(frameworksOf.get(role), role, held, total, counts);
      assertEquals(framework + "/" + role, offer.frameworkId() + "/" + offer.role(),
          "agent " + offer.agentId());
      held.add(new Held(framework, role, offer.resources().quantities()));
    }
  }

  /** Allocation counts per role path (ancestors included) and per "framework role" key. */
  private static Map<String, Long> countsOf(List<Held> held) {
    Map<String, Long> counts = new HashMap<>();
    for (Held h : held) {
      for (String path : Roles.selfAndAncestors(h.role())) {
        counts.merge(path, h.count(), Long::sum);
      }
      counts.merge(h.framework() + " " + h.role(), h.count(), Long::sum);
    }
    return counts;
  }

  /** Walks the role tree from the root, choosing the least-share sibling at every level. */
  static String oracleRole(TreeSet<String> clients, List<Held> held, Map<String, Double> weights,
      Quantities total, Map<String, Long> counts) {
    String node = "";
    while (true) {
      String best = null;
      double bestShare = 0;
      long bestCount = 0;
      boolean bestIsSelf = false;
      List<String[]> candidates = new ArrayList<>();
      if (!node.isEmpty() && clients.contains(node)) {
        candidates.add(new String[] {node, "self"});
      }
      for (String child : children(clients, node)) {
        candidates.add(new String[] {child, "child"});
      }
      for (String[] c : candidates) {
        boolean self = c[1].equals("self");
        Quantities sum = Quantities.ZERO;
        long count = 0;
        for (Held h : held) {
          if (self ? h.role().equals(c[0]) : Roles.isSelfOrDescendant(h.role(), c[0])) {
            sum = sum.plus(h.quantities());
            count += h.count();
          }
        }
        double share = sum.dominantShare(total) / weights.getOrDefault(c[0], 1.0);
        int cmp = best == null ? -1 : Double.compare(share, bestShare);
        if (cmp == 0) {
          cmp = Long.compare(count, bestCount);
        }
        if (cmp == 0) {
          cmp = c[0].compareTo(best);
        }
        if (cmp < 0) {
          best = c[0];
          bestShare = share;
          bestCount = count;
          bestIsSelf = self;
        }
      }
      if (bestIsSelf || children(clients, best).isEmpty()) {
        return best;
      }
      node = best;
    }
  }

  /** The distinct next-level paths below {@code node} that lead to some client. */
  private static List<String> children(TreeSet<String> clients, String node) {
    TreeSet<String> result = new TreeSet<>();
    for (String client : clients) {
      if (node.isEmpty() || (client.startsWith(node + "/"))) {
        String rest = node.isEmpty() ? client : client.substring(node.length() + 1);
        int slash = rest.indexOf('/');
        String segment = slash < 0 ? rest : rest.substring(0, slash);
        result.add(node.isEmpty() ? segment : node + "/" + segment);
      }
    }
    return new ArrayList<>(result);
  }

  private static String oracleFramework(List<String> frameworks, String role, List<Held> held,
      Quantities total, Map<String, Long> counts) {
    String best = null;
    double bestShare = 0;
    long bestCount = 0;
    for (String framework : new TreeSet<>(frameworks)) {
      Quantities sum = Quantities.ZERO;
      for (Held h : held) {
        if (h.framework().equals(framework) && h.role().equals(role)) {
          sum = sum.plus(h.quantities());
        }
      }
      double share = sum.dominantShare(total);
      long count = counts.getOrDefault(framework + " " + role, 0L);
      if (best == null || share < bestShare || (share == bestShare && count < bestCount)) {
        best = framework;
        bestShare = share;
        bestCount = count;
      }
    }
    return best;
  }

  private static List<String> randomRoles(SplittableRandom random) {
    TreeSet<String> roles = new TreeSet<>();
    int n = 1 + random.nextInt(6);
    while (roles.size() < n) {
      StringBuilder role = new StringBuilder(SEGMENTS[random.nextInt(SEGMENTS.length)]);
      for (int depth = random.nextInt(3); depth > 0; depth--) {
        role.append('/').append(SEGMENTS[random.nextInt(SEGMENTS.length)]);
      }
      roles.add(role.toString());
    }
    return new ArrayList<>(roles);
  }

  private static Map<String, Double> randomWeights(SplittableRandom random) {
    Map<String, Double> weights = new HashMap<>();
    for (String a : SEGMENTS) {
      if (random.nextInt(3) == 0) {
        weights.put(a, 0.5 + random.nextInt(6) * 0.5);
      }
      for (String b : SEGMENTS) {
        if (random.nextInt(4) == 0) {
          weights.put(a + "/" + b, 0.5 + random.nextInt(6) * 0.5);
        }
      }
    }
    return weights;
  }

  /** Fine-grained half the time, coarse (many ties, so the tie-breakers matter) otherwise. */
  private static Quantities randomQuantities(SplittableRandom random, int max) {
    int unit = random.nextBoolean() ? 1 : max / 4;
    return new Quantities((long) unit * random.nextInt(max / unit),
        (long) unit * random.nextInt(max / unit), (long) unit * random.nextInt(max / unit), 0);
  }
}
