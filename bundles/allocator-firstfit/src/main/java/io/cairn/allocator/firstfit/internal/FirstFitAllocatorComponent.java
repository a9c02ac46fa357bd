package io.cairn.allocator.firstfit.internal;

import io.cairn.allocator.AllocatorBooks;
import io.cairn.allocator.AllocatorOptions;
import io.cairn.allocator.firstfit.internal.core.FirstFitAllocator;
import io.cairn.allocator.spi.Allocator;
import io.cairn.allocator.spi.AllocatorFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the first-fit allocator as an {@link AllocatorFactory} with {@code
 * service.ranking=10}, below DRF's 100, so DRF stays the default. To swap, an operator uninstalls
 * the DRF feature, or sets {@code service.ranking} above 100 in the configuration PID {@code
 * io.cairn.allocator.firstfit} (configuration properties override component properties and are
 * published with the service). Stateless: each {@link #create} returns an independent allocator
 * that the master drives on its own event loop.
 */
@Component(service = AllocatorFactory.class, configurationPid = "io.cairn.allocator.firstfit",
    property = {"service.ranking:Integer=10", "allocator.name=first-fit"})
@Designate(ocd = FirstFitAllocatorComponent.Config.class)
public final class FirstFitAllocatorComponent implements AllocatorFactory {
  private static final Logger LOG = LoggerFactory.getLogger(FirstFitAllocatorComponent.class);

  /** The configuration of the first-fit allocator factory. */
  @ObjectClassDefinition(name = "Cairn first-fit allocator",
      description = "A simple allocator that can replace DRF at run time.")
  public @interface Config {
    /** The ranking of the factory; the master uses the highest-ranked allocator. */
    @AttributeDefinition(name = "service.ranking",
        description = "Ranking of this allocator factory (an integer; DRF registers 100). "
            + "Set above 100 to make first-fit the master's allocator.")
    int service_ranking() default 10;
  }

  /** Logs the activation with the ranking in effect. */
  @Activate
  public FirstFitAllocatorComponent(Config config) {
    LOG.info("allocator factory activated name=first-fit ranking={}", config.service_ranking());
  }

  @Override
  public String name() {
    return "first-fit";
  }

  @Override
  public Allocator create(AllocatorOptions options, AllocatorBooks books) {
    LOG.info("allocator created name=first-fit agents={} frameworks={} allocations={}",
        books.agents().size(), books.frameworks().size(), books.allocations().size());
    return new FirstFitAllocator(options, books);
  }
}
