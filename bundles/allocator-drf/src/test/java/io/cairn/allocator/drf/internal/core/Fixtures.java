package io.cairn.allocator.drf.internal.core;

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
import io.cairn.allocator.PortRanges;
import io.cairn.allocator.Resources;
import java.util.List;

/** Small builders shared by the allocator tests. */
final class Fixtures {
  /** 12:03:00 UTC on some day: reasons print times of day. */
  static final long NOON = 1_795_000_000_000L - Math.floorMod(1_795_000_000_000L, 86_400_000L)
      + 12 * 3_600_000L + 3 * 60_000L;

  private Fixtures() {}

  static DrfAllocator allocator() {
    return new DrfAllocator(AllocatorOptions.DEFAULTS, AllocatorBooks.EMPTY);
  }

  static AgentResources cpusMem(double cpus, long memMb) {
    return AgentResources.unreserved(Resources.of(cpus, memMb));
  }

  static AgentSpec agent(String id, double cpus, long memMb) {
    return new AgentSpec(AgentId.of(id), id + ".example", cpusMem(cpus, memMb));
  }

  static AgentSpec agentWithPorts(String id, double cpus, long memMb, int portBegin, int portEnd) {
    return new AgentSpec(AgentId.of(id), id + ".example", AgentResources.unreserved(
        Resources.of(cpus, memMb, 0, 0, PortRanges.range(portBegin, portEnd))));
  }

  static FrameworkSpec framework(String id, String... roles) {
    return FrameworkSpec.of(id, roles);
  }

  static FrameworkId fw(String id) {
    return FrameworkId.of(id);
  }

  static AgentId ag(String id) {
    return AgentId.of(id);
  }

  static Allocation used(String framework, String role, String agent, AgentResources resources) {
    return new Allocation(fw(framework), role, ag(agent), resources);
  }

  /** Declines every offer of the plan with the given filter. */
  static void declineAll(DrfAllocator allocator, OfferPlan plan, io.cairn.allocator.Filters filters,
      long nowMillis) {
    for (Offer offer : plan.offers()) {
      allocator.recoverResources(offer.asAllocation(), filters, nowMillis);
    }
  }

  static List<String> offerSummary(OfferPlan plan) {
    return plan.offers().stream()
        .map(o -> o.frameworkId() + "/" + o.role() + "@" + o.agentId())
        .toList();
  }
}
