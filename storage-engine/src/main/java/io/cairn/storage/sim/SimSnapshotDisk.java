package io.cairn.storage.sim;

import io.cairn.env.storage.SnapshotMeta;
import io.cairn.env.Check;

/**
 * The simulated device under one node's snapshots: the published snapshot survives crashes,
 * snapshots still being written do not. Open it with {@link #open()}; at most one handle at a time.
 * Single-threaded; never starts a thread.
 */
public final class SimSnapshotDisk {
  private SnapshotMeta published;
  private byte[] publishedBytes;
  private boolean corrupt;
  private SimSnapshotStore openHandle;

  /** Opens the store as it is on the disk. */
  public SimSnapshotStore open() {
    Check.state(openHandle == null, "the simulated snapshot store is already open");
    openHandle = new SimSnapshotStore(this);
    return openHandle;
  }

  /**
   * Makes the published snapshot fail its checksum: reads raise {@link
   * io.cairn.env.storage.CorruptionException} naming its last index, until a newer one is
   * published.
   */
  public void corruptPublished() {
    Check.state(published != null, "no published snapshot to corrupt");
    corrupt = true;
  }

  SnapshotMeta published() {
    return published;
  }

  byte[] publishedBytes() {
    return publishedBytes;
  }

  boolean isCorrupt() {
    return corrupt;
  }

  void publish(SnapshotMeta meta, byte[] bytes) {
    published = meta;
    publishedBytes = bytes;
    corrupt = false;
  }

  void release(SimSnapshotStore handle) {
    Check.state(openHandle == handle, "releasing a handle that is not the open one");
    openHandle = null;
  }
}
