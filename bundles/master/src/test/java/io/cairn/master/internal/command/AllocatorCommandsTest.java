package io.cairn.master.internal.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import io.cairn.allocator.Quantities;
import io.cairn.allocator.Quota;
import io.cairn.allocator.Resources;
import io.cairn.allocator.drf.internal.DrfAllocatorComponent;
import io.cairn.allocator.spi.Allocator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The allocator:* commands without a shell: parsing with plain-sentence errors, the role tree
 * computed from a real DRF allocator's books, and allocator:why over its explanation.
 */
class AllocatorCommandsTest {
  private static final long NOON = 1_700_000_000_000L;

  @Test
  void weightsParseToAMap() {
    var parsed = AllocatorText.weights(List.of("eng=2", "eng/web=0.5"));
    assertTrue(parsed.ok(), parsed.problem());
    assertEquals(Map.of("eng", 2.0, "eng/web", 0.5), parsed.value());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "eng           | is not role=weight",
      "eng=          | is not role=weight",
      "eng=heavy     | must be a number, was 'heavy'",
      "eng=0         | must be greater than 0",
      "eng=-1        | must be greater than 0",
      "a//b=1        | Role 'a//b' is not valid",
      "*/x=1         | is not valid"})
  void badWeightsAreRefusedWithASentence(String arg, String expected) {
    var parsed = AllocatorText.weights(List.of(arg.trim()));
    assertFalse(parsed.ok());
    assertTrue(parsed.problem().contains(expected.trim()), parsed.problem());
    assertTrue(parsed.problem().endsWith("."), "a sentence: " + parsed.problem());
  }

  @Test
  void aQuotaSpecParsesToGuaranteesAndLimits() {
    var parsed = AllocatorText.quota("eng",
        List.of("guarantee=cpus:1.5,mem:512", "limit=cpus:8,mem:8192,gpus:0"));
    assertTrue(parsed.ok(), parsed.problem());
    assertEquals(new Quota(new Quantities(1_500, 512, 0, 0),
        new Quantities(8_000, 8192, Quantities.UNLIMITED, 0)), parsed.value());
    assertEquals(Quota.NONE, AllocatorText.quota("eng", List.of("none")).value());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "cpus:2                      | is not guarantee=SPEC or limit=SPEC",
      "guarantee=cpus              | is not NAME:AMOUNT",
      "guarantee=ports:2           | is not NAME:AMOUNT",
      "limit=cpus:lots             | must be a number, was 'lots'",
      "limit=mem:-5                | must be a number >= 0",
      "limit=                      | is empty",
      "limit=cpus:1,cpus:2         | gives cpus twice",
      "guarantee=cpus:4 limit=cpus:2 | exceeds its limit"})
  void badQuotaSpecsAreRefusedWithASentence(String spec, String expected) {
    var parsed = AllocatorText.quota("eng", List.of(spec.trim().split(" ")));
    assertFalse(parsed.ok());
    assertTrue(parsed.problem().contains(expected.trim()), parsed.problem());
  }

  @Test
  void theRoleTreeShowsSharesWeightsQuotaAndAllocations() {
    Allocator drf = cluster();
    drf.updateWeights(Map.of("eng", 2.0));
    drf.updateQuota("eng/web", new Quota(new Quantities(1_000, 0, 0, 0),
        new Quantities(2_000, Quantities.UNLIMITED, Quantities.UNLIMITED, Quantities.UNLIMITED)));
    OfferPlan plan = drf.allocate(NOON);
    assertFalse(plan.offers().isEmpty());
    List<Allocation> offered = plan.offers().stream().map(Offer::asAllocation).toList();
    List<RoleTable.Row> rows = RoleTable.rows(drf.books(), offered);
    assertEquals(List.of("eng", "eng/web", "ops"), rows.stream().map(RoleTable.Row::role)
        .toList());
    RoleTable.Row eng = rows.get(0);
    RoleTable.Row web = rows.get(1);
    assertEquals(2.0, eng.weight());
    assertEquals(1, eng.depth() + 1);
    assertEquals(1, web.depth());
    assertEquals(2_000, web.allocated().cpuMillis(), "eng/web capped at its cpus limit 2");
    assertTrue(eng.allocated().contains(web.allocated()), "a parent counts its children");
    assertEquals(eng.share() / 2.0, eng.weightedShare(), 1e-12);
    assertEquals(web.allocated(), web.offered(), "all of it is still offered");
    List<String> text = RoleTable.format("drf", drf.books(), rows);
    assertTrue(text.get(0).startsWith("allocator drf; 2 agents"), text.get(0));
    assertTrue(text.stream().anyMatch(l -> l.startsWith("  eng/web")
        && l.contains("guarantee cpus 1") && l.contains("limit cpus 2")), String.join("\n", text));
  }

  @Test
  void whyExplainsAFrameworkHeldAtItsRoleLimitAndAFilteredAgent() {
    Allocator drf = cluster();
    drf.updateQuota("eng/web", Quota.limit(new Quantities(2_000, Quantities.UNLIMITED,
        Quantities.UNLIMITED, Quantities.UNLIMITED)));
    OfferPlan first = drf.allocate(NOON);
    // ops declines its offer on a2 with a 60 s filter.
    Offer opsOffer = first.offers().stream().filter(o -> o.role().equals("ops")).findFirst()
        .orElseThrow();
    drf.recoverResources(opsOffer.asAllocation(), new Filters(60_000), NOON);
    OfferPlan second = drf.allocate(NOON + 1_000);
    List<Allocation> outstanding = first.offers().stream().filter(o -> o != opsOffer)
        .map(Offer::asAllocation).toList();
    var view = new AllocatorText.View("drf", drf.books(), outstanding, Optional.of(second));

    String web = String.join("\n", WhyCommand.explain(view, "web"));
    assertTrue(web.startsWith("framework web (web)  roles eng/web  active"), web);
    assertTrue(web.contains("ROLE_AT_LIMIT"), web);

    String ops = String.join("\n", WhyCommand.explain(view, "ops"));
    assertTrue(ops.contains("FILTERED"), ops);
    String agent = String.join("\n", WhyCommand.explain(view, opsOffer.agentId().value()));
    assertTrue(agent.startsWith("agent " + opsOffer.agentId().value()), agent);
    assertTrue(agent.contains("FILTERED") || agent.contains("ROLE_AT_LIMIT"), agent);

    String unknown = String.join("\n", WhyCommand.explain(view, "nobody"));
    assertTrue(unknown.contains("is neither a framework nor an agent"), unknown);
  }

  /** Two agents of 4 cpus / 4 GB; framework web in eng/web, framework ops in ops. */
  private static Allocator cluster() {
    Allocator drf = new DrfAllocatorComponent().create(AllocatorOptions.DEFAULTS,
        AllocatorBooks.EMPTY);
    for (String id : List.of("a1", "a2")) {
      drf.addAgent(new AgentSpec(AgentId.of(id), id + ".example",
          AgentResources.unreserved(Resources.of(4, 4096))), List.of());
    }
    drf.addFramework(FrameworkSpec.of("web", "eng/web"), true, List.of());
    drf.addFramework(FrameworkSpec.of("ops", "ops"), true, List.of());
    return drf;
  }
}
