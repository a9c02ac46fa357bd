/**
 * The values the allocator works on: resources (scalar quantities, port ranges, reservations by
 * role), agents, frameworks, quota, refusal filters, and what it produces: an immutable {@link
 * io.cairn.allocator.OfferPlan} with an {@link io.cairn.allocator.Explanation} of every skip. Plain
 * records, no protobuf: the master converts at its edge.
 */
@Export
@Version("0.1.0")
package io.cairn.allocator;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
