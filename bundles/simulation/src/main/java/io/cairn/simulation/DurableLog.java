package io.cairn.simulation;

import io.cairn.consensus.internal.core.DurableState;
import io.cairn.consensus.internal.core.Snapshot;
import io.cairn.env.storage.LogWrite;

/**
 * The small durable-state interface the simulator needs from storage. It stands in for {@code
 * io.cairn.storage.sim.SimLogStorage} until storage-engine ships it; the fault model is the same:
 * a write is atomic, writes become durable in submission order, and a crash loses an arbitrary
 * suffix of the writes that were not yet synced.
 */
interface DurableLog {
  /** Submits a write; returns its sequence number (1, 2, ...). */
  long submit(LogWrite write);

  /**
   * Submits the installation of a snapshot received from the leader: it replaces the whole log,
   * in order with the writes around it; returns its sequence number.
   */
  long submitSnapshot(Snapshot snapshot);

  /**
   * Publishes a snapshot this node took of its applied state and drops the entries it covers.
   * Durable at once (a snapshot file is synced before it is published).
   */
  void compact(Snapshot snapshot);

  /** Makes every write up to {@code seq} durable (the fsync finished). */
  void syncThrough(long seq);

  /** The node crashed: a random prefix of the unsynced writes survives, the rest is lost. */
  void crash();

  /** What a restarting node reads back. */
  DurableState recover();
}
