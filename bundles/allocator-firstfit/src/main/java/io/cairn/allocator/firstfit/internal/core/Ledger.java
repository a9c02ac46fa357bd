package io.cairn.allocator.firstfit.internal.core;

import io.cairn.allocator.AgentId;
import io.cairn.allocator.AgentResources;
import io.cairn.allocator.AgentSpec;
import io.cairn.allocator.Allocation;
import io.cairn.allocator.FrameworkId;
import io.cairn.allocator.FrameworkSpec;
import io.cairn.allocator.Quota;
import io.cairn.env.Check;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The first-fit allocator's mutable state. Agents and frameworks are kept in the order they were
 * added ({@link LinkedHashMap}), because that order is the whole allocation policy. Only {@link
 * FirstFitAllocator} changes it; {@link FirstFitStep} only reads it.
 *
 * <p>Invariant: for every agent, {@code allocated} is the sum of its {@code allocations} and is
 * contained in its total ({@link #checkInvariants()}). Called only on the allocator's thread.
 */
final class Ledger {
  /** One agent and what is allocated on it, per holder in the order allocated. */
  static final class AgentEntry {
    AgentSpec spec;
    boolean active = true;
    AgentResources allocated = AgentResources.EMPTY;
    final Map<Holder, AgentResources> allocations = new LinkedHashMap<>();

    AgentEntry(AgentSpec spec) {
      this.spec = spec;
    }

    AgentResources available() {
      return spec.total().minus(allocated);
    }
  }

  /** One framework: its spec, whether it is active, and the roles it suppressed. */
  static final class FrameworkEntry {
    FrameworkSpec spec;
    boolean active;
    final TreeSet<String> suppressed = new TreeSet<>();

    FrameworkEntry(FrameworkSpec spec, boolean active) {
      this.spec = spec;
      this.active = active;
    }
  }

  final LinkedHashMap<AgentId, AgentEntry> agents = new LinkedHashMap<>();
  final LinkedHashMap<FrameworkId, FrameworkEntry> frameworks = new LinkedHashMap<>();
  /** Kept only to hand over to a successor: first-fit ignores weights. */
  final TreeMap<String, Double> weights = new TreeMap<>();
  final TreeMap<String, Quota> quotas = new TreeMap<>();
  final Map<Holder, Map<AgentId, RefusalFilter>> filters = new HashMap<>();
  long cycle;

  AgentEntry agent(AgentId id) {
    AgentEntry entry = agents.get(id);
    Check.argument(entry != null, "unknown agent %s", id);
    return entry;
  }

  FrameworkEntry framework(FrameworkId id) {
    FrameworkEntry entry = frameworks.get(id);
    Check.argument(entry != null, "unknown framework %s", id);
    return entry;
  }

  /** Fails, changing nothing, unless {@code allocation} fits what its agent has available. */
  void checkAllocatable(Allocation allocation, AgentResources alreadyAdded) {
    AgentEntry agent = agent(allocation.agentId());
    FrameworkEntry framework = framework(allocation.frameworkId());
    Check.argument(framework.spec.roles().contains(allocation.role()),
        "framework %s is not subscribed to role %s", allocation.frameworkId(), allocation.role());
    AgentResources available = agent.available().minus(alreadyAdded);
    Check.argument(available.contains(allocation.resources()),
        "agent %s has %s available, cannot allocate %s to framework %s",
        allocation.agentId(), available, allocation.resources(), allocation.frameworkId());
  }

  /** Adds an allocation (offered or used); the caller has checked it. */
  void allocate(Allocation allocation) {
    checkAllocatable(allocation, AgentResources.EMPTY);
    AgentEntry agent = agents.get(allocation.agentId());
    agent.allocations.merge(new Holder(allocation.frameworkId(), allocation.role()),
        allocation.resources(), AgentResources::plus);
    agent.allocated = agent.allocated.plus(allocation.resources());
  }

  /** Removes (part of) an allocation; fails, changing nothing, if the holder does not hold it. */
  void unallocate(Allocation allocation) {
    AgentEntry agent = agent(allocation.agentId());
    Holder holder = new Holder(allocation.frameworkId(), allocation.role());
    AgentResources held = agent.allocations.getOrDefault(holder, AgentResources.EMPTY);
    Check.argument(held.contains(allocation.resources()),
        "framework %s holds %s on agent %s for role %s, cannot recover %s",
        allocation.frameworkId(), held, allocation.agentId(), allocation.role(),
        allocation.resources());
    AgentResources left = held.minus(allocation.resources());
    if (left.isEmpty()) {
      agent.allocations.remove(holder);
    } else {
      agent.allocations.put(holder, left);
    }
    agent.allocated = agent.allocated.minus(allocation.resources());
  }

  /** Recomputes every agent's allocated sum and checks it against the books and the total. */
  void checkInvariants() {
    for (AgentEntry agent : agents.values()) {
      AgentResources sum = AgentResources.EMPTY;
      for (AgentResources part : agent.allocations.values()) {
        sum = sum.plus(part);
      }
      Check.invariant(sum.equals(agent.allocated), "agent %s allocated %s but sum is %s",
          agent.spec.id(), agent.allocated, sum);
      Check.invariant(agent.spec.total().contains(sum), "agent %s over-allocated: %s of %s",
          agent.spec.id(), sum, agent.spec.total());
    }
  }
}
