package io.cairn.storage.internal;

import io.cairn.env.NodeInfo;
import io.cairn.env.storage.LogStorage;
import io.cairn.env.storage.LogStorageFactory;
import io.cairn.env.storage.LogStorageMetrics;
import io.cairn.env.storage.SnapshotStore;
import io.cairn.env.Check;
import java.nio.file.Path;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.rocksdb.RocksDB;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the storage engine as a {@link LogStorageFactory} service once {@code
 * etc/io.cairn.storage.cfg} names a {@code storage.dir}. Activation validates the configuration
 * (failing with PID, key, value and range) and loads RocksDB's native library, so a bundle that
 * cannot load it never offers the service. Deactivation closes every log and snapshot store still
 * open. Thread-safe (delegates to a synchronized {@link RocksStorageFactory}).
 */
@Component(
    service = LogStorageFactory.class,
    configurationPid = RocksStorageComponent.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL,
    immediate = true)
@Designate(ocd = StorageConfig.class)
public final class RocksStorageComponent implements LogStorageFactory {
  static final String PID = "io.cairn.storage";
  private static final Logger LOG = LoggerFactory.getLogger(RocksStorageComponent.class);

  private final RocksStorageFactory factory;

  /**
   * Starts once the node's identity is valid; without {@code etc/io.cairn.storage.cfg} the groups
   * live under {@code <data.dir>/storage} of {@code etc/io.cairn.node.cfg}.
   */
  @Activate
  public RocksStorageComponent(StorageConfig config, @Reference NodeInfo node) {
    Path root = config.storage_dir().isBlank()
        ? node.dataDir().resolve("storage")
        : checkDir(config.storage_dir());
    RocksLogConfig logConfig =
        new RocksLogConfig(
            checkRange("queue.changes.max", config.queue_changes_max(), 1, 1 << 20),
            checkRange("queue.bytes.max", config.queue_bytes_max(), 1024, 4L << 30),
            checkRange("batch.changes.max", config.batch_changes_max(), 1, 1 << 16),
            checkRange("batch.bytes.max", config.batch_bytes_max(), 1024, 1L << 30));
    RocksDB.loadLibrary();
    this.factory = new RocksStorageFactory(root, logConfig);
    LOG.info("storage engine activated root={} config={}", root, logConfig);
  }

  static Path checkDir(String value) {
    Check.argument(
        value != null && !value.isBlank() && Path.of(value).isAbsolute(),
        "%s: storage.dir='%s' must be an absolute directory path",
        PID,
        value);
    return Path.of(value);
  }

  static int checkRange(String key, int value, int min, int max) {
    Check.argument(
        value >= min && value <= max, "%s: %s=%s must be in [%s, %s]", PID, key, value, min, max);
    return value;
  }

  static long checkRange(String key, long value, long min, long max) {
    Check.argument(
        value >= min && value <= max, "%s: %s=%s must be in [%s, %s]", PID, key, value, min, max);
    return value;
  }

  @Override
  public LogStorage openLog(String group) {
    return factory.openLog(group);
  }

  @Override
  public SnapshotStore openSnapshots(String group) {
    return factory.openSnapshots(group);
  }

  @Override
  public LogStorageMetrics metrics(String group) {
    return factory.metrics(group);
  }

  @Deactivate
  void deactivate() {
    factory.close();
    LOG.info("storage engine deactivated root={}", factory.root());
  }
}
