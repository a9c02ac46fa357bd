/**
 * The master's API for the shell, the HTTP APIs and the UI. Today: a read-only, immutable view of
 * the registry (admitted, unreachable and gone agents, frameworks, weights, quota, maintenance),
 * as the registry state machine last applied it. All types are values; none exposes protobuf.
 */
@Export
@Version("0.1.0")
package io.cairn.master;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
