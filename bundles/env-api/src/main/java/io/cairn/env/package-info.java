/**
 * The determinism boundary of Cairn: everything a deterministic core needs from the outside world
 * (time, randomness, the network, the node's identity) arrives through these interfaces, so that
 * production drivers and the seeded simulator can supply different implementations.
 */
@Export
@Version("0.1.0")
package io.cairn.env;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
