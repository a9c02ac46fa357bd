package io.cairn.storage;

import io.cairn.env.storage.SnapshotStore;
import io.cairn.storage.sim.SimSnapshotDisk;

/** The {@link SnapshotStore} contract against the simulated implementation. */
class SimSnapshotStoreContractTest extends SnapshotStoreContractTest {
  private final SimSnapshotDisk disk = new SimSnapshotDisk();

  @Override
  protected SnapshotStore open() {
    return disk.open();
  }

  @Override
  protected void corruptPublished() {
    disk.corruptPublished();
  }
}
