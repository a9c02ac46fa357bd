package io.cairn.master;

/**
 * Where an agent stands in the registry (Mesos partition-aware states).
 *
 * <pre>
 *   admit --&gt; ADMITTED --unreachable--&gt; UNREACHABLE --re-registers--&gt; ADMITTED
 *                 |                          |     \--pruned (age/count)--&gt; (forgotten)
 *                 +---------gone-------------+--&gt; GONE (final: never admitted again)
 * </pre>
 */
public enum AgentState {
  /** Registered and part of the cluster; its resources may be offered. */
  ADMITTED,
  /** Missed its health checks; it may re-register and become admitted again. */
  UNREACHABLE,
  /** Marked gone by an operator; its re-registration is always refused. */
  GONE
}
