/**
 * Durable storage for the replicated log: {@link io.cairn.env.storage.LogStorage} (entries and
 * the Raft hard state) and {@link io.cairn.env.storage.SnapshotStore}. Implemented by
 * storage-engine on RocksDB and by the simulator under a written fault model.
 */
@Export
@Version("0.1.0")
package io.cairn.env.storage;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
