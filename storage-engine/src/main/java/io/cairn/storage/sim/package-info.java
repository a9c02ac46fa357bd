/**
 * The simulated storage: deterministic, single-threaded {@code LogStorage} and {@code
 * SnapshotStore} implementations driven by the seeded simulator, with the written fault model of
 * storage-engine/README.md. In the jar for {@code bundles/simulation}; never exported or started in
 * OSGi.
 */
package io.cairn.storage.sim;
