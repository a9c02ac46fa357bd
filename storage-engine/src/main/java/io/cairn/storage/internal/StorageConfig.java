package io.cairn.storage.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the storage engine, PID {@code io.cairn.storage}. */
@ObjectClassDefinition(
    id = "io.cairn.storage",
    name = "Cairn storage engine",
    description = "Where and how Raft groups store their logs and snapshots (RocksDB).")
public @interface StorageConfig {
  @AttributeDefinition(
      name = "storage.dir",
      description =
          "Root directory; each group uses <storage.dir>/<group>/log and /snapshots. Absolute;"
              + " empty means <data.dir>/storage of etc/io.cairn.node.cfg.")
  String storage_dir() default "";

  @AttributeDefinition(
      name = "queue.changes.max",
      description =
          "Writes waiting for the group-commit thread before submitters wait (1..1048576).")
  int queue_changes_max() default 4096;

  @AttributeDefinition(
      name = "queue.bytes.max",
      description =
          "Payload bytes waiting for the group-commit thread before submitters wait (1 KiB..4"
              + " GiB).")
  long queue_bytes_max() default 64L << 20;

  @AttributeDefinition(
      name = "batch.changes.max",
      description = "Writes coalesced into one synced RocksDB write (1..65536).")
  int batch_changes_max() default 1024;

  @AttributeDefinition(
      name = "batch.bytes.max",
      description = "Payload bytes coalesced into one synced RocksDB write (1 KiB..1 GiB).")
  long batch_bytes_max() default 16L << 20;
}
