package io.cairn.consensus.internal.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.consensus.internal.core.Configuration;
import io.cairn.consensus.internal.core.DurableState;
import io.cairn.consensus.internal.core.Message.InstallSnapshot;
import io.cairn.consensus.internal.core.RaftConfig;
import io.cairn.consensus.internal.core.RaftCore;
import io.cairn.consensus.internal.core.Ready;
import io.cairn.consensus.internal.core.Role;
import io.cairn.consensus.internal.wire.SnapshotTransfer;
import io.cairn.env.RandomSource;
import io.cairn.env.storage.SnapshotStore;
import io.cairn.storage.sim.SimSnapshotDisk;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The follower side of chunked InstallSnapshot: what it writes, publishes and steps. */
class SnapshotReceiverTest {
  private static final SnapshotSettings SETTINGS =
      new SnapshotSettings(10, 1 << 20, 0, 1024, 3, 40, false);
  private final List<SnapshotTransfer> sent = new ArrayList<>();
  private final SnapshotStore store = new SimSnapshotDisk().open();
  private final SnapshotReceiver receiver = new SnapshotReceiver(store, SETTINGS, sent::add);

  private static SnapshotTransfer.Chunk chunk(long term, long index, long offset, int size,
      boolean done) {
    return new SnapshotTransfer.Chunk(2, 1, term, index, 4, Configuration.of(Set.of(1, 2, 3)),
        offset, new byte[size], done);
  }

  /** A node that elected itself alone, then drained: a leader of term 1. */
  private static RaftCore soloLeader() {
    RaftCore core = new RaftCore(RaftConfig.defaults(1, Set.of(1)), RandomSource.seeded(3),
        DurableState.EMPTY);
    for (int i = 0; i < 100 && core.role() != Role.LEADER; i++) {
      core.tick();
    }
    Ready ready = core.ready();
    core.onPersisted(ready.persistIndex(), ready.persistTerm());
    core.ready();
    return core;
  }

  @Test
  void aDeposedLeaderInstallsTheSnapshotOfAHigherTermLeader() {
    RaftCore core = soloLeader();
    assertEquals(Role.LEADER, core.role());

    InstallSnapshot complete = receiver.onChunk(chunk(5, 10, 0, 100, true), core, 1);

    assertNotNull(complete, "the whole snapshot arrived");
    assertEquals(10, store.latest().orElseThrow().lastIndex(), "published before the core sees it");
    core.step(complete);
    assertEquals(Role.FOLLOWER, core.role());
    assertNotNull(core.ready().snapshot(), "the core installed it, matching the store");
  }

  @Test
  void aSnapshotTheCoreWouldNotInstallIsNeverWritten() {
    RaftCore core = soloLeader();
    long committed = core.commitIndex();
    core.step(new InstallSnapshot(2, 1, 5, new io.cairn.consensus.internal.core.Snapshot(
        committed, 1, Configuration.of(Set.of(1)), new byte[0])));
    core.ready();

    InstallSnapshot told = receiver.onChunk(
        new SnapshotTransfer.Chunk(2, 1, 5, committed, 1, Configuration.of(Set.of(1, 2, 3)), 0,
            new byte[10], false), core, 1);

    assertNotNull(told, "the core is told at once, so it answers the leader");
    assertTrue(store.latest().isEmpty(), "nothing was published");
    SnapshotTransfer.Ack ack = (SnapshotTransfer.Ack) sent.get(sent.size() - 1);
    assertTrue(ack.done(), "the leader stops sending");
  }

  @Test
  void aGapOrADuplicateIsAnsweredWithTheOffsetExpected() {
    RaftCore core = new RaftCore(RaftConfig.defaults(1, Set.of(1, 2, 3)), RandomSource.seeded(3),
        DurableState.EMPTY);

    assertNull(receiver.onChunk(chunk(5, 10, 1024, 100, false), core, 1));
    assertEquals(0, ((SnapshotTransfer.Ack) sent.get(0)).nextOffset(), "no start: from 0");
    assertNull(receiver.onChunk(chunk(5, 10, 0, 1024, false), core, 2));
    assertNull(receiver.onChunk(chunk(5, 10, 0, 1024, false), core, 3));
    assertEquals(1024, ((SnapshotTransfer.Ack) sent.get(2)).nextOffset(), "duplicate");
    assertNull(receiver.onChunk(chunk(5, 10, 4096, 10, true), core, 4));
    assertEquals(1024, ((SnapshotTransfer.Ack) sent.get(3)).nextOffset(), "gap");
    assertTrue(store.latest().isEmpty(), "nothing partial is published");
    assertNotNull(receiver.onChunk(chunk(5, 10, 1024, 10, true), core, 5));
    assertEquals(1034, store.latest().orElseThrow().sizeBytes());
  }
}
