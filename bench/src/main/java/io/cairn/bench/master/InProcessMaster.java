package io.cairn.bench.master;

import io.cairn.allocator.AllocatorOptions;
import io.cairn.allocator.drf.internal.DrfAllocatorComponent;
import io.cairn.env.Clock;
import io.cairn.master.internal.core.MasterSettings;
import io.cairn.master.internal.server.MasterDriver;
import io.cairn.master.internal.server.MasterHttpServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;

/**
 * One master as production wires it, minus OSGi: the real {@link MasterDriver} (the
 * "cairn-master" thread feeding the real {@code MasterCore}) with the real DRF allocator
 * ({@link DrfAllocatorComponent}, the factory DS publishes), and the real Netty
 * {@link MasterHttpServer} bound on loopback. Only public classes and constructors are used, the
 * way {@code MasterComponent} uses them.
 *
 * <p>Threading: {@link #start} and {@link #close} from the bench's main thread.
 */
final class InProcessMaster implements AutoCloseable {
  private final MasterDriver driver;
  private final MasterHttpServer server;
  private final InetSocketAddress address;

  private InProcessMaster(MasterDriver driver, MasterHttpServer server,
      InetSocketAddress address) {
    this.driver = driver;
    this.server = server;
    this.address = address;
  }

  /**
   * Starts a master on {@code 127.0.0.1:port} over {@code log} and waits until its core leads.
   */
  static InProcessMaster start(OneNodeLog log, int port, Duration timeout)
      throws InterruptedException {
    MasterDriver driver = new MasterDriver(new MasterDriver.Settings("127.0.0.1", "127.0.0.1",
        port, MasterSettings.DEFAULTS, AllocatorOptions.DEFAULTS, Map.of()), log.log(),
        log.registry(), Clock.system(), new DrfAllocatorComponent(), Map.of(1, "127.0.0.1"));
    MasterHttpServer server = new MasterHttpServer(driver);
    InetSocketAddress address;
    try {
      address = server.start("127.0.0.1", port);
    } catch (InterruptedException | RuntimeException e) {
      driver.close();
      throw e;
    }
    driver.start();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!driver.leading()) {
      if (System.nanoTime() > deadline) {
        server.close();
        driver.close();
        throw new IllegalStateException("the master did not lead within " + timeout.toMillis()
            + " ms of starting on a log it leads");
      }
      Thread.sleep(1); // Polling with a deadline: the driver offers no leading future.
    }
    return new InProcessMaster(driver, server, address);
  }

  InetSocketAddress address() {
    return address;
  }

  /** Closes the listener and every connection, then stops the core (a master that dies). */
  @Override
  public void close() {
    server.close();
    driver.close();
  }
}
