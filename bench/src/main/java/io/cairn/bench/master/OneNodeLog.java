package io.cairn.bench.master;

import io.cairn.consensus.internal.core.RaftConfig;
import io.cairn.consensus.internal.driver.RaftDriver;
import io.cairn.consensus.spi.StateMachine;
import io.cairn.env.RandomSource;
import io.cairn.env.Transport;
import io.cairn.master.internal.RegistryStateMachine;
import io.cairn.storage.internal.RocksLogConfig;
import io.cairn.storage.internal.RocksLogStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The master's replicated log for the bench: a real Raft group of one ({@link RaftDriver}, the
 * production driver) on a real {@link RocksLogStorage} (synced group commit), holding the real
 * {@link RegistryStateMachine}. Nothing is stubbed except the network, which a group of one never
 * uses. {@link #reopen} closes the group and starts it again from the same directory with a fresh
 * registry, which the log replays: what a master sees after a fail-over.
 *
 * <p>Threading: {@link #open}, {@link #reopen} and {@link #close} from the bench's main thread;
 * the driver runs its own "cairn-raft-1" thread.
 */
final class OneNodeLog implements AutoCloseable {
  /** A group of one has nobody to talk to. */
  private static final Transport ALONE = new Transport() {
    @Override
    public void send(int to, byte[] payload) {
      throw new IllegalStateException("a group of one sent a message to node " + to);
    }

    @Override
    public void setReceiver(Receiver receiver) {
      // No peer ever sends.
    }
  };

  private final Path directory;
  private RocksLogStorage storage;
  private RaftDriver driver;
  private RegistryStateMachine registry;

  private OneNodeLog(Path directory) {
    this.directory = directory;
  }

  /** Opens (or recovers) the log in {@code directory} and waits until the node leads. */
  static OneNodeLog open(Path directory, Duration timeout) throws InterruptedException {
    OneNodeLog log = new OneNodeLog(directory);
    log.start(timeout);
    return log;
  }

  private void start(Duration timeout) throws InterruptedException {
    storage = RocksLogStorage.open(directory, RocksLogConfig.DEFAULTS);
    registry = new RegistryStateMachine();
    driver = RaftDriver.start(RaftConfig.defaults(1, Set.of(1)), RandomSource.seeded(1), storage,
        ALONE, Map.<String, StateMachine>of(RegistryStateMachine.NAMESPACE, registry),
        Duration.ofMillis(10));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!driver.status().leadership().local()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the Raft group of one did not elect itself within "
            + timeout.toMillis() + " ms");
      }
      Thread.sleep(1); // Polling with a deadline: the driver offers no leadership future.
    }
  }

  /** Stops the group and starts it again on the same directory (replaying the registry). */
  void reopen(Duration timeout) throws InterruptedException {
    stop();
    start(timeout);
  }

  RaftDriver log() {
    return driver;
  }

  RegistryStateMachine registry() {
    return registry;
  }

  private void stop() {
    if (driver != null) {
      driver.close();
      driver = null;
    }
    if (storage != null) {
      storage.close();
      storage = null;
    }
  }

  @Override
  public void close() {
    stop();
  }
}
