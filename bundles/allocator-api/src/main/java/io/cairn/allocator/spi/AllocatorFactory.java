package io.cairn.allocator.spi;

import io.cairn.allocator.AllocatorBooks;
import io.cairn.allocator.AllocatorOptions;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The service an allocator bundle registers (with {@code service.ranking}). The master creates one
 * {@link Allocator} from the highest-ranked factory, and on a swap creates one from the new factory
 * with the books of the old allocator. A factory rather than an allocator service, because an
 * allocator holds the master's books and is driven by one thread: it must not be shared.
 */
@ConsumerType
public interface AllocatorFactory {
  /** A short name for logs and the shell, e.g. {@code drf} or {@code first-fit}. */
  String name();

  /** A new allocator that starts from {@code books} (use {@link AllocatorBooks#EMPTY} at boot). */
  Allocator create(AllocatorOptions options, AllocatorBooks books);
}
