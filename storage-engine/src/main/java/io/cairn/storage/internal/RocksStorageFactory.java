package io.cairn.storage.internal;

import io.cairn.env.storage.LogStorage;
import io.cairn.env.storage.LogStorageFactory;
import io.cairn.env.storage.LogStorageMetrics;
import io.cairn.env.storage.SnapshotStore;
import io.cairn.env.Check;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens each Raft group's storage under one root directory: {@code <root>/<group>/log} (a {@link
 * RocksLogStorage}) and {@code <root>/<group>/snapshots} (a {@link RocksSnapshotStore}). Plain
 * Java, so tests and the bench use it directly; {@link RocksStorageComponent} publishes it in OSGi.
 * Thread-safe: every method is synchronized (opening is rare).
 */
public final class RocksStorageFactory implements LogStorageFactory, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RocksStorageFactory.class);
  private static final Pattern GROUP = Pattern.compile("[a-z0-9_-]{1,64}");

  private final Path root;
  private final RocksLogConfig logConfig;
  private final Map<String, RocksLogStorage> logs = new LinkedHashMap<>();
  private final Map<String, RocksSnapshotStore> snapshots = new LinkedHashMap<>();
  private boolean closed;

  public RocksStorageFactory(Path root, RocksLogConfig logConfig) {
    Check.argument(root != null, "root directory must not be null");
    Check.argument(logConfig != null, "logConfig must not be null");
    this.root = root.toAbsolutePath();
    this.logConfig = logConfig;
  }

  /** The root directory every group lives under. */
  public Path root() {
    return root;
  }

  @Override
  public synchronized LogStorage openLog(String group) {
    checkGroup(group);
    RocksLogStorage open = logs.get(group);
    Check.state(open == null || !open.isOpen(), "the log of group '%s' is already open", group);
    RocksLogStorage log = RocksLogStorage.open(root.resolve(group).resolve("log"), logConfig);
    logs.put(group, log);
    return log;
  }

  @Override
  public synchronized SnapshotStore openSnapshots(String group) {
    checkGroup(group);
    RocksSnapshotStore open = snapshots.get(group);
    Check.state(
        open == null || !open.isOpen(), "the snapshot store of group '%s' is already open", group);
    RocksSnapshotStore store = RocksSnapshotStore.open(root.resolve(group).resolve("snapshots"));
    snapshots.put(group, store);
    return store;
  }

  @Override
  public synchronized LogStorageMetrics metrics(String group) {
    checkGroup(group);
    RocksLogStorage log = logs.get(group);
    Check.state(log != null && log.isOpen(), "the log of group '%s' is not open", group);
    return log.metrics();
  }

  private void checkGroup(String group) {
    Check.state(!closed, "storage factory for %s is closed", root);
    Check.argument(
        group != null && GROUP.matcher(group).matches(),
        "group name '%s' must be 1 to 64 characters from [a-z0-9_-]",
        group);
  }

  /** Closes whatever its callers left open, snapshots first, then logs, newest first. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<AutoCloseable> toClose = new ArrayList<>(snapshots.values());
    toClose.addAll(logs.values());
    Collections.reverse(toClose);
    for (AutoCloseable closeable : toClose) {
      closeQuietly(closeable);
    }
    snapshots.clear();
    logs.clear();
    LOG.info("storage factory closed root={}", root);
  }

  private void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) { // NOPMD: close must go on with the next store; the error is logged.
      LOG.error("closing storage under root={} failed: {}", root, e.toString());
    }
  }
}
