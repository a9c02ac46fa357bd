package io.cairn.allocator.drf.internal;

import io.cairn.allocator.AllocatorBooks;
import io.cairn.allocator.AllocatorOptions;
import io.cairn.allocator.drf.internal.core.DrfAllocator;
import io.cairn.allocator.spi.Allocator;
import io.cairn.allocator.spi.AllocatorFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the hierarchical DRF allocator as an {@link AllocatorFactory} with {@code
 * service.ranking=100}, so that it wins over a simpler allocator (e.g. first-fit at 10) unless the
 * operator ranks that one higher. Stateless: each {@link #create} returns an independent allocator
 * that the master drives on its own event loop.
 */
@Component(service = AllocatorFactory.class, property = {"service.ranking:Integer=100",
    "allocator.name=drf"})
public final class DrfAllocatorComponent implements AllocatorFactory {
  private static final Logger LOG = LoggerFactory.getLogger(DrfAllocatorComponent.class);

  /** Logs the activation. */
  @Activate
  public DrfAllocatorComponent() {
    LOG.info("allocator factory activated name=drf ranking=100");
  }

  @Override
  public String name() {
    return "drf";
  }

  @Override
  public Allocator create(AllocatorOptions options, AllocatorBooks books) {
    LOG.info("allocator created name=drf agents={} frameworks={} allocations={}",
        books.agents().size(), books.frameworks().size(), books.allocations().size());
    return new DrfAllocator(options, books);
  }
}
