/**
 * The replicated log of the master quorum as services see it: {@link
 * io.cairn.consensus.ReplicatedLog} (propose, read barrier, leadership events, membership).
 * Implemented by the consensus bundle on Raft.
 */
@Export
@Version("0.2.0")
package io.cairn.consensus;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
