/**
 * The allocator service provider interface: an allocator bundle registers an {@link
 * io.cairn.allocator.spi.AllocatorFactory}; the master uses the highest-ranked one and drives the
 * {@link io.cairn.allocator.spi.Allocator} it creates on its own event loop.
 */
@Export
@Version("0.1.0")
package io.cairn.allocator.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
