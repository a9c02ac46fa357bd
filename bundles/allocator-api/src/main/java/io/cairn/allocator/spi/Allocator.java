package io.cairn.allocator.spi;

import io.cairn.allocator.AgentId;
import io.cairn.allocator.AgentSpec;
import io.cairn.allocator.Allocation;
import io.cairn.allocator.AllocatorBooks;
import io.cairn.allocator.Filters;
import io.cairn.allocator.FrameworkId;
import io.cairn.allocator.FrameworkSpec;
import io.cairn.allocator.OfferPlan;
import io.cairn.allocator.Quota;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The allocator: the master tells it about agents, frameworks, roles and resources coming back,
 * and asks it for a plan of offers (Mesos {@code include/mesos/allocator/allocator.hpp}).
 *
 * <p><b>Threading.</b> Not thread-safe. The master calls every method from its one event loop; an
 * implementation never blocks, starts threads, or reads a clock: time arrives as {@code nowMillis}
 * (wall-clock milliseconds from the master's {@code io.cairn.env.Clock}). Allocation is a call,
 * not a callback, so the master decides when to run it: every allocation interval, and batched
 * after events that free resources.
 *
 * <p><b>Books.</b> Resources in an {@link io.cairn.allocator.Offer} returned by {@link #allocate}
 * count as allocated to its framework until {@link #recoverResources} gives them back. Methods fail
 * with {@link IllegalArgumentException} or {@link IllegalStateException} on an unknown id or on
 * resources that are not there; the books are unchanged after such a failure.
 */
@ConsumerType
public interface Allocator {
  /** Adds an agent, with what frameworks already use on it (after a master failover). */
  void addAgent(AgentSpec agent, List<Allocation> used);

  /** Replaces an agent's total (e.g. a dynamic reservation); must still hold its allocations. */
  void updateAgent(AgentSpec agent);

  /** Removes an agent and every allocation on it. */
  void removeAgent(AgentId agentId);

  /** Offers this agent again. */
  void activateAgent(AgentId agentId);

  /** Stops offering this agent (its allocations stay). */
  void deactivateAgent(AgentId agentId);

  /** Adds a framework, with what it already uses (after a master failover). */
  void addFramework(FrameworkSpec framework, boolean active, List<Allocation> used);

  /** Replaces a framework's roles; it must hold nothing in a role it leaves. */
  void updateFramework(FrameworkSpec framework);

  /** Removes a framework and every allocation it holds. */
  void removeFramework(FrameworkId frameworkId);

  /** Offers to this framework again. */
  void activateFramework(FrameworkId frameworkId);

  /** Stops offering to this framework (its allocations stay). */
  void deactivateFramework(FrameworkId frameworkId);

  /**
   * Gives resources back: a declined or rescinded offer, the unused part of an accept, or what a
   * finished task used. A non-zero {@code filters} refuses these resources of this agent to this
   * framework and role until {@code nowMillis + max(refuseMillis, allocation interval)}.
   */
  void recoverResources(Allocation resources, Filters filters, long nowMillis);

  /** Stops offers to this framework for these roles (all its roles if empty). */
  void suppress(FrameworkId frameworkId, Set<String> roles);

  /** Resumes offers for these roles (all if empty) and clears their refusal filters. */
  void revive(FrameworkId frameworkId, Set<String> roles);

  /** Sets role weights (default 1.0); a role absent from the map keeps its weight. */
  void updateWeights(Map<String, Double> weights);

  /** Sets (or, with {@link Quota#NONE}, clears) a role's quota. */
  void updateQuota(String role, Quota quota);

  /** Runs one allocation step over every agent. */
  OfferPlan allocate(long nowMillis);

  /** Runs one allocation step over these agents only (event-triggered, batched by the master). */
  OfferPlan allocate(long nowMillis, Set<AgentId> candidates);

  /** A copy of the books, for a hot swap to another allocator or for the operator API. */
  AllocatorBooks books();
}
