package io.cairn.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.env.NodeInfo;
import io.cairn.env.Role;
import io.cairn.env.storage.LogEntry;
import io.cairn.env.storage.LogStorage;
import io.cairn.env.storage.LogWrite;
import io.cairn.env.storage.SnapshotStore;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The DS component outside OSGi: configuration checks, per-group layout, close on deactivate. */
class RocksStorageComponentTest {
  private final Path dir = TestDirs.create("component-");

  @AfterEach
  void deleteDir() {
    TestDirs.delete(dir);
  }

  private static StorageConfig config(String storageDir, int queueChangesMax) {
    return new StorageConfig() {
      @Override
      public Class<? extends Annotation> annotationType() {
        return StorageConfig.class;
      }

      @Override
      public String storage_dir() {
        return storageDir;
      }

      @Override
      public int queue_changes_max() {
        return queueChangesMax;
      }

      @Override
      public long queue_bytes_max() {
        return 64L << 20;
      }

      @Override
      public int batch_changes_max() {
        return 1024;
      }

      @Override
      public long batch_bytes_max() {
        return 16L << 20;
      }
    };
  }

  private NodeInfo node() {
    return new NodeInfo(1, Set.of(Role.MASTER, Role.AGENT), dir.resolve("node-data"), List.of());
  }

  @Test
  void withoutAStorageDirTheGroupsLiveUnderTheNodesDataDir() throws Exception {
    RocksStorageComponent component = new RocksStorageComponent(config("", 16), node());
    component.openLog("raft-0").close();
    assertTrue(Files.isDirectory(dir.resolve("node-data/storage/raft-0/log")));
    component.deactivate();
  }

  @Test
  void badConfigurationIsRejectedNamingPidKeyValueAndRange() {
    IllegalArgumentException relative =
        assertThrows(
            IllegalArgumentException.class, () -> new RocksStorageComponent(config("data", 10), node()));
    assertTrue(
        relative.getMessage().contains("io.cairn.storage: storage.dir='data'"),
        relative.getMessage());
    IllegalArgumentException range =
        assertThrows(
            IllegalArgumentException.class,
            () -> new RocksStorageComponent(config(dir.toString(), 0), node()));
    assertTrue(
        range.getMessage().contains("queue.changes.max=0 must be in [1, 1048576]"),
        range.getMessage());
  }

  @Test
  void eachGroupGetsItsOwnLogAndSnapshotsAndDeactivateClosesThem() throws Exception {
    RocksStorageComponent component = new RocksStorageComponent(config(dir.toString(), 16), node());
    LogStorage log = component.openLog("raft-0");
    SnapshotStore snapshots = component.openSnapshots("raft-0");
    log.write(LogWrite.append(List.of(new LogEntry(1, 1, new byte[3]))))
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    assertEquals(1, component.metrics("raft-0").entries());
    assertTrue(Files.isDirectory(dir.resolve("raft-0").resolve("log")));
    assertTrue(Files.isDirectory(dir.resolve("raft-0").resolve("snapshots")));
    assertThrows(IllegalStateException.class, () -> component.openLog("raft-0"));
    assertThrows(IllegalArgumentException.class, () -> component.openLog("../escape"));
    component.deactivate();
    assertFalse(((RocksLogStorage) log).isOpen());
    assertFalse(((RocksSnapshotStore) snapshots).isOpen());
  }

  @Test
  void aClosedLogCanBeOpenedAgain() {
    RocksStorageComponent component = new RocksStorageComponent(config(dir.toString(), 16), node());
    component.openLog("g").close();
    LogStorage again = component.openLog("g");
    assertEquals(0, again.lastIndex());
    component.deactivate();
  }
}
