/**
 * Implemented by the capabilities that keep replicated state: a {@link
 * io.cairn.consensus.spi.StateMachine} registered under a namespace (for example {@code
 * coordination} or {@code registry}) receives the committed commands of that namespace in log
 * order and snapshots itself.
 */
@Export
@Version("0.1.0")
package io.cairn.consensus.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
